package dev.warden.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import dev.warden.core.Environment;
import dev.warden.evaluate.scan.ScanRuleSet;
import dev.warden.fortify.registry.LocalRegistry;
import dev.warden.fortify.registry.RegistryServer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ecosystem scan in Spark local mode over a mirror packed from Debian's crate sources (150+ real crates) plus
 * an attack written from the incident the README opens with, checked crate by crate against {@code warden scan}.
 */
class EcosystemScanTest {

    private static final Environment ENV = new Environment(Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"),
            ZoneOffset.UTC), Map.of(), Path.of("."), Path.of("."));

    @TempDir
    static Path shared;

    static Path mirror;
    static SparkSession spark;
    /** The whole mirror scanned once, as a registry's first run. */
    static Path output;
    static EcosystemScan.Summary summary;

    @TempDir
    Path dir;

    @BeforeAll
    static void mirrorAndSpark() throws IOException {
        List<Path> debian = MirrorBuilder.debianCrates();
        Assumptions.assumeTrue(debian.size() >= 150, "Debian's crate sources are not installed (librust-*-dev, "
                + "see .ci/run): " + debian.size() + " crates under " + MirrorBuilder.DEBIAN_REGISTRY);
        mirror = shared.resolve("mirror");
        for (Path crate : debian) {
            MirrorBuilder.pack(crate.toRealPath(), mirror);
        }
        MirrorBuilder.attackPair(shared.resolve("work"), mirror);
        MirrorBuilder.hostileArchive(mirror.resolve("crates/evil/evil-0.1.0.crate"));
        Files.writeString(mirror.resolve("crates/evil/notes.crate"), "not a crate version");
        spark = SparkSession.builder().master("local[2]").appName("warden ecosystem scan test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        output = shared.resolve("out");
        summary = scan(mirror, output, ScanRuleSet.version());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void findsWhatWardenScanFindsCrateByCrate() throws IOException {
        List<Path> crates = crateFiles(mirror);
        assertThat(summary.listed()).isEqualTo(crates.size()).isGreaterThanOrEqualTo(153);
        assertThat(summary.scanned()).isEqualTo(crates.size());
        assertThat(summary.unreadable()).isEqualTo(1);
        assertThat(summary.skipped()).singleElement().asString()
                .endsWith("crates/evil/notes.crate (not crates/NAME/NAME-VERSION.crate)");

        Map<String, Row> rows = byCrate(ScanTables.crates(spark, output.toString(), summary.ruleSet()));
        Map<String, List<String>> findings = new TreeMap<>();
        for (Row f : ScanTables.findings(spark, output.toString(), summary.ruleSet()).collectAsList()) {
            findings.computeIfAbsent(f.getAs("name") + " " + f.getAs("version"), k -> new ArrayList<>())
                    .add(describe(f.getAs("code"), f.getAs("severity"), f.getAs("message"), evidence(f)));
        }
        assertThat(rows).hasSize(crates.size());
        ObjectMapper json = new ObjectMapper();
        int withFindings = 0;
        for (Path crate : crates) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.run(new String[] {"scan", crate.toString(), "--format", "json"}, new PrintWriter(out),
                    new PrintWriter(err), Environment.system());
            String key = crate.getParent().getFileName() + " " + version(crate);
            Row row = rows.get(key);
            assertThat(row).as(key).isNotNull();
            if (status == Main.EXIT_ERROR) { // refused by warden scan: the same words as the row's error
                assertThat(err.toString().trim()).isEqualTo("warden: " + row.getAs("error"));
                assertThat(findings.get(key)).isNull();
                continue;
            }
            JsonNode scanned = json.readTree(out.toString()).get("crates").get(0);
            List<String> expected = new ArrayList<>();
            for (JsonNode f : scanned.get("findings")) {
                List<String> where = new ArrayList<>();
                for (JsonNode e : f.get("evidence")) {
                    where.add(e.get("file").asText() + ":" + e.path("line").asInt(0) + ":"
                            + e.path("excerpt").asText(""));
                }
                expected.add(describe(f.get("id").asText(), f.get("severity").asText(), f.get("message").asText(),
                        where));
            }
            assertThat(findings.getOrDefault(key, List.of())).as(key).containsExactlyInAnyOrderElementsOf(expected);
            List<String> capabilities = new ArrayList<>();
            scanned.get("capabilities").forEach(c -> capabilities.add(c.asText()));
            assertThat(row.<String>getList(row.fieldIndex("capabilities"))).as(key)
                    .containsExactlyElementsOf(capabilities);
            assertThat((boolean) row.getAs("hasBuildScript")).isEqualTo(scanned.get("buildScript").asBoolean());
            assertThat((boolean) row.getAs("procMacro")).isEqualTo(scanned.get("procMacro").asBoolean());
            assertThat((String) row.getAs("sha256")).isEqualTo(dev.warden.core.Sha256.file(crate));
            withFindings += expected.isEmpty() ? 0 : 1;
        }
        assertThat(withFindings).as("crates with findings, so the comparison compared something").isGreaterThan(20);

        Row attack = rows.get("url-parse 0.1.1");
        assertThat((String) attack.getAs("maxSeverity")).isEqualTo("critical");
        assertThat((boolean) attack.getAs("buildTimeNetwork")).isTrue();
        assertThat((boolean) attack.getAs("buildTimeSecretEnv")).isTrue();
        assertThat((boolean) rows.get("url-parse 0.1.0").getAs("buildTimeNetwork")).isFalse();
        assertThat((String) rows.get("evil 0.1.0").getAs("error")).contains("evil-0.1.0.crate").contains("..");
    }

    @Test
    void theRollupAddsUpTheCratesAndNamesTheChainAReleaseAdded() {        List<Row> crates = ScanTables.crates(spark, output.toString(), summary.ruleSet()).collectAsList();

        Row rollup = spark.read().parquet(output.resolve("rollup/summary").toString()).first();
        assertThat((String) rollup.getAs("ruleSet")).isEqualTo(summary.ruleSet());
        assertThat((long) rollup.getAs("crateVersions")).isEqualTo(crates.size());
        assertThat((long) rollup.getAs("withBuildScript"))
                .isEqualTo(crates.stream().filter(r -> r.<Boolean>getAs("hasBuildScript")).count())
                .isGreaterThan(10);
        assertThat((long) rollup.getAs("buildTimeNetwork"))
                .isEqualTo(crates.stream().filter(r -> r.<Boolean>getAs("buildTimeNetwork")).count())
                .isGreaterThanOrEqualTo(1);
        assertThat((long) rollup.getAs("buildTimeProcess"))
                .isEqualTo(crates.stream().filter(r -> r.<Boolean>getAs("buildTimeProcess")).count())
                .isGreaterThan(1); // cc, pkg-config, autocfg run the compiler
        assertThat((long) rollup.getAs("unreadable")).isEqualTo(1);
        assertThat((long) rollup.getAs("archiveBytes"))
                .isEqualTo(crates.stream().mapToLong(r -> r.<Long>getAs("archiveBytes")).sum());

        Row byCode = spark.read().parquet(output.resolve("rollup/findings").toString())
                .filter(col("code").equalTo("exfiltration-pattern")).first();
        assertThat((long) byCode.getAs("versions")).isEqualTo(1);

        List<Row> added = spark.read().parquet(output.resolve("rollup/new-chains").toString())
                .filter(col("name").equalTo("url-parse")).collectAsList();
        assertThat(added).isNotEmpty().allSatisfy(row -> {
            assertThat((String) row.getAs("version")).isEqualTo("0.1.1");
            assertThat((String) row.getAs("previousVersion")).isEqualTo("0.1.0");
        });
        assertThat(added).extracting(row -> (String) row.getAs("chain")).anyMatch(c -> c.contains("DNS"));
    }

    @Test
    void aSecondRunScansNothingANewVersionOnlyItselfAndANewRuleSetEverything() throws IOException {
        Path small = dir.resolve("mirror");
        for (String crate : List.of("url-parse/url-parse-0.1.0.crate", "url-parse/url-parse-0.1.1.crate")) {
            Files.createDirectories(small.resolve("crates").resolve(crate).getParent());
            Files.copy(mirror.resolve("crates").resolve(crate), small.resolve("crates").resolve(crate));
        }
        Path tables = dir.resolve("out");
        assertThat(scan(small, tables, "rules-1").scanned()).isEqualTo(2);

        EcosystemScan.Summary again = scan(small, tables, "rules-1");
        assertThat(again.scanned()).isZero();
        assertThat(again.alreadyScanned()).isEqualTo(2);

        Path libc = crateFiles(mirror).stream().filter(p -> p.getParent().getFileName().toString().equals("libc"))
                .findFirst().orElseThrow();
        Files.createDirectories(small.resolve("crates/libc"));
        Files.copy(libc, small.resolve("crates/libc").resolve(libc.getFileName()));
        EcosystemScan.Summary added = scan(small, tables, "rules-1");
        assertThat(added.scanned()).isEqualTo(1);
        assertThat(ScanTables.crates(spark, tables.toString(), "rules-1").count()).isEqualTo(3);
        assertThat(spark.read().parquet(tables.resolve("crates").toString()).count()).as("no row written twice")
                .isEqualTo(3);

        EcosystemScan.Summary newRules = scan(small, tables, "rules-2");
        assertThat(newRules.scanned()).isEqualTo(3);
        assertThat(newRules.alreadyScanned()).isZero();
        assertThat(ScanTables.crates(spark, tables.toString(), "rules-1").count()).as("the old rule set's rows")
                .isEqualTo(3);
        assertThat(ScanTables.findings(spark, tables.toString(), "rules-2").count())
                .isEqualTo(ScanTables.findings(spark, tables.toString(), "rules-1").count()).isPositive();
    }

    @Test
    void findingsAKilledRunLeftBehindAreNotCountedAndTheirCrateIsScannedAgain() throws IOException {
        Path small = dir.resolve("mirror");
        Files.createDirectories(small.resolve("crates/url-parse"));
        Files.copy(mirror.resolve("crates/url-parse/url-parse-0.1.1.crate"),
                small.resolve("crates/url-parse/url-parse-0.1.1.crate"));
        Path tables = dir.resolve("out");
        // What a run killed between its two writes leaves: findings of a run whose crates rows never came.
        Row orphan = RowFactory.create("url-parse", "0.1.1", "rules-1", "killed-run", "exfiltration-pattern",
                "critical", "left by a killed run", ScanTables.seq(), scala.collection.immutable.Map$.MODULE$.empty());
        spark.createDataFrame(List.of(orphan), ScanTables.flatFindingSchema()).write().mode(SaveMode.Append)
                .partitionBy("ruleSet").parquet(tables.resolve("findings").toString());

        assertThat(scan(small, tables, "rules-1").scanned()).isEqualTo(1);
        Dataset<Row> findings = ScanTables.findings(spark, tables.toString(), "rules-1");
        assertThat(findings.filter(col("runId").equalTo("killed-run")).count()).isZero();
        assertThat(findings.filter(col("code").equalTo("exfiltration-pattern")).count()).isEqualTo(1);
    }

    @Test
    void anIndexIsScannedByDownloadingEachVersionOverLoopbackAndCheckingItsChecksum() throws IOException {
        LocalRegistry registry = LocalRegistry.at(dir.resolve("registry"));
        Path work = dir.resolve("work");
        MirrorBuilder.attackPair(work, dir.resolve("unused"));
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        registry.publish(work.resolve("url-parse-0.1.0"), now);
        registry.publish(work.resolve("url-parse-0.1.1"), now);
        for (String name : List.of("itoa", "cc", "memchr")) {
            registry.publish(MirrorBuilder.debianCrates().stream()
                    .filter(d -> d.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow()
                    .toRealPath(), now);
        }
        // an archive changed after publication, and one that is gone
        Path memchr = registry.crateFile("memchr", debianVersion("memchr"));
        Files.copy(registry.crateFile("itoa", debianVersion("itoa")), memchr, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(registry.crateFile("cc", debianVersion("cc")));

        try (RegistryServer server = RegistryServer.start(registry, 0)) {
            String dl = server.indexUrl().substring("sparse+".length()) + "api/v1/crates";
            Files.writeString(registry.directory().resolve("index/config.json"), "{\"dl\": \"" + dl + "\"}");
            Path tables = dir.resolve("out");
            EcosystemScan.Summary summary = scan(new Mirror.Index(registry.directory().resolve("index").toString(),
                    null), tables, "rules-1");
            assertThat(summary.listed()).isEqualTo(5);
            assertThat(summary.skipped()).isEmpty();
            assertThat(summary.scanned()).isEqualTo(5);
            assertThat(summary.unreadable()).isEqualTo(2);
            assertThat(server.requests()).contains("/api/v1/crates/url-parse/0.1.1/download");

            Map<String, Row> rows = byCrate(ScanTables.crates(spark, tables.toString(), "rules-1"));
            assertThat((String) rows.get("memchr " + debianVersion("memchr")).getAs("error"))
                    .endsWith("but the index says " + rows.get("memchr " + debianVersion("memchr"))
                            .getAs("indexChecksum") + ": the archive was altered");
            assertThat((String) rows.get("cc " + debianVersion("cc")).getAs("error"))
                    .endsWith("/download: cannot download: HTTP 404");
            Row attack = rows.get("url-parse 0.1.1");
            assertThat((String) attack.getAs("sha256")).isEqualTo(attack.getAs("indexChecksum"));
            assertThat((String) attack.getAs("location")).isEqualTo(dl + "/url-parse/0.1.1/download");

            // The same archives read from the registry's own crates/ directory: the same findings.
            Path direct = dir.resolve("direct");
            scan(new Mirror.Directory(registry.directory().toString()), direct, "rules-1");
            for (String crate : List.of("url-parse 0.1.0", "url-parse 0.1.1", "itoa " + debianVersion("itoa"))) {
                String[] key = crate.split(" ");
                assertThat(findingsOf(tables, key)).as(crate).isEqualTo(findingsOf(direct, key));
            }
            assertThat(findingsOf(tables, "url-parse", "0.1.1")).anyMatch(f -> f.startsWith("exfiltration-pattern"));
        }
    }

    private static List<String> findingsOf(Path tables, String... crate) {
        return ScanTables.findings(spark, tables.toString(), "rules-1")
                .filter(col("name").equalTo(crate[0]).and(col("version").equalTo(crate[1]))).collectAsList()
                .stream().map(f -> describe(f.getAs("code"), f.getAs("severity"), f.getAs("message"), evidence(f)))
                .sorted().toList();
    }

    private static String debianVersion(String name) throws IOException {
        String dirName = MirrorBuilder.debianCrates().stream().map(d -> d.getFileName().toString())
                .filter(d -> d.startsWith(name + "-")).findFirst().orElseThrow();
        return dirName.substring(name.length() + 1);
    }

    @Test
    void theCommandLineSaysWhatItDidAndRefusesBadInputInOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = EcosystemScanMain.run(new String[] {"--mirror", dir.resolve("nowhere").toString(), "--output",
            dir.resolve("out").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("warden-spark: " + dir.resolve("nowhere/crates")
                + ": no such directory (a mirror holds crates/NAME/NAME-VERSION.crate)" + System.lineSeparator());

        err.getBuffer().setLength(0);
        assertThat(EcosystemScanMain.run(new String[] {"--mirror"}, new PrintWriter(out, true),
                new PrintWriter(err, true))).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("warden-spark: ");
    }

    private static EcosystemScan.Summary scan(Path mirror, Path output, String ruleSet) {
        return scan(new Mirror.Directory(mirror.toString()), output, ruleSet);
    }

    static EcosystemScan.Summary scan(Mirror mirror, Path output, String ruleSet) {
        return EcosystemScan.run(spark, new EcosystemScan.Options(mirror, output.toString(), ruleSet, 0), ENV);
    }

    private static Map<String, Row> byCrate(Dataset<Row> rows) {
        Map<String, Row> byCrate = new TreeMap<>();
        rows.collectAsList().forEach(r -> byCrate.put(r.getAs("name") + " " + r.getAs("version"), r));
        return byCrate;
    }

    private static List<String> evidence(Row finding) {
        List<String> where = new ArrayList<>();
        for (Row e : finding.<Row>getList(finding.fieldIndex("evidence"))) {
            where.add(e.getAs("file") + ":" + e.<Integer>getAs("line") + ":"
                    + (e.getAs("excerpt") == null ? "" : e.getAs("excerpt")));
        }
        return where;
    }

    private static String describe(String code, String severity, String message, List<String> evidence) {
        return code + " [" + severity + "] " + message + " @ " + evidence;
    }

    private static List<Path> crateFiles(Path mirror) throws IOException {
        try (var files = Files.walk(mirror.resolve("crates"))) {
            return files.filter(p -> p.toString().endsWith(".crate")).filter(p -> version(p) != null).sorted()
                    .toList();
        }
    }

    /** {@code crates/serde/serde-1.0.0.crate} → 1.0.0; null for a file not named after its directory. */
    private static String version(Path crate) {
        String name = crate.getParent().getFileName() + "-";
        String file = crate.getFileName().toString();
        return file.startsWith(name) ? file.substring(name.length(), file.length() - ".crate".length()) : null;
    }
}
