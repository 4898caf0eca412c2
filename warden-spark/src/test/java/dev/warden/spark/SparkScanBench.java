package dev.warden.spark;

import dev.warden.core.Environment;
import dev.warden.evaluate.scan.CrateScanner;
import dev.warden.evaluate.scan.ScanRuleSet;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.evaluate.source.TreeLimits;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Throughput of the ecosystem scan in Spark local mode against the same scanner without Spark, on one mirror
 * packed from Debian's crate sources (bench/RESULTS.md). Not a test: run by hand,
 * {@code java <spark.test.jvm options> -cp … dev.warden.spark.SparkScanBench MIRROR-DIR [REPEATS] [COPIES]}; the
 * mirror is packed there first when it has no crates/ yet, each crate COPIES times (as versions {@code V+copyN}),
 * so that Spark's fixed cost per job can be told from its cost per crate. Wall-clock seconds, best of REPEATS
 * after one warm-up.
 */
public final class SparkScanBench {

    public static void main(String[] args) throws Exception {
        Path mirror = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int copies = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        if (!Files.isDirectory(mirror.resolve("crates"))) {
            for (Path crate : MirrorBuilder.debianCrates()) {
                Path packed = MirrorBuilder.pack(crate.toRealPath(), mirror);
                String file = packed.getFileName().toString();
                for (int copy = 1; copy < copies; copy++) {
                    Files.copy(packed, packed.resolveSibling(file.replace(".crate", "+copy" + copy + ".crate")));
                }
            }
        }
        List<Path> crates;
        try (Stream<Path> files = Files.walk(mirror.resolve("crates"))) {
            crates = files.filter(f -> f.toString().endsWith(".crate")).sorted().toList();
        }
        long bytes = 0;
        for (Path crate : crates) {
            bytes += Files.size(crate);
        }
        System.out.printf("mirror: %d crate versions, %.1f MB of archives%n", crates.size(), bytes / 1e6);

        for (int threads : new int[] {1, 2}) {
            inProcess(crates, threads); // warm-up: JIT
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                best = Math.min(best, inProcess(crates, threads));
            }
            report("scanner in one JVM, " + threads + " thread" + (threads == 1 ? "" : "s"), crates.size(), bytes,
                    best);
        }

        long started = System.nanoTime();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        double sessionStart = (System.nanoTime() - started) / 1e9;
        Path out = Files.createTempDirectory("warden-spark-bench");
        double first = spark(spark, mirror, out.resolve("cold"));
        report("Spark local[2], first job (session start " + String.format("%.1f", sessionStart) + " s not counted)",
                crates.size(), bytes, first);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            best = Math.min(best, spark(spark, mirror, out.resolve("warm-" + i)));
        }
        report("Spark local[2], warm session", crates.size(), bytes, best);
        double incremental = spark(spark, mirror, out.resolve("warm-0"));
        System.out.printf("Spark local[2], rerun with nothing new: %.2f s%n", incremental);
        spark.stop();
    }

    private static double spark(SparkSession spark, Path mirror, Path output) {
        long started = System.nanoTime();
        EcosystemScan.run(spark, new EcosystemScan.Options(new Mirror.Directory(mirror.toString()), output.toString(),
                ScanRuleSet.version(), 0), Environment.system());
        return (System.nanoTime() - started) / 1e9;
    }

    private static double inProcess(List<Path> crates, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> scans = new ArrayList<>();
            crates.forEach(crate -> scans.add(pool.submit(() -> scanQuietly(crate))));
            for (Future<?> scan : scans) {
                scan.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void scanQuietly(Path crate) {
        try {
            CrateScanner.scan(CrateArchive.read(crate, TreeLimits.DEFAULT), true, null);
        } catch (RuntimeException refused) {
            // a refused archive costs its reading, as in the job
        }
    }

    private static void report(String what, int crates, long bytes, double seconds) {
        System.out.printf("%s: %.2f s, %.0f crate versions/s, %.1f MB/s%n", what, seconds, crates / seconds,
                bytes / 1e6 / seconds);
    }

    private SparkScanBench() {
    }
}
