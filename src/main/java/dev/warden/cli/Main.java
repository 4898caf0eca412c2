package dev.warden.cli;

import dev.warden.cargo.graph.EdgeFilter;
import dev.warden.core.Environment;
import dev.warden.core.Severity;
import dev.warden.core.Printable;
import dev.warden.core.WardenException;
import dev.warden.evaluate.audit.AuditPolicy;
import dev.warden.report.Format;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code warden} command line. Commands are thin: they parse options, call the library and render. This class
 * alone turns outcomes and errors into exit statuses: 0 nothing to report, 1 findings at or above the fail level,
 * 2 the job could not be done (bad input, unknown option, or a bug — stack trace only with {@code --verbose}).
 */
@Command(name = "warden", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        scope = ScopeType.INHERIT,
        description = "Protects Rust projects from malicious and compromised crates.",
        footer = {"", "Exit status: 0 ok, 1 findings at or above the fail level, 2 error."})
public final class Main implements Runnable {

    /**
     * Every command, in help order. They are registered lazily: building a command's model means reflecting over
     * its annotations, and a run needs only the one it executes (see {@link #commandLine}).
     */
    static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("lock", LockCommand::new);
        COMMANDS.put("tree", TreeCommand::new);
        COMMANDS.put("why", WhyCommand::new);
        COMMANDS.put("audit", AuditCommand::new);
        COMMANDS.put("db", DbCommand::new);
        COMMANDS.put("scan", ScanCommand::new);
        COMMANDS.put("diff", DiffCommand::new);
        COMMANDS.put("recon", ReconCommand::new);
        COMMANDS.put("churn", ChurnCommand::new);
        COMMANDS.put("ci-audit", CiAuditCommand::new);
        COMMANDS.put("fetch", FetchCommand::new);
        COMMANDS.put("build", BuildCommand::new);
        COMMANDS.put("egress-policy", EgressPolicyCommand::new);
        COMMANDS.put("events", EventsCommand::new);
        COMMANDS.put("init", InitCommand::new);
        COMMANDS.put("gate", GateCommand::new);
        COMMANDS.put("pr-comment", PrCommentCommand::new);
        COMMANDS.put("registry", RegistryCommand::new);
        COMMANDS.put("registry-data", RegistryDataCommand::new);
        COMMANDS.put("drill", DrillCommand::new);
        COMMANDS.put("ir", IrCommand::new);
        COMMANDS.put("tabletop", TabletopCommand::new);
        COMMANDS.put("threat-model", ThreatModelCommand::new);
        COMMANDS.put("report", ReportCommand::new);
        COMMANDS.put("store", StoreCommand::new);
        COMMANDS.put("review", ReviewCommand::new);
        COMMANDS.put("weight", WeightCommand::new);
        COMMANDS.put("licenses", LicensesCommand::new);
        COMMANDS.put("provenance", ProvenanceCommand::new);
    }

    public static final int EXIT_OK = 0;
    public static final int EXIT_FINDINGS = 1;
    public static final int EXIT_ERROR = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces for internal errors.")
    boolean verbose;

    @Option(names = "--color", scope = ScopeType.INHERIT, paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour findings' severities: auto (on a terminal, unless NO_COLOR is set), always, never.")
    ColorWriter.When color = ColorWriter.When.AUTO;

    /** Decided once, at the first write (after the options are parsed), not on every write. */
    private Boolean colour;

    /** Whether standard output gets colour: asked for, or on a terminal that does not refuse it. */
    boolean colour() {
        if (colour == null) {
            colour = switch (color) {
                case ALWAYS -> true;
                case NEVER -> false;
                case AUTO -> System.console() != null && env.variable("NO_COLOR").isEmpty()
                        && !env.variable("TERM").orElse("").equals("dumb");
            };
        }
        return colour;
    }

    private final Environment env;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(Environment env) {
        this.env = env;
    }

    Environment env() {
        return env;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err, Environment.system()));
    }

    /** Runs one command line in-process and returns its exit status (tests call this directly). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Environment env) {
        Main main = new Main(env);
        CommandLine cli = commandLine(main, args);
        ColorWriter coloured = new ColorWriter(out, main::colour);
        cli.setOut(coloured);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // Typed options: the CLI layer turns text into the enums the library takes, with the library's own words.
        cli.registerConverter(Severity.class, text -> typed(() -> Severity.parse(text)));
        cli.registerConverter(Format.class, text -> typed(() -> Format.parse(text)));
        cli.registerConverter(EdgeFilter.class, text -> typed(() -> EdgeFilter.parse(text)));
        cli.registerConverter(AuditPolicy.Warning.Kinds.class, text -> typed(() -> AuditPolicy.Warning.Kinds.parse(text)));
        cli.setParameterExceptionHandler((e, arguments) -> {
            String command = e.getCommandLine().getCommandName();
            err.println("warden: " + e.getMessage() + " (see 'warden " + ("warden".equals(command) ? "" : command + " ")
                    + "--help')");
            return EXIT_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof WardenException) {
                // Several problems (a policy file with three mistakes) come as one line each.
                // Messages quote inputs: a control character there would forge a line or rewrite the terminal.
                for (String line : e.getMessage().split("\n")) {
                    err.println("warden: " + Printable.of(line));
                }
            } else if (e instanceof UncheckedIOException io) {
                err.println("warden: I/O error: " + Printable.of(io.getCause().getMessage()));
                if (main.verbose) {
                    e.printStackTrace(err);
                }
            } else {
                err.println("warden: internal error: " + Printable.of(e.toString())
                        + (main.verbose ? "" : " (run with --verbose for details)"));
                if (main.verbose) {
                    e.printStackTrace(err);
                }
            }
            return EXIT_ERROR;
        });
        int status;
        try {
            status = cli.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // Input built to exhaust a reader is refused like any other bad input, never reported as findings.
            coloured.flush();
            err.println("warden: the input exceeds what Warden reads (" + (e instanceof StackOverflowError
                    ? "nested too deeply" : "too large for the memory given") + ")");
            err.flush();
            return EXIT_ERROR;
        } catch (Error e) {
            coloured.flush();
            err.println("warden: internal error: " + Printable.of(e.toString()));
            err.flush();
            return EXIT_ERROR;
        }
        coloured.flush();
        out.flush();
        err.flush();
        if (status != EXIT_OK) {
            return status;
        }
        CommandLine.ParseResult parsed = cli.getParseResult();
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        Object result = parsed.commandSpec().commandLine().getExecutionResult();
        return result == Outcome.FINDINGS ? EXIT_FINDINGS : EXIT_OK;
    }

    /** The command line with only the invoked command registered, or all of them when none is named (help). */
    static CommandLine commandLine(Main main, String[] args) {
        CommandLine cli = new CommandLine(main);
        String invoked = null;
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                invoked = COMMANDS.containsKey(arg) ? arg : null; // `help CMD` needs them all
                break;
            }
        }
        for (Map.Entry<String, Supplier<Object>> command : COMMANDS.entrySet()) {
            if (invoked == null || invoked.equals(command.getKey())) {
                cli.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        HelpLayout.install(cli);
        return cli;
    }

    /** A library parse error as picocli's "invalid value" (one line, exit 2). */
    private static <T> T typed(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (WardenException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The version Maven stamped into the jar manifest ("dev" when running from classes). */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"warden " + version()};
        }
    }
}
