package dev.warden.evaluate.scan;

import dev.warden.core.SecretNames;
import dev.warden.evaluate.lexer.Tokens;
import dev.warden.evaluate.lexer.WordSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Follows values through a crate's code from the tokens alone (no types, no macro expansion): from a <em>source</em>
 * — a secret read from the environment, every variable, a credential file read, the files a directory walk finds,
 * data downloaded — through {@code let} bindings, loops, accumulators ({@code push_str}, {@code +=},
 * {@code read_to_string(&mut s)}), struct fields and calls to the crate's own functions and closures, to a
 * <em>sink</em>: a host name to resolve, a connection or request, a program's arguments, or — for a download — a
 * file that is then made executable or run. Each chain keeps the file and line of every step.
 *
 * <p>Calls are followed through summaries: per function, which parameters reach which sink and which sources it
 * returns. Summaries are computed in rounds over all files of one compilation unit (the library, or the build
 * script), so a helper calling a helper is followed two calls deep.
 */
public final class DataFlow {

    /** What a chain starts from. */
    public enum Source {
        SECRET_ENV, ENVIRONMENT, CREDENTIAL_FILE, SWEPT_FILES, DOWNLOAD;

        /** Whether the value is something to steal (a download is not; it is something to run). */
        boolean secret() {
            return this != DOWNLOAD;
        }
    }

    /** Where a chain ends: data sent out as DNS names, a connection or request, a program's arguments; or run. */
    public enum Sink { DNS, NETWORK, PROCESS, EXECUTION }

    /** One step of a chain. */
    public record Step(String what, String file, int line) {
    }

    /** One chain: source first, sink last. */
    public record Chain(Source source, Sink sink, List<Step> steps) {

        public Chain {
            steps = List.copyOf(steps);
        }

        /** The file the chain starts in (where its source is). */
        public String file() {
            return steps.getFirst().file();
        }

        public int line() {
            return steps.getFirst().line();
        }

        /** {@code env AWS_SECRET_ACCESS_KEY (3) → key (3) → send (src/net.rs:12)}: steps elsewhere name their file. */
        public String describe() {
            return steps.stream().map(s -> s.what() + " (" + (s.file().equals(file()) ? "" : s.file() + ":")
                    + s.line() + ")").collect(Collectors.joining(" → "));
        }

        /** What each step is, without places, ending with what the sink does: "… → to_socket_addrs (DNS lookup)". */
        public String outline() {
            String what = steps.stream().map(Step::what).collect(Collectors.joining(" → "));
            return what + " (" + switch (sink) {
                case DNS -> "DNS lookup";
                case NETWORK -> "sent over the network";
                case PROCESS -> "handed to a program";
                case EXECUTION -> "run";
            } + ")";
        }

