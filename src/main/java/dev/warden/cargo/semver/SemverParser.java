package dev.warden.cargo.semver;

import java.util.ArrayList;
import java.util.List;

/** Parses versions and requirements with the same acceptance rules and limits as the Rust {@code semver} crate. */
final class SemverParser {

    private static final int MAX_COMPARATORS = 32;

    private final String text;
    private int pos;

    SemverParser(String text) {
        this.text = text;
    }

    Version version() {
        if (text.isEmpty()) {
            throw fail("empty string, expected a semver version");
        }
        long major = number("major");
        dot("major");
        long minor = number("minor");
        dot("minor");
        long patch = number("patch");
        String pre = "";
        String build = "";
        if (consume('-')) {
            pre = identifier("pre-release", true);
        }
        if (consume('+')) {
            build = identifier("build metadata", false);
        }
        if (pos < text.length()) {
            throw fail("unexpected character " + quote(text.charAt(pos)) + " after " + lastPart(pre, build));
        }
        return new Version(major, minor, patch, pre, build);
    }

    VersionReq versionReq() {
        skipSpaces();
        int wildcardAt = pos;
        if (wildcard()) {
            skipSpaces();
            if (pos == text.length()) {
                return VersionReq.STAR;
            }
            if (text.charAt(pos) == ',') {
                throw fail("wildcard req (" + text.charAt(wildcardAt) + ") must be the only comparator in the version req");
            }
            throw fail("unexpected character after wildcard in version req");
        }
        List<Comparator> comparators = new ArrayList<>();
        while (true) {
            int start = pos;
            Comparator comparator;
            try {
                comparator = comparator();
            } catch (SemverException e) {
                pos = start;
                if (wildcard()) {
                    skipSpaces();
                    if (pos == text.length() || text.charAt(pos) == ',') {
                        throw fail("wildcard req (" + text.charAt(start) + ") must be the only comparator in the version req");
                    }
                }
                throw e;
            }
            comparators.add(comparator);
            if (pos == text.length()) {
                return new VersionReq(comparators);
            }
            if (text.charAt(pos) != ',') {
                throw fail("expected comma after " + (comparator.patch() != null ? "patch version number"
                        : comparator.minor() != null ? "minor version number" : "major version number")
                        + ", found " + quote(text.charAt(pos)));
            }
            pos++;
            skipSpaces();
            if (comparators.size() == MAX_COMPARATORS) {
                throw fail("excessive number of version comparators");
            }
        }
    }

    private Comparator comparator() {
        Op op = op();
        boolean defaultOp = op == null;
        if (defaultOp) {
            op = Op.CARET;
        }
        skipSpaces();
        long major = number("major");
        Long minor = null;
        Long patch = null;
        boolean hasWildcard = false;
        if (consume('.')) {
            if (wildcard()) {
                hasWildcard = true;
                if (defaultOp) {
                    op = Op.WILDCARD;
                }
            } else {
                minor = number("minor");
            }
        }
        if (consume('.')) {
            if (wildcard()) {
                if (defaultOp) {
                    op = Op.WILDCARD;
                }
            } else if (hasWildcard) {
                throw fail("unexpected character after wildcard in version req");
            } else {
                patch = number("patch");
            }
        }
        String pre = "";
        if (patch != null && consume('-')) {
            pre = identifier("pre-release", true);
        }
        if (patch != null && consume('+')) {
            identifier("build metadata", false);
        }
        skipSpaces();
        return new Comparator(op, major, minor, patch, pre);
    }

    private Op op() {
        if (pos >= text.length()) {
            return null;
        }
        char c = text.charAt(pos);
        char next = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        Op op = switch (c) {
            case '=' -> Op.EXACT;
            case '>' -> next == '=' ? Op.GREATER_EQ : Op.GREATER;
            case '<' -> next == '=' ? Op.LESS_EQ : Op.LESS;
            case '~' -> Op.TILDE;
            case '^' -> Op.CARET;
            default -> null;
        };
        if (op != null) {
            pos += op.symbol().length();
        }
        return op;
    }

    private boolean wildcard() {
        if (pos < text.length() && (text.charAt(pos) == '*' || text.charAt(pos) == 'x' || text.charAt(pos) == 'X')) {
            pos++;
            return true;
        }
        return false;
    }

    private long number(String part) {
        int start = pos;
        long value = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            if (value == 0 && pos > start) {
                throw fail("invalid leading zero in " + part + " version number");
            }
            int digit = text.charAt(pos) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                throw fail("value of " + part + " version number exceeds the supported maximum");
            }
            value = value * 10 + digit;
            pos++;
        }
        if (pos == start) {
            throw pos < text.length()
                    ? fail("unexpected character " + quote(text.charAt(pos)) + " while parsing " + part + " version number")
                    : fail("unexpected end of input while parsing " + part + " version number");
        }
        return value;
    }

    private void dot(String after) {
        if (!consume('.')) {
            throw pos < text.length()
                    ? fail("unexpected character " + quote(text.charAt(pos)) + " after " + after + " version number")
                    : fail("unexpected end of input while parsing " + after + " version number");
        }
    }

    /** Dot-separated [0-9A-Za-z-] segments; pre-release numeric segments may not have leading zeros. */
    private String identifier(String part, boolean noLeadingZeros) {
        int start = pos;
        int segmentStart = pos;
        boolean nonDigit = false;
        while (true) {
            char c = pos < text.length() ? text.charAt(pos) : 0;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-') {
                nonDigit = true;
                pos++;
            } else if (c >= '0' && c <= '9') {
                pos++;
            } else {
                int length = pos - segmentStart;
                if (length == 0) {
                    throw fail("empty identifier segment in " + part);
                }
                if (noLeadingZeros && length > 1 && !nonDigit && text.charAt(segmentStart) == '0') {
                    throw fail("invalid leading zero in " + part + " identifier");
                }
                if (c != '.') {
                    return text.substring(start, pos);
                }
                pos++;
                segmentStart = pos;
                nonDigit = false;
            }
        }
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private static String lastPart(String pre, String build) {
        return !build.isEmpty() ? "build metadata" : !pre.isEmpty() ? "pre-release identifier" : "patch version number";
    }

    private static String quote(char c) {
        return "'" + c + "'";
    }

    private SemverException fail(String reason) {
        return new SemverException("invalid version '" + text + "': " + reason);
    }
}
