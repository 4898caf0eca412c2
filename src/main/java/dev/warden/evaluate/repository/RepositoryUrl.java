package dev.warden.evaluate.repository;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** A crate's {@code repository} URL: whether it can be where the code lives, and one form to compare two by. */
public final class RepositoryUrl {

    /** Hosts whose repositories are {@code /owner/name}: a shorter path cannot be a repository there. */
    private static final Set<String> FORGES = Set.of("github.com", "gitlab.com", "codeberg.org", "bitbucket.org",
            "git.sr.ht", "gitea.com");
    /** Link shorteners and redirectors: what they lead to can change after the crate is judged. */
    private static final Set<String> REDIRECTORS = Set.of("bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd",
            "ow.ly", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at");
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+]");

    private RepositoryUrl() {
    }

    /** Why the URL cannot be a repository a reader could check the code against, if it cannot. */
    public static Optional<String> implausible(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return Optional.of("it is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!Set.of("https", "http", "git", "ssh").contains(scheme)) {
            return Optional.of(scheme.isEmpty() ? "it has no scheme" : "its scheme is " + scheme + ":");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return Optional.of("it names no host");
        }
        if (uri.getRawUserInfo() != null && !"ssh".equals(scheme)) {
            return Optional.of("it carries a user name or password");
        }
        if (IP.matcher(host).matches() || host.equals("localhost") || host.endsWith(".local")) {
            return Optional.of("its host " + host + " is an address, not a public forge");
        }
        if (REDIRECTORS.contains(host)) {
            return Optional.of(host + " is a link shortener: where it leads can change");
        }
        if (FORGES.contains(host) && segments(uri.getPath()) < 2) {
            return Optional.of("a repository on " + host + " is /owner/name, not " + (uri.getPath() == null
                    || uri.getPath().isEmpty() ? "/" : uri.getPath()));
        }
        return Optional.empty();
    }

    /**
     * {@code https://GitHub.com/Owner/Name.git/} and {@code http://github.com/owner/name} → {@code
     * github.com/owner/name}: scheme, credentials, case, {@code .git}, fragments and a trailing slash dropped (forges
     * treat owner and name case-insensitively).
     */
    public static String normalised(String url) {
        try {
            URI uri = new URI(url.strip());
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (FORGES.contains(host)) {
                // https://github.com/owner/name/tree/main/crates/x is the repository owner/name.
                String[] parts = path.replaceAll("^/+", "").split("/");
                path = parts.length >= 2 ? parts[0] + "/" + parts[1] : path;
                path = path.toLowerCase(Locale.ROOT);
            }
            path = path.replaceAll("^/+|/+$", "").replaceAll("\\.git$", "");
            return host + (path.isEmpty() ? "" : "/" + path);
        } catch (URISyntaxException e) {
            return url.strip().toLowerCase(Locale.ROOT);
        }
    }

    private static int segments(String path) {
        if (path == null) {
            return 0;
        }
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? 0 : trimmed.split("/+").length;
    }
}