        /** Where the chain's steps are, per file: "build.rs:14-22", "src/lib.rs:4-6, src/report.rs:2". */
        public String places() {
            Map<String, int[]> spans = new LinkedHashMap<>();
            for (Step step : steps) {
                spans.merge(step.file(), new int[] {step.line(), step.line()},
                        (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            return spans.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()[0]
                    + (e.getValue()[1] == e.getValue()[0] ? "" : "-" + e.getValue()[1]))
                    .collect(Collectors.joining(", "));
        }

        /** The chain without its line numbers: the same chain in two versions of a crate has the same shape. */
        public String shape() {
            return source + " " + sink + ": " + steps.stream().map(s -> s.what() + "@" + s.file())
                    .collect(Collectors.joining(" → "));
        }
    }

    /**
     * One file of a compilation unit.
     *
     * @param credentialPaths the lines on which the file's literals (or the strings folded from them) name a
     *                        credential file, wallet or key store, with what they name
     */
    public record Unit(String file, Tokens tokens, Map<Integer, String> credentialPaths) {
    }

    private static final Set<String> DNS = Set.of("to_socket_addrs", "lookup_host", "lookup_ip", "getaddrinfo");
    private static final Set<String> NETWORK = Set.of("connect", "send_to", "post", "put", "body", "send_string",
            "send_json", "send_form", "header", "query", "write_all", "send", "json", "form", "multipart");
    private static final Set<String> PROCESS = Set.of("arg", "args", "env");
    private static final Set<String> ACCUMULATE = Set.of("push_str", "push", "extend", "insert", "append",
            "extend_from_slice");
    private static final Set<String> READS = Set.of("read_to_string", "read_to_end", "read", "open", "read_lines",
            "read_exact", "lines");
    private static final Set<String> SWEEPS = Set.of("read_dir", "WalkDir", "walkdir", "glob");
    /**
     * Where downloads come from: an HTTP client crate's path, or a client socket. Not servers, not hyper (the
     * engine under every network library): in a runtime every value would be "from the network".
     */
    private static final Set<String> DOWNLOADS = Set.of("reqwest", "ureq", "attohttpc", "isahc", "surf", "minreq",
            "http_req", "TcpStream");
    /**
     * Methods every type has (std's traits, accessors): a crate's own {@code as_ref} says nothing about another
     * type's, so calls to them are not followed into the crate's summaries.
     */
    private static final Set<String> COMMON_METHODS = Set.of("as_ref", "as_mut", "borrow", "borrow_mut", "deref",
            "deref_mut", "into", "from", "try_from", "try_into", "clone", "to_owned", "to_string", "fmt", "eq", "cmp",
            "partial_cmp", "hash", "next", "poll", "poll_next", "poll_read", "poll_write", "drop", "default", "index",
            "len", "is_empty", "get", "get_mut", "iter", "into_iter", "inner", "as_str", "as_bytes", "unwrap",
            "expect", "map", "write", "read", "flush", "close", "send", "recv");
    /** Chains longer than this are followed no further: payloads are short, and long chains are coincidences. */
    private static final int LONGEST_CHAIN = 16;
    /** Programs that run (or make runnable) what they are handed: a download handed to one is run. */
    private static final Set<String> LAUNCHERS = Set.of("sh", "bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh",
            "-c", "/C", "python", "python3", "perl", "node", "nohup", "setsid", "start", "open", "xdg-open",
            "wscript", "cscript", "osascript", "mshta", "rundll32", "chmod", "+x");
    private static final WordSet WORDS = new WordSet(Stream.of(DNS, NETWORK, PROCESS, ACCUMULATE, READS, SWEEPS,
            DOWNLOADS, Set.of("var", "var_os", "vars", "vars_os", "Command", "set_permissions", "write", "create",
                    "copy")).flatMap(Set::stream).collect(Collectors.toSet()));
    /** Summary rounds before the chains are collected: a helper calling a helper is followed. */
    private static final int ROUNDS = 3;

    /** What a tainted value is: the data itself, a path to credentials, a walk's entry, a file written with it. */
    private enum Form { DATA, PATH, ENTRY, FILE }

    /** A value's taint: its source (or, inside a function being summarised, the parameter it came in by). */
    private record Taint(Source source, int parameter, Form form, List<Step> steps) {

        static Taint of(Source source, Form form, Step step) {
            return new Taint(source, -1, form, List.of(step));
        }

        boolean parameterOnly() {
            return source == null;
        }

        Taint then(Step step) {
            return as(form, step);
        }

        Taint as(Form to, Step step) {
            List<Step> more = new ArrayList<>(steps);
            more.add(step);
            return new Taint(source, parameter, to, more);
        }

    }

    private enum Effect { SENDS, RUNS, WRITES }

    /**
     * What a function does with a parameter ({@code parameter} ≥ 0) or by itself (−1, a download it writes):
     * sends it to {@code sink}, runs it, or writes it to {@code target} (a literal path, or {@code #k}: parameter k).
     */
    private record Use(int parameter, Effect effect, Sink sink, String target, List<Step> steps, Taint taint) {
    }

    private static final class Summary {
        final List<Use> uses = new ArrayList<>();
        final List<Taint> returns = new ArrayList<>();
        boolean self;

        void merge(Summary other) {
            uses.addAll(other.uses.stream().filter(u -> !uses.contains(u)).limit(8).toList());
            other.returns.stream().filter(r -> returns.stream().noneMatch(x -> x.source() == r.source()
                    && x.form() == r.form())).forEach(returns::add);
            self |= other.self;
        }
    }

    /** A function or a closure bound by {@code let}: its name, parameters and body's token range. */
    private record Function(Unit unit, String name, List<String> parameters, boolean self, int from, int to) {
    }

    private final List<Function> functions = new ArrayList<>();
    /** Types and modules the crate defines: {@code Q::f(…)} is the crate's own {@code f} only for these. */
    private final Set<String> local = new HashSet<>(Set.of("Self", "self", "crate", "super"));
    private Map<String, Summary> summaries = new HashMap<>();
    private Map<String, Summary> next = new HashMap<>();
    private final Map<String, List<Taint>> fields = new HashMap<>();
    private final Map<String, Taint> droppedLiterals = new HashMap<>();
    private final Map<String, Chain> chains = new LinkedHashMap<>();
    private boolean collecting;

    private DataFlow(List<Unit> units) {
        for (Unit unit : units) {
            functions(unit);
        }
    }

    /** The chains in one compilation unit's files. */
    public static List<Chain> chains(List<Unit> units) {
        DataFlow flow = new DataFlow(units);
        for (int round = 1; round <= ROUNDS; round++) {
            flow.collecting = round == ROUNDS;
            flow.next = new HashMap<>();
            flow.functions.forEach(flow::function);
            flow.summaries = flow.next;
        }
        return List.copyOf(flow.chains.values());
    }

    /** The chains in one file, which names no credential paths. */
    public static List<Chain> chains(Tokens tokens) {
        return chains(List.of(new Unit("", tokens, Map.of())));
    }

    private void functions(Unit unit) {
        Tokens t = unit.tokens();
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.isIdent(i, "fn") && t.kind(i + 1) == Tokens.IDENT) {
                int open = i + 2;
                while (open < t.size() && !t.isPunct(open, '(') && !t.isPunct(open, '{') && !t.isPunct(open, ';')) {
                    open++; // generics
                }
                if (!t.isPunct(open, '(')) {
                    continue;
                }
                int close = matching(t, open, '(', ')');
                int body = close + 1;
                // The return type may hold brackets with a ';' inside: -> [u8; 32].
                for (int depth = 0; body < t.size(); body++) {
                    if (t.isPunct(body, '[') || t.isPunct(body, '(')) {
                        depth++;
                    } else if (t.isPunct(body, ']') || t.isPunct(body, ')')) {
                        depth--;
                    } else if (depth == 0 && (t.isPunct(body, '{') || t.isPunct(body, ';'))) {
                        break;
                    }
                }
                if (body < t.size() && t.isPunct(body, '{')) {
                    List<String> parameters = parameters(t, open, close);
                    boolean self = !parameters.isEmpty() && parameters.getFirst().equals("self");
                    functions.add(new Function(unit, t.text(i + 1), parameters, self, body + 1,
                            matching(t, body, '{', '}')));
                }
            } else if (t.isIdent(i, "let") && t.kind(i + 1) == Tokens.IDENT && t.isPunct(i + 2, '=')) {
                closure(unit, t, i + 1);
            } else if ((t.isIdent(i, "impl") || t.isIdent(i, "struct") || t.isIdent(i, "enum")
                    || t.isIdent(i, "mod") || t.isIdent(i, "trait")) && t.kind(i + 1) == Tokens.IDENT) {
                local.add(t.text(i + 1));
            }
        }
    }

