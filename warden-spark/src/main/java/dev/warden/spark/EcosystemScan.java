package dev.warden.spark;

import dev.warden.core.Environment;
import dev.warden.core.WardenException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Scans every crate version of a registry mirror with Warden's scanner, spread over Spark's executors, and keeps
 * the results as Parquet ({@link ScanTables}). Incremental: a version already scanned by the current rule set is
 * not read again, so a run after a new rule lands rescans everything and a run after a day's uploads scans only
 * those. One job per output directory at a time.
 */
public final class EcosystemScan {

    /**
     * @param mirror     where the crate versions come from
     * @param output     where the tables go
     * @param ruleSet    the scanner's version; normally {@link dev.warden.evaluate.scan.ScanRuleSet#version()}
     * @param partitions how many tasks to cut the work into (0: eight per core Spark has)
     */
    public record Options(Mirror mirror, String output, String ruleSet, int partitions) {
    }

    /**
     * @param listed          crate versions in the mirror
     * @param skipped         what the listing found that is not a crate version (a misnamed file, a bad index line)
     * @param alreadyScanned  versions this rule set had scanned before
     * @param scanned         versions this run scanned
     * @param unreadable      of those, how many could not be read (refused or broken archives)
     * @param findings        findings on the versions this run scanned
     */
    public record Summary(String ruleSet, long listed, List<String> skipped, long alreadyScanned, long scanned,
                          long unreadable, long findings) {
    }

    static final StructType LISTING = new StructType()
            .add("name", DataTypes.StringType, false)
            .add("version", DataTypes.StringType, false)
            .add("location", DataTypes.StringType, false)
            .add("bytes", DataTypes.LongType, false)
            .add("checksum", DataTypes.StringType, true)
            .add("yanked", DataTypes.BooleanType, false);

    private EcosystemScan() {
    }

    public static Summary run(SparkSession spark, Options options, Environment env) {
        if (options.partitions() < 0) {
            throw new WardenException("partitions must be 0 (automatic) or more, not " + options.partitions());
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Mirror.Listing listing = options.mirror().list(hadoop);
        List<Row> entries = new ArrayList<>();
        for (Mirror.Entry entry : listing.crates()) {
            entries.add(RowFactory.create(entry.name(), entry.version(), entry.location(), entry.bytes(),
                    entry.checksum(), entry.yanked()));
        }
        Dataset<Row> listed = spark.createDataFrame(entries, LISTING);
        Dataset<Row> done = ScanTables.crates(spark, options.output(), options.ruleSet()).select("name", "version");
        // Collected, as the listing was: the work must not depend on the crates/ table it appends to (Spark would
        // recompute it after the append and find nothing left to do).
        List<Row> todo = listed.join(done, ScanTables.seq("name", "version"), "left_anti").collectAsList();
        long pending = todo.size();
        long alreadyScanned = listing.crates().size() - pending;
        if (pending == 0) {
            if (!ScanTables.exists(spark, ScanTables.path(options.output(), ScanTables.ROLLUP + "/summary"))) {
                Rollup.write(spark, options.output(), options.ruleSet());
            }
            return new Summary(options.ruleSet(), listing.crates().size(), listing.skipped(), alreadyScanned, 0, 0,
                    0);
        }

        int partitions = options.partitions() > 0 ? options.partitions()
                : (int) Math.max(1, Math.min(pending, 8L * spark.sparkContext().defaultParallelism()));
        CrateVersionScan scanner = new CrateVersionScan(options.ruleSet(), UUID.randomUUID().toString(),
                Timestamp.from(env.clock().instant()));
        Map<String, String> settings = settings(hadoop);
        Dataset<Row> results = spark.createDataFrame(todo, LISTING).repartition(partitions)
                .mapPartitions((MapPartitionsFunction<Row, Row>) rows -> {
                    ArchiveFetcher fetcher = new ArchiveFetcher(configuration(settings));
                    // one crate at a time: a task holds one archive, not its whole share of the registry
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return rows.hasNext();
                        }

                        @Override
                        public Row next() {
                            Row row = rows.next();
                            return scanner.scan(new Mirror.Entry(row.getString(0), row.getString(1),
                                    row.getString(2), row.getLong(3), row.getString(4), row.getBoolean(5)), fetcher);
                        }
                    };
                }, Encoders.row(ScanTables.RESULT))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // Findings before crates: a crate version is scanned once its crates row is committed (ScanTables).
            ScanTables.flatten(results).write().mode(SaveMode.Append).partitionBy("ruleSet")
                    .parquet(ScanTables.path(options.output(), ScanTables.FINDINGS));
            results.drop("findings").write().mode(SaveMode.Append).partitionBy("ruleSet")
                    .parquet(ScanTables.path(options.output(), ScanTables.CRATES));
            Row totals = results.agg(count(lit(1)), sum(when(col("error").isNotNull(), 1L).otherwise(0L)),
                    sum(col("findingCount").cast(DataTypes.LongType))).first();
            Rollup.write(spark, options.output(), options.ruleSet());
            return new Summary(options.ruleSet(), listing.crates().size(), listing.skipped(), alreadyScanned,
                    totals.getLong(0), totals.getLong(1), totals.getLong(2));
        } finally {
            results.unpersist();
        }
    }

    /** The driver's Hadoop settings (credentials, file system implementations), for the executors. */
    private static Map<String, String> settings(Configuration hadoop) {
        Map<String, String> settings = new HashMap<>();
        hadoop.forEach(entry -> settings.put(entry.getKey(), entry.getValue()));
        return settings;
    }

    private static Configuration configuration(Map<String, String> settings) {
        Configuration conf = new Configuration(false);
        settings.forEach(conf::set);
        return conf;
    }
}
