package dev.warden.spark;

import dev.warden.core.WardenException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

/**
 * The job's Parquet output under one directory, partitioned by rule set:
 * <ul>
 *   <li>{@code crates/}: one row per crate version scanned — its capability summary, or why it could not be read;</li>
 *   <li>{@code findings/}: one row per crate version and finding, with the same code, severity, message and
 *       evidence {@code warden scan} reports;</li>
 *   <li>{@code rollup/}: what the scanned crates add up to (rewritten by every run).</li>
 * </ul>
 * A crate version counts as scanned only once its {@code crates} row is committed; findings are written first and
 * carry the run's id, so findings a killed run left behind are ignored by {@link #findings} and rescanned.
 */
public final class ScanTables {

    public static final String CRATES = "crates";
    public static final String FINDINGS = "findings";
    public static final String ROLLUP = "rollup";

    static final StructType EVIDENCE = new StructType()
            .add("file", DataTypes.StringType, false)
            .add("line", DataTypes.IntegerType, false)
            .add("excerpt", DataTypes.StringType, true);

    /** A finding inside a scan result (the job's intermediate rows; {@code findings/} flattens them). */
    static final StructType FINDING = new StructType()
            .add("code", DataTypes.StringType, false)
            .add("severity", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, false)
            .add("evidence", new ArrayType(EVIDENCE, false), false)
            .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false);

    /** The columns of {@code crates/}. */
    static final StructType CRATE = new StructType()
            .add("name", DataTypes.StringType, false)
            .add("version", DataTypes.StringType, false)
            .add("ruleSet", DataTypes.StringType, false)
            .add("runId", DataTypes.StringType, false)
            .add("scannedAt", DataTypes.TimestampType, false)
            .add("location", DataTypes.StringType, false)
            .add("sha256", DataTypes.StringType, true)
            .add("indexChecksum", DataTypes.StringType, true)
            .add("yanked", DataTypes.BooleanType, false)
            .add("archiveBytes", DataTypes.LongType, false)
            .add("sourceBytes", DataTypes.LongType, false)
            .add("sourceLines", DataTypes.LongType, false)
            .add("hasBuildScript", DataTypes.BooleanType, false)
            .add("procMacro", DataTypes.BooleanType, false)
            .add("buildTimeNetwork", DataTypes.BooleanType, false)
            .add("buildTimeProcess", DataTypes.BooleanType, false)
            .add("buildTimeSecretEnv", DataTypes.BooleanType, false)
            .add("buildTimeEnvRead", DataTypes.BooleanType, false)
            .add("unsafeTotal", DataTypes.IntegerType, false)
            .add("capabilities", new ArrayType(DataTypes.StringType, false), false)
            .add("flows", new ArrayType(DataTypes.StringType, false), false)
            .add("findingCount", DataTypes.IntegerType, false)
            .add("maxSeverity", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    /** A scan result as the job computes it: the crate's row and its findings. */
    static final StructType RESULT = CRATE.add("findings", new ArrayType(FINDING, false), false);

    private ScanTables() {
    }

    static String path(String output, String table) {
        return output.endsWith("/") ? output + table : output + "/" + table;
    }

    /** The {@code crates/} rows of one rule set (none when nothing was written yet). */
    public static Dataset<Row> crates(SparkSession spark, String output, String ruleSet) {
        String path = path(output, CRATES);
        if (!exists(spark, path)) {
            return spark.createDataFrame(List.of(), CRATE);
        }
        return spark.read().schema(CRATE).parquet(path).filter(col("ruleSet").equalTo(ruleSet))
                .dropDuplicates("name", "version");
    }

    /** The {@code findings/} rows of one rule set that belong to a committed crate row. */
    public static Dataset<Row> findings(SparkSession spark, String output, String ruleSet) {
        String path = path(output, FINDINGS);
        if (!exists(spark, path)) {
            return spark.createDataFrame(List.of(), flatFindingSchema());
        }
        Dataset<Row> findings = spark.read().schema(flatFindingSchema()).parquet(path)
                .filter(col("ruleSet").equalTo(ruleSet));
        return findings.join(crates(spark, output, ruleSet).select("name", "version", "runId"),
                seq("name", "version", "runId"), "left_semi");
    }

    /** The intermediate results flattened into {@code findings/} rows. */
    static Dataset<Row> flatten(Dataset<Row> results) {
        Dataset<Row> exploded = results.select(col("name"), col("version"), col("ruleSet"), col("runId"),
                explode(col("findings")).as("finding"));
        List<Column> columns = new ArrayList<>(List.of(col("name"), col("version"), col("ruleSet"), col("runId")));
        for (StructField field : FINDING.fields()) {
            columns.add(col("finding." + field.name()).as(field.name()));
        }
        return exploded.select(columns.toArray(Column[]::new));
    }

    static StructType flatFindingSchema() {
        StructType schema = new StructType()
                .add("name", DataTypes.StringType, false)
                .add("version", DataTypes.StringType, false)
                .add("ruleSet", DataTypes.StringType, false)
                .add("runId", DataTypes.StringType, false);
        for (StructField field : FINDING.fields()) {
            schema = schema.add(field);
        }
        return schema;
    }

    static boolean exists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new WardenException(path + ": cannot read the scan output: " + e.getMessage());
        }
    }

    static Seq<String> seq(String... names) {
        return CollectionConverters.asScala(List.of(names)).toList();
    }
}
