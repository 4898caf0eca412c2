package dev.warden.cargo.semver;

/**
 * One comparator of a requirement, such as {@code >=1.2} or {@code ~0.3.1-beta}. Missing minor or patch parts are
 * null; they make the comparator a range over everything they leave open.
 */
public record Comparator(Op op, long major, Long minor, Long patch, String pre) {

    public Comparator {
        if (patch != null && minor == null) {
            throw new IllegalArgumentException("patch without minor");
        }
        if (!pre.isEmpty() && patch == null) {
            throw new IllegalArgumentException("pre-release needs a full version");
        }
    }

    /** Whether {@code v} satisfies this comparator, ignoring the pre-release opt-in rule of {@link VersionReq}. */
    boolean matchesIgnoringPrereleaseRule(Version v) {
        return switch (op) {
            case EXACT, WILDCARD -> matchesExact(v);
            case GREATER -> matchesGreater(v);
            case GREATER_EQ -> matchesExact(v) || matchesGreater(v);
            case LESS -> matchesLess(v);
            case LESS_EQ -> matchesExact(v) || matchesLess(v);
            case TILDE -> matchesTilde(v);
            case CARET -> matchesCaret(v);
        };
    }

    /** A pre-release version may only match when a comparator names the same major.minor.patch with a pre-release. */
    boolean allowsPrereleaseOf(Version v) {
        return major == v.major() && minor != null && minor == v.minor() && patch != null && patch == v.patch()
                && !pre.isEmpty();
    }

    private int comparePre(Version v) {
        return Identifier.comparePrerelease(v.pre(), pre);
    }

    private boolean matchesExact(Version v) {
        if (v.major() != major || minor != null && v.minor() != minor || patch != null && v.patch() != patch) {
            return false;
        }
        return v.pre().equals(pre);
    }

    private boolean matchesGreater(Version v) {
        if (v.major() != major) {
            return v.major() > major;
        }
        if (minor == null) {
            return false;
        }
        if (v.minor() != minor) {
            return v.minor() > minor;
        }
        if (patch == null) {
            return false;
        }
        if (v.patch() != patch) {
            return v.patch() > patch;
        }
        return comparePre(v) > 0;
    }

    private boolean matchesLess(Version v) {
        if (v.major() != major) {
            return v.major() < major;
        }
        if (minor == null) {
            return false;
        }
        if (v.minor() != minor) {
            return v.minor() < minor;
        }
        if (patch == null) {
            return false;
        }
        if (v.patch() != patch) {
            return v.patch() < patch;
        }
        return comparePre(v) < 0;
    }

    private boolean matchesTilde(Version v) {
        if (v.major() != major || minor != null && v.minor() != minor) {
            return false;
        }
        if (patch != null && v.patch() != patch) {
            return v.patch() > patch;
        }
        return comparePre(v) >= 0;
    }

    private boolean matchesCaret(Version v) {
        if (v.major() != major) {
            return false;
        }
        if (minor == null) {
            return true;
        }
        if (patch == null) {
            return major > 0 ? v.minor() >= minor : v.minor() == minor;
        }
        if (major > 0) {
            if (v.minor() != minor) {
                return v.minor() > minor;
            }
            if (v.patch() != patch) {
                return v.patch() > patch;
            }
        } else if (minor > 0) {
            if (v.minor() != minor) {
                return false;
            }
            if (v.patch() != patch) {
                return v.patch() > patch;
            }
        } else if (v.minor() != minor || v.patch() != patch) {
            return false;
        }
        return comparePre(v) >= 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(op.symbol()).append(major);
        if (minor != null) {
            s.append('.').append(minor);
            if (patch != null) {
                s.append('.').append(patch);
                if (!pre.isEmpty()) {
                    s.append('-').append(pre);
                }
            } else if (op == Op.WILDCARD) {
                s.append(".*");
            }
        } else if (op == Op.WILDCARD) {
            s.append(".*");
        }
        return s.toString();
    }
}