    /** {@code let name = [move] |a, b: T| body}: a closure, summarised like a function. */
    private void closure(Unit unit, Tokens t, int name) {
        int bar = name + 2;
        if (t.isIdent(bar, "move")) {
            bar++;
        }
        if (!t.isPunct(bar, '|')) {
            return;
        }
        int end = bar + 1;
        List<String> parameters = new ArrayList<>();
        boolean expectName = true;
        while (end < t.size() && !t.isPunct(end, '|')) {
            if (t.isPunct(end, ',')) {
                expectName = true;
            } else if (expectName && t.kind(end) == Tokens.IDENT && !t.isIdent(end, "mut")) {
                parameters.add(t.text(end));
                expectName = false;
            } else if (t.isPunct(end, ':')) {
                expectName = false;
            }
            end++;
        }
        int from = end + 1;
        int to;
        if (t.isPunct(from, '{')) {
            to = matching(t, from, '{', '}');
            from++;
        } else {
            to = from;
            int depth = 0;
            while (to < t.size() && !(depth == 0 && t.isPunct(to, ';'))) {
                depth += t.isPunct(to, '(') || t.isPunct(to, '{') || t.isPunct(to, '[') ? 1
                        : t.isPunct(to, ')') || t.isPunct(to, '}') || t.isPunct(to, ']') ? -1 : 0;
                to++;
            }
        }
        functions.add(new Function(unit, t.text(name), parameters, false, from, to));
    }

