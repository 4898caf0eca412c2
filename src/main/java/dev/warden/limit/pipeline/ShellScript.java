package dev.warden.limit.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the {@code cargo} invocations in a step. Shell is read only as far as that needs: line continuations,
 * comments, quotes, {@code ${{ … }}} expressions as one word, command separators ({@code && || ; | & ( ) $(}), and
 * the prefixes that run the next word ({@code sudo}, {@code env X=1}, {@code time}…). A script that builds its
 * command line at run time ({@code $CMD}) is not followed — nothing short of running it would be.
 */
final class ShellScript {

    private static final Set<String> PREFIXES = Set.of("sudo", "time", "env", "exec", "nice", "nohup", "command",
            "if", "then", "else", "elif", "do", "while", "until", "!", "{", "eval");
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--color", "--config", "-Z", "-C", "--explain");

    private ShellScript() {
    }

    static List<CargoCall> cargoCalls(Step step) {
        List<CargoCall> calls = new ArrayList<>();
        if (step.action() != null && step.action().equals("actions-rs/cargo")) {
            String command = step.input("command");
            if (command != null) {
                List<String> args = new ArrayList<>();
                args.add(command);
                String more = step.input("args");
                if (more != null) {
                    args.addAll(words(more));
                }
                Value at = step.with().get("command");
                call(step, at.line(), args, false).ifPresent(calls::add);
            }
        }
        if (step.run() == null) {
            return calls;
        }
        String[] lines = step.run().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (endsWithContinuation(logical) && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(' ').append(lines[++i]);
            }
            int line = step.lineOf(first);
            for (List<String> command : commands(logical.toString())) {
                calls.addAll(cargoIn(step, line, command));
            }
        }
        return calls;
    }

    private static boolean endsWithContinuation(CharSequence line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\\' && (n < 2 || line.charAt(n - 2) != '\\');
    }

    /** Simple commands of one logical line, as words, split at separators. */
    static List<List<String>> commands(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '$' && line.startsWith("${{", i)) {
                int end = line.indexOf("}}", i);
                end = end < 0 ? n : end + 2;
                word.append(line, i, end);
                inWord = true;
                i = end;
            } else if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                end = end < 0 ? n : end;
                word.append(line, i + 1, end);
                inWord = true;
                i = Math.min(n, end + 1);
            } else if (c == '\\' && i + 1 < n) {
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c)) {
                inWord = flush(word, inWord, current);
                i++;
            } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '`'
                    || c == '$' && i + 1 < n && line.charAt(i + 1) == '(') {
                inWord = flush(word, inWord, current);
                if (!current.isEmpty()) {
                    commands.add(current);
                    current = new ArrayList<>();
                }
                i += c == '$' ? 2 : 1;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        flush(word, inWord, current);
        if (!current.isEmpty()) {
            commands.add(current);
        }
        return commands;
    }

    private static boolean flush(StringBuilder word, boolean inWord, List<String> into) {
        if (inWord) {
            into.add(word.toString());
            word.setLength(0);
        }
        return false;
    }

    static List<String> words(String text) {
        List<List<String>> commands = commands(text);
        return commands.isEmpty() ? List.of() : commands.getFirst();
    }

    private static List<CargoCall> cargoIn(Step step, int line, List<String> command) {
        int at = 0;
        while (at < command.size()) {
            String word = command.get(at);
            if (word.matches("[A-Za-z_][A-Za-z0-9_]*=.*") || PREFIXES.contains(word)
                    || word.startsWith("-") && at > 0 && PREFIXES.contains(command.get(at - 1))) {
                at++;
            } else {
                break;
            }
        }
        if (at >= command.size()) {
            return List.of();
        }
        String program = basename(command.get(at));
        List<String> rest = command.subList(at + 1, command.size());
        if ((program.equals("cargo") && !rest.isEmpty() && rest.getFirst().equals("warden"))) {
            program = "warden";
            rest = rest.subList(1, rest.size());
        }
        if (program.equals("warden") || program.equals("cargo-warden")) {
            if (rest.isEmpty() || !rest.getFirst().equals("build")) {
                return List.of();
            }
            int separator = rest.indexOf("--");
            if (separator < 0) {
                return call(step, line, List.of("build", "--locked"), true).stream().toList();
            }
            List<String> wrapped = rest.subList(separator + 1, rest.size());
            if (!wrapped.isEmpty() && basename(wrapped.getFirst()).equals("cargo")) {
                return call(step, line, wrapped.subList(1, wrapped.size()), true).stream().toList();
            }
            return List.of();
        }
        if (program.equals("cargo") || program.equals("cross")) {
            return call(step, line, rest, false).stream().toList();
        }
        return List.of();
    }

    /** The call for the words after {@code cargo}: a {@code +toolchain} and global flags may come first. */
    private static java.util.Optional<CargoCall> call(Step step, int line, List<String> args, boolean sandboxed) {
        int at = 0;
        while (at < args.size() && (args.get(at).startsWith("-") || args.get(at).startsWith("+"))) {
            at += OPTIONS_WITH_VALUE.contains(args.get(at)) ? 2 : 1;
        }
        if (at >= args.size() || args.get(at).contains("${{") || args.get(at).startsWith("$")) {
            return java.util.Optional.empty();
        }
        List<String> kept = args.stream().filter(a -> !a.startsWith("+")).toList();
        return java.util.Optional.of(new CargoCall(step, line, CargoCall.canonical(args.get(at)), kept, sandboxed));
    }

    private static String basename(String word) {
        int slash = word.lastIndexOf('/');
        return slash < 0 ? word : word.substring(slash + 1);
    }
}
