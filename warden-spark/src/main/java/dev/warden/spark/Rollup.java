package dev.warden.spark;

import dev.warden.cargo.semver.Version;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * What the scanned crates of one rule set add up to, rewritten after every run that scanned something:
 * <ul>
 *   <li>{@code rollup/summary}: one row — crate versions and crates scanned, how many have a build script or are
 *       proc macros, how many run network, process or environment code at build time, how many carry a high or
 *       critical finding, how many could not be read;</li>
 *   <li>{@code rollup/findings}: per finding code and severity, the versions that have it;</li>
 *   <li>{@code rollup/new-chains}: every data-flow chain (secret to network, download to execution) a version has
 *       that the version before it (by semantic version) did not — the shape of a compromised release.</li>
 * </ul>
 */
final class Rollup {

    static final StructType NEW_CHAIN = new StructType()
            .add("name", DataTypes.StringType, false)
            .add("version", DataTypes.StringType, false)
            .add("previousVersion", DataTypes.StringType, true)
            .add("chain", DataTypes.StringType, false);

    private Rollup() {
    }

    static void write(SparkSession spark, String output, String ruleSet) {
        Dataset<Row> crates = ScanTables.crates(spark, output, ruleSet);
        Dataset<Row> summary = crates.agg(
                lit(ruleSet).as("ruleSet"),
                count(lit(1)).as("crateVersions"),
                countDistinct(col("name")).as("crates"),
                flagged(col("hasBuildScript")).as("withBuildScript"),
                flagged(col("procMacro")).as("procMacros"),
                flagged(col("buildTimeNetwork")).as("buildTimeNetwork"),
                flagged(col("buildTimeProcess")).as("buildTimeProcess"),
                flagged(col("buildTimeSecretEnv")).as("buildTimeSecretEnv"),
                flagged(col("buildTimeEnvRead")).as("buildTimeEnvRead"),
                flagged(col("maxSeverity").isin("high", "critical")).as("highOrCritical"),
                flagged(col("error").isNotNull()).as("unreadable"),
                sum(col("archiveBytes")).as("archiveBytes"),
                sum(col("sourceBytes")).as("sourceBytes"));
        summary.coalesce(1).write().mode(SaveMode.Overwrite).parquet(ScanTables.path(output, ScanTables.ROLLUP + "/summary"));

        ScanTables.findings(spark, output, ruleSet)
                .groupBy(col("code"), col("severity"))
                .agg(countDistinct(col("name"), col("version")).as("versions"), count(lit(1)).as("findings"))
                .coalesce(1).write().mode(SaveMode.Overwrite).parquet(ScanTables.path(output, ScanTables.ROLLUP + "/findings"));

        crates.select(col("name"), col("version"), col("flows"))
                .groupByKey((MapFunction<Row, String>) row -> row.getString(0), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) Rollup::newChains, Encoders.row(NEW_CHAIN))
                .write().mode(SaveMode.Overwrite).parquet(ScanTables.path(output, ScanTables.ROLLUP + "/new-chains"));
    }

    private static Column flagged(Column condition) {
        return sum(when(condition, 1L).otherwise(0L));
    }

    /** One crate's versions in semantic-version order, each against the one before it. */
    static Iterator<Row> newChains(String name, Iterator<Row> versions) {
        List<Row> ordered = new ArrayList<>();
        versions.forEachRemaining(ordered::add);
        ordered.sort(Comparator.comparing(row -> Version.parse(row.getString(1))));
        List<Row> found = new ArrayList<>();
        Set<String> before = Set.of();
        String previous = null;
        for (Row row : ordered) {
            Set<String> chains = new HashSet<>(row.getList(2));
            for (String chain : chains.stream().sorted().toList()) {
                if (!before.contains(chain)) {
                    found.add(RowFactory.create(name, row.getString(1), previous, chain));
                }
            }
            before = chains;
            previous = row.getString(1);
        }
        return found.iterator();
    }
}
