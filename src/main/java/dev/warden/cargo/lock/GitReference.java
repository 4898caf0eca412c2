package dev.warden.cargo.lock;

/** What a git dependency asked for: a branch, a tag, a revision, or the remote's default branch. */
public record GitReference(Kind kind, String value) {

    public enum Kind { BRANCH, TAG, REV, DEFAULT_BRANCH }

    public static final GitReference DEFAULT = new GitReference(Kind.DEFAULT_BRANCH, null);

    /** A {@code rev} pins the dependency; branches, tags (which can be moved) and the default branch do not. */
    public boolean isPinned() {
        return kind == Kind.REV;
    }

    public String queryParameter() {
        return switch (kind) {
            case BRANCH -> "branch";
            case TAG -> "tag";
            case REV -> "rev";
            case DEFAULT_BRANCH -> null;
        };
    }
}
