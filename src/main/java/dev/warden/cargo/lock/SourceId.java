package dev.warden.cargo.lock;

import dev.warden.core.WardenException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A Cargo source id such as {@code registry+https://github.com/rust-lang/crates.io-index},
 * {@code sparse+https://index.crates.io/} or {@code git+https://github.com/o/r?rev=abc#0123…}. It keeps the text
 * exactly as Cargo wrote it and derives the identity Cargo compares by: kind, git reference and canonical URL,
 * ignoring the locked commit (so {@code "x 1.0.0 (git+https://h/r)"} refers to the package at {@code …#sha}).
 */
public final class SourceId {

    public static final String CRATES_IO_GIT = "https://github.com/rust-lang/crates.io-index";
    public static final String CRATES_IO_SPARSE = "https://index.crates.io/";
    private static final String CANONICAL_CRATES_IO_GIT = canonicalUrl(CRATES_IO_GIT);
    private static final String CANONICAL_CRATES_IO_SPARSE = canonicalUrl(CRATES_IO_SPARSE);

    private final String text;
    private final SourceKind kind;
    private final String url;
    private final GitReference reference;
    private final String precise;
    private final String key;
    /** Worked out once: every comparison of two lockfiles asks for it, for every package. */
    private final boolean cratesIo;
    private final String origin;

    private SourceId(String text, SourceKind kind, String url, GitReference reference, String precise) {
        this.text = text;
        this.kind = kind;
        this.url = url;
        this.reference = reference;
        this.precise = precise;
        String canonical = canonicalUrl(url);
        this.key = kind.prefix() + "+" + canonical + (reference == null || reference.value() == null ? ""
                : "?" + reference.queryParameter() + "=" + reference.value());
        this.cratesIo = kind == SourceKind.REGISTRY && canonical.equals(CANONICAL_CRATES_IO_GIT)
                || kind == SourceKind.SPARSE && canonical.equals(CANONICAL_CRATES_IO_SPARSE);
        this.origin = cratesIo ? "crates.io" : kind.prefix() + "+" + canonical;
    }

    public static SourceId parse(String text) {
        int plus = text.indexOf('+');
        if (plus <= 0) {
            throw new WardenException("invalid source '" + text + "': expected KIND+URL");
        }
        String prefix = text.substring(0, plus);
        String rest = text.substring(plus + 1);
        SourceKind kind = null;
        for (SourceKind candidate : SourceKind.values()) {
            if (candidate.prefix().equals(prefix)) {
                kind = candidate;
            }
        }
        if (kind == null) {
            throw new WardenException("unsupported source kind '" + prefix + "' in '" + text + "'");
        }
        if (!rest.contains("://")) {
            throw new WardenException("invalid source '" + text + "': missing URL scheme");
        }
        if (kind != SourceKind.GIT) {
            return new SourceId(text, kind, rest, null, null);
        }
        String precise = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            precise = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        GitReference reference = GitReference.DEFAULT;
        int question = rest.indexOf('?');
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), text);
                reference = switch (name) {
                    case "branch" -> new GitReference(GitReference.Kind.BRANCH, value);
                    case "tag" -> new GitReference(GitReference.Kind.TAG, value);
                    case "rev" -> new GitReference(GitReference.Kind.REV, value);
                    default -> reference;
                };
            }
            rest = rest.substring(0, question);
        }
        return new SourceId(text, kind, rest, reference, precise);
    }

    private static String decode(String value, String text) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new WardenException("invalid source '" + text + "': bad percent-escape in '" + value + "'");
        }
    }

    /** Creates a git source id the way Cargo would write it in a lockfile. */
    public static SourceId git(String url, GitReference reference, String precise) {
        StringBuilder text = new StringBuilder("git+").append(url);
        if (reference.value() != null) {
            text.append('?').append(reference.queryParameter()).append('=').append(reference.value());
        }
        if (precise != null) {
            text.append('#').append(precise);
        }
        return parse(text.toString());
    }

    public static SourceId registry(String indexUrl) {
        return parse(indexUrl.startsWith("sparse+") ? indexUrl : "registry+" + indexUrl);
    }

    public static SourceId cratesIo() {
        return parse("registry+" + CRATES_IO_GIT);
    }

    /**
     * The identity Cargo uses when matching sources: kind, canonical URL (lower-case host, and path for GitHub, no
     * trailing slash or {@code .git}) and git reference; the locked commit is not part of it.
     */
    public String key() {
        return key;
    }

    /** A URL as Cargo compares it: lower-case host (and GitHub path), no trailing slash or {@code .git}. */
    public static String canonicalUrl(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith(".git")) {
            u = u.substring(0, u.length() - 4);
        }
        int scheme = u.indexOf("://");
        int pathStart = u.indexOf('/', scheme + 3);
        String host = (pathStart < 0 ? u : u.substring(0, pathStart)).toLowerCase(Locale.ROOT);
        String path = pathStart < 0 ? "" : u.substring(pathStart);
        if (host.endsWith("://github.com")) {
            path = path.toLowerCase(Locale.ROOT);
        }
        return host + path;
    }

    public SourceKind kind() {
        return kind;
    }

    /** The URL without the kind prefix, git query or commit fragment. */
    public String url() {
        return url;
    }

    /** For git sources the branch/tag/rev asked for; null for other kinds. */
    public GitReference reference() {
        return reference;
    }

    /** For git sources the locked commit (the {@code #fragment}); null when absent. */
    public String precise() {
        return precise;
    }

    public boolean isGit() {
        return kind == SourceKind.GIT;
    }

    public boolean isRegistry() {
        return kind.isRegistry();
    }

    /**
     * Whether this registry source is the one at {@code indexUrl}, written as in Cargo's configuration (with or
     * without its {@code registry+}/{@code sparse+} prefix).
     */
    public boolean isServedBy(String indexUrl) {
        return indexUrl != null && isRegistry()
                && canonicalUrl(indexUrl.replaceFirst("^(registry|sparse)\\+", "")).equals(canonicalUrl(url));
    }

    /** crates.io, through either its git index or its sparse index. */
    public boolean isCratesIo() {
        return cratesIo;
    }

    /**
     * Whether two sources hand out the same crates: equal, or both crates.io whichever protocol, or the same git
     * repository at whatever commit. Null stands for a path package.
     */
    public static boolean sameOrigin(SourceId a, SourceId b) {
        return a == null || b == null ? a == b : a.origin().equals(b.origin());
    }

    /**
     * Who hands out this source's crates, normalised once for every check that compares two lockfiles:
     * {@code crates.io} whichever index protocol, a git repository by canonical URL whatever its reference or commit,
     * any other registry by kind and canonical URL.
     */
    public String origin() {
        return origin;
    }

    /** A short human description: {@code crates.io}, {@code git https://…#abc1234}, {@code registry https://…}. */
    public String describe() {
        if (isCratesIo()) {
            return "crates.io";
        }
        if (kind == SourceKind.GIT) {
            StringBuilder s = new StringBuilder("git ").append(url);
            if (reference.value() != null) {
                s.append('?').append(reference.queryParameter()).append('=').append(reference.value());
            }
            if (precise != null) {
                s.append('#').append(precise, 0, Math.min(precise.length(), 12));
            }
            return s.toString();
        }
        return kind.prefix() + " " + url;
    }

    /** Exactly as Cargo wrote it. */
    @Override
    public String toString() {
        return text;
    }

    /** Source ids are equal when Cargo would treat them as the same source (see {@link #key()}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SourceId s && key.equals(s.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }
}