    /** The parameters' names; a pattern parameter ({@code (a, b): (T, U)}) counts by its first name. */
    private static List<String> parameters(Tokens t, int open, int close) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        boolean expectName = true;
        for (int k = open + 1; k < close; k++) {
            if (t.isPunct(k, '(') || t.isPunct(k, '<') || t.isPunct(k, '[')) {
                depth++;
            } else if (t.isPunct(k, ')') || t.isPunct(k, '>') && !t.isPunct(k - 1, '-') || t.isPunct(k, ']')) {
                depth--;
            } else if (depth == 0 && t.isPunct(k, ',')) {
                expectName = true;
            } else if (expectName && t.kind(k) == Tokens.IDENT && !t.isIdent(k, "mut")) {
                names.add(t.text(k));
                expectName = false;
            }
        }
        return names;
    }

    private static int matching(Tokens t, int open, char up, char down) {
        int depth = 0;
        for (int k = open; k < t.size(); k++) {
            if (t.isPunct(k, up)) {
                depth++;
            } else if (t.isPunct(k, down) && --depth == 0) {
                return k;
            }
        }
        return t.size();
    }

    private void function(Function f) {
        Tokens t = f.unit().tokens();
        Map<String, List<Taint>> vars = new HashMap<>();
        for (int p = 0; p < f.parameters().size(); p++) {
            vars.put(f.parameters().get(p), List.of(new Taint(null, p, Form.DATA, List.of())));
        }
        Map<String, String> handles = new HashMap<>();
        Map<String, String> secretNames = new HashMap<>();
        Summary summary = new Summary();
        summary.self = f.self();
        int start = f.from();
        for (int i = f.from(); i <= f.to() && i <= t.size(); i++) {
            boolean end = i == f.to() || i == t.size();
            if (end || t.isPunct(i, ';') || t.isPunct(i, '{') || t.isPunct(i, '}')) {
                if (i > start) {
                    new Statement(f, start, i, vars, handles, secretNames, summary, end || t.isPunct(i, '}'))
                            .run();
                }
                start = i + 1;
            }
        }
        next.computeIfAbsent(f.name(), n -> new Summary()).merge(summary);
    }

    /** A call to a summarised function: its name, whether as a method, and its arguments' token ranges. */
    private record Call(String name, boolean method, int line, List<int[]> arguments) {
    }

    /** What a statement runs or makes executable: the call and its first argument's token range. */
    private record Run(String what, int[] target) {
    }

    /** Where a statement writes: the path (or the handle written through) and the data's token ranges. */
    private record Write(int[] path, String handle, int[] data) {
    }

    /** One statement's analysis: what it carries in, what it sends, runs or writes, and what it binds. */
    private final class Statement {

        private final Function f;
        private final Tokens t;
        private final int from;
        private final int to;
        private final Map<String, List<Taint>> vars;
        private final Map<String, String> handles;
        /** Variables holding a secret's name: {@code for name in ["AWS_SECRET_ACCESS_KEY", …]}. */
        private final Map<String, String> secretNames;
        private final Summary summary;
        private final boolean tail;
        private final List<Taint> carried = new ArrayList<>();
        /** The sources this statement itself starts, by the token they start at. */
        private final Map<Taint, Integer> fresh = new HashMap<>();

        Statement(Function f, int from, int to, Map<String, List<Taint>> vars, Map<String, String> handles,
                  Map<String, String> secretNames, Summary summary, boolean tail) {
            this.f = f;
            this.t = f.unit().tokens();
            this.from = from;
            this.to = to;
            this.vars = vars;
            this.handles = handles;
            this.secretNames = secretNames;
            this.summary = summary;
            this.tail = tail;
        }

        private Step step(String what, int i) {
            return new Step(what, f.unit().file(), t.line(i));
        }

        void run() {
            boolean read = false;
            boolean command = false;
            boolean launcher = false;
            String sweep = null;
            String download = null;
            int downloadAt = from;
            Sink sink = null;
            Step sinkStep = null;
            List<Run> runs = new ArrayList<>();
            List<Write> writes = new ArrayList<>();
            List<Call> calls = new ArrayList<>();
            String opened = null;
            List<String> filled = new ArrayList<>();
            for (int i = from; i < to; i++) {
                byte kind = t.kind(i);
                if (kind == Tokens.STRING) {
                    launcher |= LAUNCHERS.contains(t.stringValue(i));
                    continue;
                }
                if (kind != Tokens.IDENT) {
                    continue;
                }
                boolean afterDot = t.isPunct(i - 1, '.');
                boolean afterPath = t.isPunct(i - 1, ':') && t.isPunct(i - 2, ':');
                boolean call = t.isPunct(i + 1, '(');
                String word = t.wordIn(i, WORDS);
                if (word != null && (afterDot || afterPath || call || t.isPunct(i + 1, ':'))) {
                    Taint source = source(i, word);
                    if (source != null) {
                        carried.add(source);
                        fresh.put(source, i);
                        continue;
                    }
                    command |= word.equals("Command");
                    if (DOWNLOADS.contains(word) && t.isPunct(i + 1, ':')) {
                        if (download == null) {
                            download = word;
                            downloadAt = i;
                        }
                    }
                    if (SWEEPS.contains(word)) {
                        sweep = sweep == null ? word : sweep;
                    }
                    if (READS.contains(word) && call) {
                        read = true;
                        if (!word.equals("open") && !word.equals("lines")) {
                            filled.addAll(mutableArguments(i + 1));
                        }
                    }
                    if (word.equals("Command") && t.isPunct(i + 1, ':') && t.isIdent(i + 3, "new")
                            && t.isPunct(i + 4, '(')) {
                        arguments(i + 4).stream().findFirst().ifPresent(a -> runs.add(new Run("run", a)));
                    } else if (word.equals("set_permissions") && call) {
                        arguments(i + 1).stream().findFirst().ifPresent(a -> runs.add(new Run(word, a)));
                    } else if (word.equals("write") && afterPath && t.isIdent(i - 3, "fs") && call) {
                        List<int[]> args = arguments(i + 1);
                        if (args.size() == 2) {
                            writes.add(new Write(args.get(0), null, args.get(1)));
                        }
                    } else if ((word.equals("write_all") || word.equals("write")) && afterDot && call && i >= 2
                            && t.kind(i - 2) == Tokens.IDENT && handles.containsKey(t.text(i - 2))) {
                        List<int[]> args = arguments(i + 1);
                        if (!args.isEmpty()) {
                            writes.add(new Write(null, t.text(i - 2), args.getFirst()));
                        }
                        continue;
                    } else if (word.equals("copy") && afterPath && t.isIdent(i - 3, "io") && call) {
                        List<int[]> args = arguments(i + 1);
                        if (args.size() == 2) {
                            writes.add(new Write(null, lastName(args.get(1)), args.get(0)));
                        }
                    } else if ((word.equals("create") && afterPath && t.isIdent(i - 3, "File")
                            || word.equals("open") && afterDot) && call) {
                        opened = arguments(i + 1).stream().findFirst().map(this::pathText).orElse(null);
                    }
                    if (afterDot || afterPath) {
                        Sink at = DNS.contains(word) ? Sink.DNS : NETWORK.contains(word) ? Sink.NETWORK
                                : PROCESS.contains(word) && command ? Sink.PROCESS : null;
                        if (at != null && (sink == null || at == Sink.DNS)) {
                            sink = at;
                            sinkStep = step(word, i);
                        }
                    }
                }
                String name = t.text(i);
                if (call) {
                    // Q::f(…) is the crate's f only when Q is the crate's own type or module.
                    boolean own = afterPath ? i >= 3 && t.kind(i - 3) == Tokens.IDENT && local.contains(t.text(i - 3))
                            : !afterDot || !COMMON_METHODS.contains(name);
                    if (own && summaries.containsKey(name)) {
                        calls.add(new Call(name, afterDot, t.line(i), arguments(i + 1)));
                    }
                } else if (afterPath || t.isPunct(i + 1, ':')) {
                    continue;
                } else if (afterDot) {
                    List<Taint> field = fields.get(name);
                    if (field != null) {
                        Step use = step("." + name, i);
                        field.forEach(x -> add(x.then(use)));
                    }
                } else {
                    List<Taint> value = vars.get(name);
                    if (value != null && !isBinding(i)) {
                        value.forEach(this::add);
                    }
                }
            }
            String credential = credentialPath();
            if (credential != null) {
                add(Taint.of(Source.CREDENTIAL_FILE, read ? Form.DATA : Form.PATH,
                        step((read ? "file " : "path ") + credential, from)));
            }
            if (read) {
                for (Taint x : List.copyOf(carried)) {
                    if (x.form() == Form.PATH || x.form() == Form.ENTRY && x.source() == Source.SWEPT_FILES) {
                        carried.remove(x);
                        add(x.as(Form.DATA, step("read", from)));
                    }
                }
            }
            if (sweep != null) {
                add(Taint.of(Source.SWEPT_FILES, Form.ENTRY, step("walk " + sweep, from)));
            }
            if (download != null) {
                Taint fetched = Taint.of(Source.DOWNLOAD, Form.DATA, step("download " + download, downloadAt));
                add(fetched);
                fresh.put(fetched, downloadAt);
            }
            for (Call c : calls) {
                apply(c);
            }
            if (sink != null) {
                for (Taint x : carried) {
                    if (x.form() == Form.DATA && (x.parameterOnly() || x.source().secret())) {
                        send(x, sink, List.of(sinkStep));
                    }
                }
            }
            for (Run r : runs) {
                for (Taint x : taintsIn(r.target())) {
                    if (x.form() == Form.FILE || x.parameterOnly()) {
                        run(x, List.of(step(r.what(), r.target()[0])));
                    }
                }
            }
            if (command && launcher) {
                carried.stream().filter(x -> x.source() == Source.DOWNLOAD && x.form() != Form.PATH).findFirst()
                        .ifPresent(x -> run(x, List.of(step("run", from))));
            }
            for (Write w : writes) {
                String path = w.path() != null ? pathText(w.path()) : handles.getOrDefault(w.handle(), w.handle());
                for (Taint x : taintsIn(w.data())) {
                    write(x, path, step("write " + display(path), w.data()[0]));
                }
            }
            bind(opened, filled);
        }

        private void add(Taint taint) {
            if (taint.steps().size() > LONGEST_CHAIN) {
                return;
            }
            for (Taint x : carried) {
                if (x.source() == taint.source() && x.parameter() == taint.parameter() && x.form() == taint.form()) {
                    return;
                }
            }
            carried.add(taint);
        }

        /** {@code env::var("SECRET")} or {@code env::vars()} at {@code i}: the taint it starts. */
        private Taint source(int i, String word) {
            if (!t.isPunct(i - 1, ':') || !t.isIdent(i - 3, "env") || !t.isPunct(i + 1, '(')) {
                return null;
            }
            if (word.equals("vars") || word.equals("vars_os")) {
                return Taint.of(Source.ENVIRONMENT, Form.DATA, step("every environment variable", i));
            }
            if (!word.equals("var") && !word.equals("var_os")) {
                return null;
            }
            int argument = t.isPunct(i + 2, '&') ? i + 3 : i + 2;
            boolean identifier = argument < t.size() && t.kind(argument) == Tokens.IDENT;
            String name = t.isString(argument) ? t.stringValue(argument)
                    : identifier ? secretNames.get(t.text(argument)) : null;
            if (name == null && identifier) {
                name = secretLiteral(); // ["POLYMARKET_PRIVATE_KEY", …].iter().filter_map(|k| env::var(k).ok())
            }
            return name != null && SecretNames.looksSecret(name)
                    ? Taint.of(Source.SECRET_ENV, Form.DATA, step("env " + name, i)) : null;
        }

        /** The first secret-looking name the statement's literals spell, alone or joined ("AWS_SEC" + …). */
        private String secretLiteral() {
            StringBuilder joined = new StringBuilder();
            for (int k = from; k < to; k++) {
                if (t.isString(k)) {
                    String value = t.stringValue(k);
                    if (SecretNames.looksSecret(value)) {
                        return value;
                    }
                    joined.append(value);
                }
            }
            return !joined.isEmpty() && SecretNames.looksSecret(joined.toString()) ? joined.toString() : null;
        }

        private String credentialPath() {
            Map<Integer, String> paths = f.unit().credentialPaths();
            if (paths.isEmpty()) {
                return null;
            }
            for (int line = t.line(from); line <= t.line(Math.max(from, to - 1)); line++) {
                String path = paths.get(line);
                if (path != null) {
                    return path;
                }
            }
            return null;
        }

        private void send(Taint x, Sink sink, List<Step> rest) {
            if (x.parameterOnly()) {
                summary.uses.add(new Use(x.parameter(), Effect.SENDS, sink, null, concat(x.steps(), rest), null));
            } else if (collecting) {
                Chain chain = new Chain(x.source(), sink, concat(x.steps(), rest));
                chains.putIfAbsent(chain.shape(), chain);
            }
        }

        private void run(Taint x, List<Step> rest) {
            if (x.parameterOnly()) {
                summary.uses.add(new Use(x.parameter(), Effect.RUNS, Sink.EXECUTION, null, concat(x.steps(), rest),
                        null));
            } else if (x.source() == Source.DOWNLOAD && collecting) {
                Chain chain = new Chain(Source.DOWNLOAD, Sink.EXECUTION, concat(x.steps(), rest));
                chains.putIfAbsent(chain.shape(), chain);
            }
        }

        /** Data written to {@code path}: a download makes it a dropped file; a parameter, a summary. */
        private void write(Taint x, String path, Step step) {
            if (path == null || x.form() != Form.DATA) {
                return;
            }
            int parameter = f.parameters().indexOf(path);
            if (x.parameterOnly()) {
                if (path.startsWith("\"") || parameter >= 0) {
                    summary.uses.add(new Use(x.parameter(), Effect.WRITES, null,
                            parameter >= 0 ? "#" + parameter : path, concat(x.steps(), List.of(step)), null));
                }
            } else if (x.source() == Source.DOWNLOAD) {
                dropped(path, x.as(Form.FILE, step));
            }
        }

        /** The file at {@code path} (a literal, a parameter or a variable) now holds what was downloaded. */
        private void dropped(String path, Taint file) {
            int parameter = f.parameters().indexOf(path);
            if (path.startsWith("\"")) {
                droppedLiterals.putIfAbsent(path, file);
            } else if (parameter >= 0) {
                summary.uses.add(new Use(-1, Effect.WRITES, null, "#" + parameter, List.of(), file));
            } else {
                vars.merge(path, List.of(file), DataFlow::concat);
            }
        }

        /** A call to a summarised function: what its parameters reach, with the arguments this call passes. */
        private void apply(Call c) {
            Summary callee = summaries.get(c.name());
            int shift = c.method() && callee.self ? 1 : 0;
            Step call = new Step(c.name() + "(…)", f.unit().file(), c.line());
            for (Use use : callee.uses) {
                int argument = use.parameter() - shift;
                List<Taint> passed = use.parameter() < 0 ? List.of(use.taint())
                        : argument >= 0 && argument < c.arguments().size() ? taintsIn(c.arguments().get(argument))
                        : List.of();
                for (Taint x : passed) {
                    Taint through = use.parameter() < 0 ? x : x.then(call);
                    switch (use.effect()) {
                        case SENDS -> {
                            if (x.form() == Form.DATA && (x.parameterOnly() || x.source().secret())) {
                                send(through, use.sink(), use.steps());
                            }
                        }
                        case RUNS -> {
                            if (x.form() == Form.FILE || x.parameterOnly()) {
                                run(through, use.steps());
                            }
                        }
                        case WRITES -> {
                            String target = use.target();
                            String path = target;
                            if (target.startsWith("#")) {
                                int k = Integer.parseInt(target.substring(1)) - shift;
                                path = k >= 0 && k < c.arguments().size() ? pathText(c.arguments().get(k)) : null;
                            }
                            if (path == null) {
                                continue;
                            }
                            if (use.parameter() < 0) {
                                dropped(path, x.then(call));
                            } else if (x.parameterOnly()) {
                                write(through, path, use.steps().getLast());
                            } else if (x.source() == Source.DOWNLOAD && x.form() == Form.DATA) {
                                dropped(path, new Taint(Source.DOWNLOAD, -1, Form.FILE,
                                        concat(through.steps(), use.steps())));
                            }
                        }
                    }
                }
            }
            for (Taint returned : callee.returns) {
                add(returned.then(new Step(c.name() + "()", f.unit().file(), c.line())));
            }
        }

        /** What the statement binds gets what it carries; a tail or {@code return} is what the function returns. */
        private void bind(String opened, List<String> filled) {
            List<String> names = new ArrayList<>(bound(t, from, to));
            boolean replace = t.isIdent(from, "let") || t.isIdent(from, "for");
            if (names.size() == 1 && replace) {
                if (opened != null) {
                    handles.put(names.getFirst(), opened);
                }
                String secret = secretLiteral();
                if (secret != null) {
                    secretNames.put(names.getFirst(), secret);
                }
            }
            if (carried.isEmpty()) {
                return;
            }
            if (tail || t.isIdent(from, "return")) {
                carried.stream().filter(x -> !x.parameterOnly()).forEach(x -> {
                    if (summary.returns.stream().noneMatch(r -> r.source() == x.source() && r.form() == x.form())) {
                        summary.returns.add(x);
                    }
                });
            }
            names.addAll(filled);
            for (String name : names) {
                List<Taint> value = carried.stream().map(x -> x.then(step(name, from))).toList();
                if (replace && !filled.contains(name)) {
                    vars.put(name, value);
                } else {
                    List<Taint> merged = new ArrayList<>(vars.getOrDefault(name, List.of()));
                    value.stream().filter(v -> merged.stream().noneMatch(m -> m.source() == v.source()
                            && m.form() == v.form())).forEach(merged::add);
                    vars.put(name, merged);
                }
            }
            fields();
        }

        /** {@code self.token = …} and {@code Config { token: … }}: the field carries the value crate-wide. */
        private void fields() {
            // A download kept in a field is every client's connection: only secrets are followed through fields.
            List<Taint> real = carried.stream().filter(x -> !x.parameterOnly() && x.source().secret()).toList();
            if (real.isEmpty()) {
                return;
            }
            for (int i = from; i + 2 < to; i++) {
                if (t.kind(i) != Tokens.IDENT) {
                    continue;
                }
                boolean assigned = t.isPunct(i - 1, '.') && t.isPunct(i + 1, '=') && !t.isPunct(i + 2, '=');
                boolean initialised = (i == from || t.isPunct(i - 1, ',') || t.isPunct(i - 1, '{'))
                        && t.isPunct(i + 1, ':') && !t.isPunct(i + 2, ':');
                if (assigned || initialised) {
                    Step field = step("." + t.text(i), i);
                    fields.put(t.text(i), real.stream().map(x -> x.then(field)).toList());
                }
            }
        }

        /** The taints of the variables, fields and literals inside a token range. */
        private List<Taint> taintsIn(int[] range) {
            List<Taint> found = new ArrayList<>();
            for (int k = range[0]; k < range[1]; k++) {
                if (t.isString(k)) {
                    Taint dropped = droppedLiterals.get('"' + t.stringValue(k) + '"');
                    if (dropped != null) {
                        found.add(dropped);
                    }
                } else if (t.kind(k) == Tokens.IDENT && !t.isPunct(k + 1, '(') && !t.isPunct(k - 1, ':')) {
                    List<Taint> value = t.isPunct(k - 1, '.') ? fields.get(t.text(k)) : vars.get(t.text(k));
                    if (value != null) {
                        found.addAll(value);
                    }
                }
            }
            // A source written straight into the argument: send(env::var("TOKEN")), write(get(url).bytes()).
            fresh.forEach((x, at) -> {
                if (at >= range[0] && at < range[1]) {
                    found.add(x);
                }
            });
            return found;
        }

        /** A path argument as text: the literal ({@code "\"/tmp/x\""}) or the variable named in it. */
        private String pathText(int[] range) {
            for (int k = range[0]; k < range[1]; k++) {
                if (t.isString(k)) {
                    return '"' + t.stringValue(k) + '"';
                }
                if (t.kind(k) == Tokens.IDENT && !t.isIdent(k, "mut") && !t.isPunct(k + 1, ':')
                        && !t.isPunct(k - 1, ':')) {
                    return t.text(k);
                }
            }
            return null;
        }

        private String lastName(int[] range) {
            String name = null;
            for (int k = range[0]; k < range[1]; k++) {
                if (t.kind(k) == Tokens.IDENT && !t.isIdent(k, "mut")) {
                    name = t.text(k);
                }
            }
            return name;
        }

        /** {@code read_to_string(&mut text)}: the names a read fills. */
        private List<String> mutableArguments(int open) {
            List<String> names = new ArrayList<>();
            for (int[] range : arguments(open)) {
                if (range[1] - range[0] == 3 && t.isPunct(range[0], '&') && t.isIdent(range[0] + 1, "mut")
                        && t.kind(range[0] + 2) == Tokens.IDENT) {
                    names.add(t.text(range[0] + 2));
                }
            }
            return names;
        }

        /** The token ranges of a call's arguments, split at the commas at its own depth. */
        private List<int[]> arguments(int open) {
            List<int[]> ranges = new ArrayList<>();
            if (!t.isPunct(open, '(')) {
                return ranges;
            }
            int depth = 0;
            int start = open + 1;
            for (int k = open; k < t.size(); k++) {
                if (t.isPunct(k, '(') || t.isPunct(k, '[') || t.isPunct(k, '{')) {
                    depth++;
                } else if (t.isPunct(k, ')') || t.isPunct(k, ']') || t.isPunct(k, '}')) {
                    if (--depth == 0) {
                        if (k > start) {
                            ranges.add(new int[] {start, k});
                        }
                        return ranges;
                    }
                } else if (depth == 1 && t.isPunct(k, ',')) {
                    ranges.add(new int[] {start, k});
                    start = k + 1;
                }
            }
            return ranges;
        }

        /** Whether the identifier at {@code i} is the name being bound, not a use of it. */
        private boolean isBinding(int i) {
            return bound(t, from, i + 2).contains(t.text(i));
        }
    }

    private static String display(String path) {
        return path.startsWith("\"") ? path.substring(1, path.length() - 1) : path;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * The names a statement binds or fills: {@code let [mut] x}, {@code let (a, b)}, {@code if let Ok(x)},
     * {@code for (k, v) in}, {@code x.push_str(…)}, {@code x += …}.
     */
    private static List<String> bound(Tokens t, int from, int end) {
        int to = Math.min(end, t.size());
        int at = from;
        if (at >= to) {
            return List.of();
        }
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
        if (t.kind(at) == Tokens.IDENT && (t.isPunct(at + 1, '+') && t.isPunct(at + 2, '=')
                || t.isPunct(at + 1, '=') && !t.isPunct(at + 2, '='))) {
            return List.of(t.text(at));
        }
        return List.of();
    }
}
