package dev.warden.evaluate.weight;

import dev.warden.core.WardenException;
import dev.warden.evaluate.lexer.RustLexer;
import dev.warden.evaluate.lexer.Tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which items of each dependency the workspace's own code names: {@code dep::item} paths, {@code use dep::item}
 * and {@code use dep::{a, b}}. A glob ({@code use dep::*}) or a bare {@code use dep;} makes the count unknown, as
 * does code that is not plain Rust source; nothing is guessed.
 */
final class ItemsUsed {

    /** A source file larger than this is generated code, not what a person wrote against the dependency. */
    private static final long MAX_FILE = 4L << 20;

    /** Items named per crate identifier; an identifier mapped to null was used in a way that cannot be counted. */
    private final Map<String, Set<String>> items = new HashMap<>();

    private ItemsUsed() {
    }

    /**
     * @param members     the workspace members' directories
     * @param identifiers how the code names each dependency ({@code serde_json} for {@code serde-json}, or a rename)
     */
    static ItemsUsed in(Collection<Path> members, Collection<String> identifiers) {
        ItemsUsed used = new ItemsUsed();
        Set<String> wanted = Set.copyOf(identifiers);
        for (Path member : members) {
            for (Path file : sources(member)) {
                try {
                    used.scan(RustLexer.lex(Files.readAllBytes(file)), wanted);
                } catch (IOException e) {
                    throw new WardenException(file + ": cannot read: " + e.getMessage());
                }
            }
        }
        return used;
    }

    /** The member's own Rust: src/, build.rs, examples/, benches/ — never target/ or vendored trees. */
    private static List<Path> sources(Path member) {
        List<Path> files = new ArrayList<>();
        for (String part : List.of("src", "build.rs", "examples", "benches")) {
            Path start = member.resolve(part);
            if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(start, 16)) {
                walk.filter(f -> f.toString().endsWith(".rs") && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                        .filter(f -> f.toFile().length() <= MAX_FILE).forEach(files::add);
            } catch (IOException | UncheckedIOException e) {
                throw new WardenException(start + ": cannot read: " + e.getMessage());
            }
        }
        return files;
    }

    /** The items of the crate named {@code identifier} the code uses; null when they cannot be counted. */
    Set<String> of(String identifier) {
        return items.containsKey(identifier) ? items.get(identifier) : Set.of();
    }

    private void scan(Tokens tokens, Set<String> wanted) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.kind(i) != Tokens.IDENT || !wanted.contains(tokens.text(i))
                    || pathSeparator(tokens, i - 2)) {
                continue; // a crate name is the first segment of a path, never a later one
            }
            String crate = tokens.text(i);
            if (!pathSeparator(tokens, i + 1)) {
                if (tokens.isIdent(i - 1, "use") || tokens.isIdent(i - 1, "crate")) {
                    unknown(crate); // `use dep;` / `extern crate dep;`: later uses go through a name we do not follow
                }
                continue;
            }
            int next = i + 3;
            if (tokens.isPunct(next, '*')) {
                unknown(crate);
            } else if (tokens.isPunct(next, '{')) {
                for (int k = next + 1; k < tokens.size() && !tokens.isPunct(k, '}'); k++) {
                    if (tokens.isPunct(k, '{') || tokens.isPunct(k, '*')) {
                        unknown(crate); // nested groups and globs: not counted
                        break;
                    }
                    if (tokens.kind(k) == Tokens.IDENT && !tokens.isIdent(k, "as") && !tokens.isIdent(k, "self")
                            && !tokens.isIdent(k - 1, "as") && !pathSeparator(tokens, k - 2)) {
                        add(crate, tokens.text(k));
                    }
                }
            } else if (tokens.kind(next) == Tokens.IDENT) {
                add(crate, tokens.text(next));
            }
        }
    }

    /** Whether tokens {@code i} and {@code i + 1} are {@code ::}. */
    private static boolean pathSeparator(Tokens tokens, int i) {
        return tokens.isPunct(i, ':') && tokens.isPunct(i + 1, ':');
    }

    private void add(String crate, String item) {
        if (!items.containsKey(crate) || items.get(crate) != null) {
            items.computeIfAbsent(crate, c -> new TreeSet<>()).add(item);
        }
    }

    private void unknown(String crate) {
        items.put(crate, null);
    }
}
