package dev.warden.spark;

import dev.warden.core.Environment;
import dev.warden.core.Printable;
import dev.warden.core.WardenException;
import dev.warden.evaluate.scan.ScanRuleSet;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code spark-submit --class dev.warden.spark.EcosystemScanMain warden-spark.jar --mirror DIR --output DIR}: the
 * ecosystem scan from the command line. Exit 0 when the scan ran (findings are data here, not a verdict), 2 when it
 * could not (bad options, no mirror).
 */
@Command(name = "warden-spark", mixinStandardHelpOptions = true, description = {
    "Scan every crate version of a registry mirror (crates/NAME/NAME-VERSION.crate, as crates.io's static bucket)",
    "or of an index (downloading each version) with Warden's scanner on Spark, into Parquet tables: crates/,",
    "findings/, rollup/. Versions already scanned by this rule set are skipped."})
public final class EcosystemScanMain implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Source source;

    /** A mirror of archives, or an index whose archives are downloaded. */
    static final class Source {
        @Option(names = "--mirror", required = true, paramLabel = "URI", description = {
            "A mirror's root: crates/NAME/NAME-VERSION.crate under it (crates.io's static bucket layout)."})
        String mirror;

        @ArgGroup(exclusive = false)
        IndexSource index;
    }

    static final class IndexSource {
        @Option(names = "--index", required = true, paramLabel = "URI", description = {
            "Or: a registry index checked out here (crates.io-index's layout); each version is downloaded and",
            "checked against the index's checksum."})
        String root;

        @Option(names = "--dl", paramLabel = "URL", description = {
            "The download URL template for --index (default: the index's config.json \"dl\")."})
        String dl;
    }

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Where the tables are kept.")
    String output;

    @Option(names = "--rule-set", paramLabel = "VERSION", description = {
        "Label the results with this rule set instead of the scanner's own digest (${DEFAULT-VALUE}); a new label",
        "rescans everything."})
    String ruleSet = ScanRuleSet.version();

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Tasks to cut the work into (default: eight per core).")
    int partitions;

    @Option(names = "--master", paramLabel = "URL", description = {
        "Spark master when not run by spark-submit, e.g. local[*]."})
    String master;

    private static final int MAX_SKIPPED_SHOWN = 20;

    private final PrintWriter out;

    EcosystemScanMain(PrintWriter out) {
        this.out = out;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new EcosystemScanMain(out));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("warden-spark: " + Printable.of(e.getMessage()) + " (see 'warden-spark --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof WardenException) {
                err.println("warden-spark: " + Printable.of(e.getMessage()));
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    private Mirror mirror() {
        return source.mirror != null ? new Mirror.Directory(source.mirror)
                : new Mirror.Index(source.index.root, source.index.dl);
    }

    @Override
    public Integer call() {
        SparkSession.Builder builder = SparkSession.builder().appName("warden ecosystem scan");
        if (master != null) {
            builder.master(master);
        }
        // A session someone else started (a notebook, a test) is theirs to stop.
        boolean ours = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = builder.getOrCreate();
        try {
            EcosystemScan.Summary summary = EcosystemScan.run(spark,
                    new EcosystemScan.Options(mirror(), output, ruleSet, partitions), Environment.system());
            out.printf("warden-spark: %d crate versions in the mirror, %d already scanned by %s, %d scanned now"
                            + " (%d could not be read), %d findings; tables in %s%n", summary.listed(),
                    summary.alreadyScanned(), summary.ruleSet(), summary.scanned(), summary.unreadable(),
                    summary.findings(), output);
            summary.skipped().stream().limit(MAX_SKIPPED_SHOWN)
                    .forEach(skipped -> out.println("warden-spark: skipped " + Printable.of(skipped)));
            if (summary.skipped().size() > MAX_SKIPPED_SHOWN) {
                out.printf("warden-spark: and %d more skipped%n", summary.skipped().size() - MAX_SKIPPED_SHOWN);
            }
            return 0;
        } finally {
            if (ours) {
                spark.stop();
            }
        }
    }
}
