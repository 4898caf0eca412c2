package dev.warden.limit;

import dev.warden.core.SecretValues;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets that live inside what the build has to see: the token {@code actions/checkout} leaves in
 * {@code .git/config}, {@code .env} files, keys and credential files in the working tree, registry tokens in Cargo's
 * configuration, unix sockets. Each is replaced for the build — a scrubbed copy, a decoy with the same variable
 * names, or nothing — and the real values are remembered (never written) so that output can mask them.
 */
final class ProjectSecrets {

    /** What the build sees at {@code original} instead of the real file. */
    record Replacement(Path original, String content) {
    }

    /** Files in the working tree hidden outright (bound to /dev/null). */
    private static final List<PathMatcher> HIDDEN = matchers("*.pem", "*.key", "*.p12", "*.pfx", "*.jks",
            "credentials*", ".netrc", ".npmrc", ".pypirc", ".git-credentials", "id_rsa", "id_ecdsa", "id_ed25519");
    private static final Pattern ENV_LINE = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(.*)$");
    /** A TOML string value of a {@code token} key, inline or on its own line. */
    private static final Pattern TOML_TOKEN = Pattern.compile("(?<![\\w-])(token\\s*=\\s*)(\"(?:[^\"\\\\\\n]|\\\\.)*\"|'[^'\\n]*')");
    private static final Pattern URL_USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s\"']+@");
    /** Files larger than this are not read for secrets (they are still hidden). */
    private static final long READ_LIMIT = 1 << 20;

    private final List<Replacement> replacements = new ArrayList<>();
    private final List<Path> hidden = new ArrayList<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Canaries canaries;

    private ProjectSecrets(Canaries canaries) {
        this.canaries = canaries;
    }

    /**
     * Looks through the working tree (not the target directory, not git's objects, not through symlinks) and the
     * Cargo configuration files the build reads.
     *
     * @param show globs relative to {@code root} of files to leave visible
     */
    static ProjectSecrets find(Path root, Path targetDir, List<Path> cargoConfigs, List<String> show,
                               Canaries canaries) {
        ProjectSecrets secrets = new ProjectSecrets(canaries);
        List<PathMatcher> shown = show.stream().map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(targetDir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (dir.getFileName() != null && dir.getFileName().toString().equals(".git")) {
                        secrets.gitConfig(dir.resolve("config"));
                        secrets.gitConfig(dir.resolve("config.worktree"));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path relative = root.relativize(file);
                    if (shown.stream().anyMatch(m -> m.matches(relative))) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = file.getFileName().toString();
                    boolean secretName = name.startsWith(".env")
                            || HIDDEN.stream().anyMatch(m -> m.matches(file.getFileName()));
                    if (attrs.isOther() || attrs.isSymbolicLink() && secretName) {
                        // a unix socket (a daemon's API), a fifo, or a secret's name pointing elsewhere
                        secrets.hidden.add(file);
                    } else if (name.equals(".git") && attrs.isRegularFile()) {
                        secrets.worktreeLink(file);
                    } else if (name.startsWith(".env") && attrs.isRegularFile()) {
                        secrets.envFile(file, relative.toString());
                    } else if (attrs.isRegularFile() && HIDDEN.stream().anyMatch(m -> m.matches(file.getFileName()))) {
                        secrets.hidden.add(file);
                        secrets.remember(file, relative.toString());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // unreadable parts of the tree are unreadable to the build too
        }
        for (Path config : cargoConfigs) {
            secrets.cargoConfig(config);
        }
        return secrets;
    }

    List<Replacement> replacements() {
        return List.copyOf(replacements);
    }

    List<Path> hidden() {
        return List.copyOf(hidden);
    }

    /** The real secret values found, by where they were ({@code .env: DB_PASSWORD}): for masking only. */
    Map<String, String> values() {
        return Map.copyOf(values);
    }

    /** {@code .env}: the same variable names, each with a decoy value. */
    private void envFile(Path file, String label) {
        StringBuilder decoy = new StringBuilder();
        for (String line : lines(file)) {
            Matcher entry = ENV_LINE.matcher(line);
            if (entry.matches()) {
                String name = entry.group(1);
                values.put(label + ": " + name, unquote(entry.group(2).strip()));
                decoy.append(name).append('=').append(canaries.plant(name)).append('\n');
            }
        }
        replacements.add(new Replacement(file, decoy.toString()));
    }

    /** A hidden credential file's values (after {@code =}, {@code :} or a space), so that none is ever printed. */
    private void remember(Path file, String label) {
        int n = 0;
        for (String line : lines(file)) {
            for (String word : line.split("[\\s=:\"',]+")) {
                if (word.length() >= 12 && !word.startsWith("-----")) {
                    values.put(label + " #" + ++n, word);
                }
            }
        }
    }

    /** {@code .git} as a file (a worktree or submodule): its git directory's configuration. */
    private void worktreeLink(Path file) {
        List<String> lines = lines(file);
        if (!lines.isEmpty() && lines.getFirst().startsWith("gitdir:")) {
            Path gitDir = file.getParent().resolve(lines.getFirst().substring("gitdir:".length()).strip()).normalize();
            gitConfig(gitDir.resolve("config"));
            gitConfig(gitDir.resolve("config.worktree"));
            List<String> common = lines(gitDir.resolve("commondir"));
            if (!common.isEmpty()) {
                gitConfig(gitDir.resolve(common.getFirst().strip()).normalize().resolve("config"));
            }
        }
    }

    /**
     * A copy of a git configuration without what authenticates: {@code http.*.extraheader}, {@code credential}
     * sections, includes (they point at credential files), and user:password in URLs. Unparseable: an empty one.
     */
    private void gitConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Config config = new Config();
        try {
            config.fromText(String.join("\n", lines(file)));
        } catch (ConfigInvalidException e) {
            replacements.add(new Replacement(file, ""));
            return;
        }
        for (String section : config.getSections()) {
            String lower = section.toLowerCase(Locale.ROOT);
            if (lower.equals("credential") || lower.equals("include") || lower.equals("includeif")) {
                config.unsetSection(section, null);
                for (String subsection : config.getSubsections(section)) {
                    config.unsetSection(section, subsection);
                }
                continue;
            }
            List<String> subsections = new ArrayList<>(config.getSubsections(section));
            subsections.add(null);
            for (String subsection : subsections) {
                for (String name : config.getNames(section, subsection)) {
                    String[] entries = config.getStringList(section, subsection, name);
                    if (lower.equals("http") && name.equalsIgnoreCase("extraheader")) {
                        for (String header : entries) {
                            rememberHeader(file + ": http.extraheader", header);
                        }
                        config.unset(section, subsection, name);
                        continue;
                    }
                    List<String> cleaned = new ArrayList<>();
                    boolean changed = false;
                    for (String entry : entries) {
                        String stripped = withoutUserinfo(entry, file + ": " + section + "." + name);
                        changed |= !stripped.equals(entry);
                        cleaned.add(stripped);
                    }
                    if (changed) {
                        config.setStringList(section, subsection, name, cleaned);
                    }
                }
            }
        }
        replacements.add(new Replacement(file, config.toText()));
    }

    /** {@code AUTHORIZATION: basic <base64 of x-access-token:ghs_…>}: the header, its credential, what it encodes. */
    private void rememberHeader(String label, String header) {
        values.put(label, header);
        String[] words = header.trim().split("\\s+");
        String credential = words[words.length - 1];
        values.put(label + " (credential)", credential);
        try {
            String decoded = new String(Base64.getDecoder().decode(credential), StandardCharsets.UTF_8);
            values.put(label + " (decoded)", decoded);
            int colon = decoded.indexOf(':');
            if (colon >= 0) {
                values.put(label + " (password)", decoded.substring(colon + 1));
            }
        } catch (IllegalArgumentException e) {
            // not base64: the credential itself is remembered
        }
    }

    /** Cargo configuration: registry tokens replaced by decoys, user:password taken out of URLs (proxies). */
    private void cargoConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        String text = String.join("\n", lines(file)) + "\n";
        Matcher token = TOML_TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (token.find()) {
            String quoted = token.group(2);
            values.put(file + ": token #" + values.size(), quoted.substring(1, quoted.length() - 1));
            token.appendReplacement(out, Matcher.quoteReplacement(token.group(1) + "\""
                    + canaries.plant("token in " + file.getFileName()) + "\""));
        }
        token.appendTail(out);
        String scrubbed = withoutUserinfo(out.toString(), file + ": URL");
        if (!scrubbed.equals(text)) {
            replacements.add(new Replacement(file, scrubbed));
        }
    }

    private String withoutUserinfo(String text, String label) {
        for (String password : SecretValues.urlPasswords(text)) {
            values.put(label + " password #" + values.size(), password);
        }
        return URL_USERINFO.matcher(text).replaceAll("$1");
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static List<String> lines(Path file) {
        try {
            if (Files.size(file) > READ_LIMIT) {
                return List.of();
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<PathMatcher> matchers(String... globs) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
        }
        return matchers;
    }
}
