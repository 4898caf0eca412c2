package dev.warden.evaluate.scan;

import dev.warden.core.SecretNames;
import dev.warden.evaluate.lexer.Tokens;
import dev.warden.evaluate.lexer.WordSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Follows values inside each function, from the tokens alone: a secret read from the environment
 * ({@code env::var("AWS_SECRET_ACCESS_KEY")}, or every variable) travels through {@code let} bindings, {@code for}
 * loops and {@code push_str}/{@code push}/{@code extend} into a sink — a host name to resolve, a connection or
 * request, a program's arguments. Each chain keeps the line of every step. Lexer-level on purpose (no types, no
 * macro expansion): a value passed through another function, a struct field or a closure is not followed.
 */
public final class DataFlow {

    /** Where a secret ends up. */
    public enum Sink { DNS, NETWORK, PROCESS }

    /** One chain: the steps, source first, each "what (line)", and the sink. */
    public record Chain(Sink sink, int line, List<String> steps) {

        public Chain {
            steps = List.copyOf(steps);
        }

        /** {@code env AWS_SECRET_ACCESS_KEY (3) → key (3) → host (5) → to_socket_addrs (6)}. */
        public String describe() {
            return String.join(" → ", steps);
        }
    }

    private static final Set<String> DNS = Set.of("to_socket_addrs", "lookup_host", "lookup_ip", "getaddrinfo");
    private static final Set<String> NETWORK = Set.of("connect", "send_to", "post", "put", "body", "send_string",
            "send_json", "send_form", "header", "query", "write_all", "send");
    private static final Set<String> PROCESS = Set.of("arg", "args", "env");
    private static final Set<String> ACCUMULATE = Set.of("push_str", "push", "extend", "insert", "append");
    private static final WordSet WORDS = new WordSet(Stream.of(DNS, NETWORK, PROCESS, ACCUMULATE,
            Set.of("var", "var_os", "vars", "vars_os", "Command")).flatMap(Set::stream).collect(Collectors.toSet()));

    private DataFlow() {
    }

    public static List<Chain> chains(Tokens t) {
        List<Chain> chains = new ArrayList<>();
        Map<String, List<String>> tainted = new HashMap<>();
        int start = 0;
        for (int i = 0; i <= t.size(); i++) {
            boolean boundary = i == t.size() || t.isPunct(i, ';') || t.isPunct(i, '{') || t.isPunct(i, '}');
            if (!boundary) {
                continue;
            }
            if (i > start) {
                // A new function starts with nothing tainted.
                for (int k = start; k < Math.min(i, start + 6); k++) {
                    if (t.isIdent(k, "fn")) {
                        tainted.clear();
                        break;
                    }
                }
                statement(t, start, i, tainted, chains);
            }
            start = i + 1;
        }
        return chains;
    }

    private static void statement(Tokens t, int from, int to, Map<String, List<String>> tainted, List<Chain> out) {
        List<String> steps = null;
        Sink sink = null;
        int sinkLine = 0;
        String sinkWord = null;
        boolean command = false;
        for (int i = from; i < to; i++) {
            if (t.kind(i) != Tokens.IDENT) {
                continue;
            }
            String word = t.wordIn(i, WORDS);
            if (word == null) {
                if (!tainted.isEmpty() && steps == null && !t.isPunct(i + 1, '(')) {
                    List<String> carried = tainted.get(t.text(i));
                    if (carried != null && !isBinding(t, from, i)) {
                        steps = carried;
                    }
                }
                continue;
            }
            String source = source(t, i, word);
            if (source != null && steps == null) {
                steps = List.of(source + " (" + t.line(i) + ")");
            }
            command |= word.equals("Command");
            if (t.isPunct(i - 1, '.') || t.isPunct(i - 1, ':')) {
                Sink at = DNS.contains(word) ? Sink.DNS : NETWORK.contains(word) ? Sink.NETWORK
                        : PROCESS.contains(word) && command ? Sink.PROCESS : null;
                if (at != null && (sink == null || at == Sink.DNS)) {
                    sink = at;
                    sinkLine = t.line(i);
                    sinkWord = word;
                }
            }
        }
        if (steps == null) {
            return;
        }
        if (sink != null) {
            List<String> chain = new ArrayList<>(steps);
            chain.add(sinkWord + " (" + sinkLine + ")");
            out.add(new Chain(sink, sinkLine, chain));
        }
        for (String bound : bound(t, from, to)) {
            List<String> carried = new ArrayList<>(steps);
            carried.add(bound + " (" + t.line(from) + ")");
            tainted.put(bound, carried);
        }
    }

    /** {@code env::var("X")} with a secret-looking literal name, or {@code env::vars()}: what was read. */
    private static String source(Tokens t, int i, String word) {
        if (!t.isPunct(i - 1, ':') || !t.isIdent(i - 3, "env") || !t.isPunct(i + 1, '(')) {
            return null;
        }
        if (word.equals("vars") || word.equals("vars_os")) {
            return "every environment variable";
        }
        if ((word.equals("var") || word.equals("var_os")) && t.isString(i + 2)) {
            String name = t.stringValue(i + 2);
            return SecretNames.looksSecret(name) ? "env " + name : null;
        }
        return null;
    }

    /**
     * The names a statement binds or fills: {@code let [mut] x}, {@code let (a, b)}, {@code if let Ok(x)},
     * {@code for (k, v) in}, {@code x.push_str(…)}, {@code x += …}.
     */
    private static List<String> bound(Tokens t, int from, int to) {
        int at = from;
        if ((t.isIdent(at, "if") || t.isIdent(at, "while")) && t.isIdent(at + 1, "let")) {
            at++;
        }
        if (t.isIdent(at, "let") || t.isIdent(at, "for")) {
            at++;
            if (t.isIdent(at, "mut")) {
                at++;
            }
            if (at + 1 < to && t.kind(at) == Tokens.IDENT && t.isPunct(at + 1, '(')) {
                at++; // Ok(x), Some(x)
            }
            if (t.isPunct(at, '(')) {
                List<String> names = new ArrayList<>();
                for (int k = at + 1; k < to && !t.isPunct(k, ')'); k++) {
                    if (t.kind(k) == Tokens.IDENT && !t.isIdent(k, "mut") && !t.isIdent(k, "ref")) {
                        names.add(t.text(k));
                    }
                }
                return names;
            }
            return at < to && t.kind(at) == Tokens.IDENT ? List.of(t.text(at)) : List.of();
        }
        if (t.kind(at) == Tokens.IDENT && t.isPunct(at + 1, '.') && at + 2 < to && t.kind(at + 2) == Tokens.IDENT
                && ACCUMULATE.contains(t.text(at + 2))) {
            return List.of(t.text(at));
        }
        if (t.kind(at) == Tokens.IDENT && t.isPunct(at + 1, '+') && t.isPunct(at + 2, '=')) {
            return List.of(t.text(at));
        }
        return List.of();
    }

    /** Whether the identifier at {@code i} is the name being bound, not a use of it. */
    private static boolean isBinding(Tokens t, int from, int i) {
        return !t.isPunct(i - 1, '.') && bound(t, from, i + 2).contains(t.text(i));
    }
}
