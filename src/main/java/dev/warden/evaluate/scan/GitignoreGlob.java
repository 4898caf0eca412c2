package dev.warden.evaluate.scan;

/**
 * Matches Cargo's {@code include}/{@code exclude} patterns, which follow gitignore rules: a pattern without a slash
 * matches a name at any depth, a leading slash anchors to the package root, {@code *} and {@code ?} stay within
 * one path segment, {@code **} spans directories, and a pattern matching a directory covers everything below it.
 */
final class GitignoreGlob {

    private GitignoreGlob() {
    }

    static boolean matches(String pattern, String path) {
        String p = pattern.trim();
        if (p.isEmpty() || p.startsWith("#")) {
            return false;
        }
        if (p.startsWith("!")) {
            return false;
        }
        boolean directory = p.endsWith("/");
        if (directory) {
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.startsWith("/") || p.contains("/");
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        String[] segments = path.split("/");
        if (anchored) {
            // Match the pattern against the path itself or any of its parent directories.
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < segments.length; i++) {
                if (i > 0) {
                    prefix.append('/');
                }
                prefix.append(segments[i]);
                boolean isDirectory = i < segments.length - 1;
                if ((!directory || isDirectory) && glob(p, prefix.toString())) {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            boolean isDirectory = i < segments.length - 1;
            if ((!directory || isDirectory) && glob(p, segments[i])) {
                return true;
            }
        }
        return false;
    }

    /** Glob match where {@code *} and {@code ?} do not cross {@code /} and {@code **} does. */
    static boolean glob(String pattern, String text) {
        return glob(pattern, 0, text, 0);
    }

    private static boolean glob(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                boolean doubleStar = pi + 1 < p.length() && p.charAt(pi + 1) == '*';
                int next = doubleStar ? pi + 2 : pi + 1;
                if (doubleStar && next < p.length() && p.charAt(next) == '/') {
                    // "**/" also matches nothing at all.
                    if (glob(p, next + 1, t, ti)) {
                        return true;
                    }
                }
                for (int k = ti; k <= t.length(); k++) {
                    if (glob(p, next, t, k)) {
                        return true;
                    }
                    if (k < t.length() && t.charAt(k) == '/' && !doubleStar) {
                        return false;
                    }
                }
                return false;
            }
            if (ti >= t.length()) {
                return false;
            }
            if (c == '?' ? t.charAt(ti) == '/' : c != t.charAt(ti)) {
                return false;
            }
            pi++;
            ti++;
        }
        return ti == t.length();
    }
}
