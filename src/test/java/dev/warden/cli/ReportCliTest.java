package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.exercise.Drill;
import dev.warden.exercise.Tabletop;
import dev.warden.expose.Actor;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.EventStore;
import dev.warden.expose.ExposeRules;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.TestEnv;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three weeks of a project's life, made by the real commands: a gate on every day's change (every fifth one brings
 * the seed attack and is blocked), two tabletop exercises, two drills and three builds; then the report, whose
 * numbers are checked against what the store holds.
 */
class ReportCliTest {

    private static final int DAYS = 21;
    private static final Instant FIRST = TestEnv.NOW.minus(Duration.ofDays(DAYS - 1));

    @TempDir
    Path dir;

    private static final String ANSWERS = """
            [[participant]]
            name = "alice"
            confidence = %d
            answers = ["revert Cargo.lock and block the PR", "warden ir url-parse", "rotate the AWS key",
              "purge the caches", "report it to RustSec"]
            """;

    /** Builds the history; returns the project directory. */
    static Path history(Path dir) {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "before.lock", AttackProject.lockfile(false));
        for (int day = 0; day < DAYS; day++) {
            Instant when = FIRST.plus(Duration.ofDays(day));
            write(app, "Cargo.lock", AttackProject.lockfile(day % 5 == 4));
            Run gate = Run.on(when, dir, "gate", "app", "--base", "app/before.lock", "--offline");
            assertThat(gate.status()).as(gate.err()).isEqualTo(day % 5 == 4 ? 1 : 0);
            if (day == 7 || day == 14) {
                write(dir, "answers.toml", ANSWERS.formatted(day == 7 ? 3 : 5));
                assertThat(Run.on(when, dir, "tabletop", "app", "--answers", "answers.toml").status()).isZero();
            }
        }
        write(app, "Cargo.lock", AttackProject.lockfile(false));
        Path store = Run.store(dir, app);
        // Builds as the build runner records them (a real sandboxed build is BuildRunnerTest's and the drill's job).
        try (EventStore events = EventStore.open(new StoreLocation.Sqlite(store), null); MetricLog metrics = MetricLog.open(store, null)) {
            for (int build = 0; build < 3; build++) {
                Instant when = FIRST.plus(Duration.ofDays(5L + 6 * build));
                long id = events.startBuild(app.toString(), "cargo build --locked", "bubblewrap", when);
                events.recordEnvironment(id, Map.of("AWS_SECRET_ACCESS_KEY", EventStore.Exposure.DECOY));
                events.finishBuild(id, when.plusSeconds(40), 0, build != 1);
                if (build == 1) {
                    events.learn(app.toString(), id, "domain", Set.of("malicious-domain.com"));
                    for (String label : List.of("QUtJQQ", "d0phbHI")) {
                        events.add(id, new BuildEvent(1_000, BuildEvent.Kind.DNS, 7, new Actor(
                                Actor.Role.BUILD_SCRIPT, "url-parse", "build-script-build", List.of()),
                                label + ".malicious-domain.com", null, null));
                        events.alert(id, new Finding(ExposeRules.DNS_EXFILTRATION, "url-parse", "0.1.0",
                                "a DNS query carried a planted secret", List.of(Evidence.of("build", 0))), 1_500, 500);
                    }
                }
                metrics.record(app.toString(), when, "build#" + id, List.of(
                        MetricLog.Measurement.of(Metric.SANDBOXED, 1),
                        MetricLog.Measurement.of(Metric.SECRETS_EXPOSED, 0),
                        MetricLog.Measurement.of(Metric.BLOCKED_EGRESS, build == 1 ? 12 : 0),
                        MetricLog.Measurement.of(Metric.EGRESS_ALERTS, build == 1 ? 2 : 0),
                        MetricLog.Measurement.of(Metric.FIRST_SEEN_DNS, build == 1 ? 1 : 0)));
            }
        }
        // Two drills, recorded as `warden drill` records them (a real drill is DrillTest's: it takes 20 s).
        for (int drill = 0; drill < 2; drill++) {
            List<Drill.ScenarioResult> scenarios = new ArrayList<>();
            for (String name : List.of("typosquat-exfiltration", "dependency-confusion")) {
                boolean caught = drill == 1 || name.startsWith("typosquat");
                scenarios.add(new Drill.ScenarioResult(name, name, caught, List.of(), false, true,
                        caught ? 2_000 + 1_000L * drill : -1, caught ? 30_000 : -1, List.of(), "leaked", store));
            }
            Drill.record(new Drill.Result(scenarios, null, "bubblewrap"), TestEnv.at(dir, dir.resolve("home"),
                    Map.of()), FIRST.plus(Duration.ofDays(3L + 10 * drill)));
        }
        return app;
    }

    @Test
    void theReportAddsUpWhatTheStoreHolds() throws Exception {
        Path app = history(dir);
        Path store = Run.store(dir, app);
        List<DecisionLog.Run> runs;
        try (DecisionLog log = DecisionLog.open(store, null)) {
            runs = log.runs();
        }
        assertThat(runs).hasSize(DAYS);
        long blocked = runs.stream().filter(r -> r.blocked() && r.base() != null).count();
        double locked = runs.stream().filter(DecisionLog.Run::locked).count() / (double) runs.size();
        assertThat(blocked).isEqualTo(4);
        List<Tabletop.Session> sessions = Tabletop.history(new StoreLocation.Sqlite(store), null);
        double confidence = sessions.stream().mapToDouble(Tabletop.Session::teamConfidence).average().orElseThrow();

        Run json = Run.in(dir, "report", "app", "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode report = json.json();
        assertThat(report.path("sections")).extracting(s -> s.path("stage").asText()).containsExactly(
                "reconnaissance", "evaluation", "fortify", "limit", "expose", "exercise");
        assertThat(metric(report, "dependency-changes").path("value").asInt()).isEqualTo(DAYS);
        assertThat(metric(report, "blocked-changes").path("value").asLong()).isEqualTo(blocked);
        assertThat(metric(report, "locked").path("value").asDouble()).isEqualTo(locked);
        assertThat(metric(report, "team-confidence").path("value").asDouble()).isEqualTo(confidence).isEqualTo(4.0);
        assertThat(metric(report, "team-confidence").path("status").asText()).isEqualTo("met");
        assertThat(metric(report, "drill-success").path("value").asDouble()).isEqualTo(0.75);
        assertThat(metric(report, "drill-success").path("status").asText()).isEqualTo("missed");
        assertThat(metric(report, "mttd").path("value").asDouble()).isEqualTo((2 + 3 + 3) / 3.0);
        assertThat(metric(report, "egress-alerts").path("value").asInt()).isEqualTo(2)
                .isEqualTo(table(report, "expose", "Recent alerts").path("total").asInt());
        assertThat(metric(report, "sandboxed-builds").path("value").asDouble()).isEqualTo(1.0);
        // The current lockfile is measured now: the seed attack's url-parse is gone again, nothing is vulnerable.
        assertThat(metric(report, "vulnerabilities").path("value").asInt()).isZero();
        assertThat(metric(report, "unsafe").path("status").asText()).isEqualTo("unmeasured");
        assertThat(metric(report, "unsafe").path("note").asText()).contains("warden scan");

        // Trends: one point per day, and a day's points add up to the period's figure.
        JsonNode trend = metric(report, "blocked-changes").path("trend");
        assertThat(trend).hasSize(DAYS);
        assertThat(trend.get(4).path("value").asInt()).isEqualTo(1);
        double sum = 0;
        for (JsonNode point : trend) {
            sum += point.path("value").asDouble();
        }
        assertThat(sum).isEqualTo(blocked);
        assertThat(metric(report, "typosquats").path("trend").get(4).path("value").asInt())
                .as("the gate of the day the attack arrived saw the typosquat").isEqualTo(1);

        // Evidence: the blocked runs, newest first, and the tabletop sessions.
        JsonNode blockedTable = table(report, "fortify", "Blocked changes");
        assertThat(blockedTable.path("total").asInt()).isEqualTo(4);
        assertThat(blockedTable.path("rows").get(0).get(0).path("text").asText())
                .isEqualTo("gate#" + runs.stream().filter(DecisionLog.Run::blocked).mapToLong(DecisionLog.Run::id)
                        .max().orElseThrow());
        assertThat(blockedTable.path("rows").get(0).get(3).path("text").asText()).contains("exfiltration-pattern");
        assertThat(table(report, "exercise", "Tabletop sessions").path("total").asInt()).isEqualTo(2);
        assertThat(table(report, "exercise", "Last drill per scenario").path("rows")).hasSize(2);
        assertThat(table(report, "expose", "First-seen DNS names").path("rows").get(0).get(0).path("text").asText())
                .isEqualTo("malicious-domain.com");

        // A shorter period counts only its own runs.
        JsonNode week = Run.in(dir, "report", "app", "--format", "json", "--since", "7d").json();
        assertThat(metric(week, "dependency-changes").path("value").asInt()).isEqualTo(7);
        assertThat(metric(week, "dependency-changes").path("trend")).hasSize(7);

        // HTML by default, to a file, one section per stage and a chart per metric.
        Run html = Run.in(dir, "report", "app", "--output", "report.html");
        assertThat(html.status()).as(html.err()).isZero();
        assertThat(html.out()).contains("report.html", "on target", "missed");
        String page = Files.readString(dir.resolve("report.html"));
        assertThat(page).contains("<section class=\"stage\" id=\"exercise\">", "data-metric=\"blocked-changes\"")
                .doesNotContain("http://", "<link", "src=\"http");
        assertThat(page.split("<svg class=\"trend\"", -1)).hasSize(Metric.values().length + 1);

        Run summary = Run.in(dir, "report", "app", "--format", "markdown", "--summary", "--link",
                "https://ci.example/artifacts/report.html");
        assertThat(summary.out()).startsWith("**Supply-chain report**").contains("[full report](https://ci.example/"
                + "artifacts/report.html)", "| exercise | Exercise success rate | 75 % | ≥ 100 % |");
    }

    @Test
    void onAStoreSharedByProjectsTheEvidenceIsTheProjectsOwn() throws Exception {
        Path attacked = AttackProject.write(dir.resolve("attacked"), d -> AttackCrates.urlParse(d,
                AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(attacked, "before.lock", AttackProject.lockfile(false));
        write(attacked, "Cargo.lock", AttackProject.lockfile(true));
        Path quiet = AttackProject.write(dir.resolve("quiet"), d -> AttackCrates.urlParse(d,
                AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(quiet, "Cargo.lock", AttackProject.lockfile(false));
        Map<String, String> shared = Map.of("WARDEN_STORE", dir.resolve("shared.db").toString());
        assertThat(Run.in(dir, shared, "gate", "attacked/app", "--base", "attacked/app/before.lock").status())
                .isEqualTo(Main.EXIT_FINDINGS);
        try (EventStore events = EventStore.open(dir.resolve("shared.db"))) {
            long id = events.startBuild(attacked.toString(), "cargo build --locked", "bubblewrap", TestEnv.NOW);
            events.add(id, new BuildEvent(1_000, BuildEvent.Kind.DNS, 7, new Actor(Actor.Role.BUILD_SCRIPT,
                    "url-parse", "build-script-build", List.of()), "QUtJQQ.malicious-domain.com", null, null));
            events.alert(id, new Finding(ExposeRules.DNS_EXFILTRATION, "url-parse", "0.1.0", "a DNS query carried a "
                    + "planted secret", List.of(Evidence.of("build", 0))), 1_500, 500);
            events.learn(attacked.toString(), id, "domain", Set.of("malicious-domain.com"));
            events.finishBuild(id, TestEnv.NOW.plusSeconds(30), 0, false);
        }

        JsonNode own = Run.in(dir, shared, "report", "attacked/app", "--format", "json").json();
        assertThat(table(own, "fortify", "Blocked changes").path("total").asInt()).isEqualTo(1);
        assertThat(table(own, "expose", "Recent alerts").path("total").asInt()).isEqualTo(1);
        assertThat(table(own, "expose", "First-seen DNS names").path("rows")).hasSize(1);
        assertThat(table(own, "limit", "Recent builds").path("rows")).hasSize(1);

        JsonNode other = Run.in(dir, shared, "report", "quiet/app", "--format", "json").json();
        for (String[] evidence : new String[][] {{"fortify", "Blocked changes"}, {"limit", "Recent builds"},
            {"expose", "Recent alerts"}, {"expose", "First-seen DNS names"}}) {
            assertThat(table(other, evidence[0], evidence[1]).path("rows")).as(evidence[1]).isEmpty();
        }
    }

    @Test
    void recordingAddsTodaysStateToTheHistory() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        Run first = Run.on(TestEnv.NOW.minus(Duration.ofDays(1)), dir, "report", "app", "--record", "--format", "json");
        assertThat(first.status()).as(first.err()).isZero();
        Run second = Run.in(dir, "report", "app", "--format", "json");
        JsonNode typosquats = metric(second.json(), "typosquats");
        assertThat(typosquats.path("value").asInt()).isEqualTo(1);
        assertThat(typosquats.path("trend")).hasSize(1);
        assertThat(table(second.json(), "reconnaissance", "Typosquats and dependency confusion").path("rows").get(0)
                .get(2).path("text").asText()).isEqualTo("url-parse 0.1.0");
        assertThat(Files.size(Run.store(dir, app))).isPositive();
    }

    @Test
    void aScanOfEveryCrateRecordsUnsafeAndBuildTimeCodePerCrate() {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        Run scan = Run.on(TestEnv.NOW.minus(Duration.ofDays(2)), dir, "scan", "app", "--offline");
        assertThat(scan.err()).doesNotContain("metrics not recorded");
        write(dir, "vendor/url-parse-0.1.0/src/lib.rs", "pub fn parse(p: *const u8) -> u8 { unsafe { *p } }\n"
                + "pub unsafe fn raw() {}\n");
        Run.in(dir, "scan", "app", "--offline");

        JsonNode report = Run.in(dir, "report", "app", "--format", "json").json();
        assertThat(metric(report, "build-scripts").path("value").asInt()).isEqualTo(1);
        assertThat(metric(report, "proc-macros").path("value").asInt()).isZero();
        assertThat(metric(report, "unsafe").path("value").asInt()).isEqualTo(2);
        assertThat(metric(report, "unsafe").path("trend")).hasSize(2);
        JsonNode perCrate = table(report, "evaluation", "unsafe per crate").path("rows");
        assertThat(perCrate.get(0).get(0).path("text").asText()).isEqualTo("url-parse");
        assertThat(perCrate.get(0).get(1).path("text").asText()).isEqualTo("2");
        assertThat(perCrate.get(0).get(2).path("text").asText()).as("since the previous scan").isEqualTo("+2");
    }

    @Test
    void aScanThatCouldNotReadEveryCrateRecordsNoTotal() {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "Cargo.lock", AttackProject.lockfile(true).replace("name = \"url-parse\"",
                "name = \"url-parse-missing\""));
        Run.in(dir, "scan", "app", "--offline");
        JsonNode report = Run.in(dir, "report", "app", "--format", "json").json();
        assertThat(metric(report, "unsafe").path("status").asText()).isEqualTo("unmeasured");
    }

    @Test
    void lockfileChurnIsCountedFromTheGitHistory() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            for (int commit = 0; commit < 3; commit++) {
                write(app, "Cargo.lock", AttackProject.lockfile(commit % 2 == 1));
                git.add().addFilepattern(".").call();
                PersonIdent who = new PersonIdent("t", "t@example.com", TestEnv.NOW.minus(Duration.ofDays(30L * (3
                        - commit))), java.time.ZoneOffset.UTC);
                git.commit().setMessage("lockfile " + commit).setAuthor(who).setCommitter(who).call();
            }
        }
        JsonNode churn = metric(Run.in(dir, "report", "app", "--format", "json").json(), "lockfile-churn");
        assertThat(churn.path("value").asDouble()).isEqualTo(3 / 12.0);
        assertThat(churn.path("display").asText()).isEqualTo("0.3 per month");
    }

    @Test
    void publicMentionsOfInternalNamesComeFromTheCodeSearches() throws Exception {
        write(dir, "p/Cargo.lock", dev.warden.testing.Lockfiles.appDependingOn("acme-auth 1.0.0", "serde 1.0.228"));
        write(dir, "p/warden.toml", "[recon]\ninternal-prefixes = [\"acme-\"]\n");
        try (dev.warden.testing.LoopbackServer services = new dev.warden.testing.LoopbackServer()) {
            services.serve("/search/code?per_page=1&q=%22acme-auth%22%20filename%3ACargo.toml",
                    "{\"total_count\":3,\"incomplete_results\":false,\"items\":[]}");
            services.serve("/search/code", "{\"total_count\":0,\"items\":[]}");
            services.serve("/.api/graphql", "{\"data\":{\"search\":{\"results\":{\"matchCount\":2}}}}");
            Map<String, String> env = Map.of("GITHUB_TOKEN", "t0ken", "WARDEN_CACHE_DIR", dir.resolve("cache")
                    .toString());
            Run recon = Run.in(dir, env, "recon", "p", "--intel", "--crates-io-url", services.url(),
                    "--github-api-url", services.url(), "--sourcegraph-url", services.url(), "--intel-interval", "0ms",
                    "--format", "json");
            assertThat(recon.json().path("subject").path("publicMentions").asText())
                    .isEqualTo("3 public manifests name the 1 internal crate");
        }
        JsonNode report = Run.in(dir, "report", "p", "--format", "json").json();
        assertThat(metric(report, "public-mentions").path("value").asInt()).isEqualTo(3);
        assertThat(metric(report, "public-mentions").path("status").asText()).isEqualTo("missed");
        JsonNode row = table(report, "reconnaissance", "Public mentions").path("rows").get(0);
        assertThat(row.get(0).path("text").asText()).isEqualTo("acme-auth");
        assertThat(row.get(1).path("text").asText()).isEqualTo("3");
    }

    @Test
    void aBadPeriodIsOneClearLine() {
        AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Run bad = Run.in(dir, "report", "app", "--since", "last tuesday");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("warden: --since: expected a date (YYYY-MM-DD) or a span such as 30d "
                + "or 12w, found 'last tuesday'");
        assertThat(dir.resolve("warden-report.html")).doesNotExist();
    }

    static JsonNode metric(JsonNode report, String key) {
        for (JsonNode section : report.path("sections")) {
            for (JsonNode metric : section.path("metrics")) {
                if (metric.path("key").asText().equals(key)) {
                    return metric;
                }
            }
        }
        throw new AssertionError("no metric " + key);
    }

    private static JsonNode table(JsonNode report, String stage, String title) {
        for (JsonNode section : report.path("sections")) {
            if (section.path("stage").asText().equals(stage)) {
                for (JsonNode table : section.path("tables")) {
                    if (table.path("title").asText().startsWith(title)) {
                        return table;
                    }
                }
            }
        }
        throw new AssertionError("no table " + title + " in " + stage);
    }
}
