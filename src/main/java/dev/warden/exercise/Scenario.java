package dev.warden.exercise;

import dev.warden.core.WardenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One attack the drill replays: a clean starting point, the attacker's move, and the everyday developer action that
 * lets it in. Each runs against real registries with real cargo.
 */
interface Scenario {

    String name();

    /** One line for the scorecard. */
    String title();

    /** Publishes the clean crates, writes the project and locks it: the base of the change. */
    void setUp(DrillWorkspace workspace);

    /** The attacker publishes (and perhaps yanks); returns when the malicious version became available. */
    Instant attack(DrillWorkspace workspace);

    /** What a developer does next (an update, a new dependency), producing the lockfile under review. */
    void update(DrillWorkspace workspace);

    /** The seed: a patch release of rust-utilities-v2 pulls in url-parse, whose build script leaks secrets by DNS. */
    final class Typosquat implements Scenario {

        @Override
        public String name() {
            return "typosquat-exfiltration";
        }

        @Override
        public String title() {
            return "rust-utilities-v2 2.1.1 pulls in url-parse, whose build script sends secrets out by DNS";
        }

        @Override
        public void setUp(DrillWorkspace ws) {
            ws.publish("rust-utilities-v2-2.1.0", false, d -> DrillCrates.rustUtilities(d, "2.1.0", false));
            app(ws, "rust-utilities-v2 = \"2.1\"\n", "rust_utilities_v2::normalize(\" Drill \")");
            ws.cargo("generate-lockfile");
        }

        @Override
        public Instant attack(DrillWorkspace ws) {
            ws.publish("url-parse-0.1.0", false, d -> DrillCrates.urlParse(d, DrillCrates.EXFILTRATING_BUILD_SCRIPT));
            return ws.publish("rust-utilities-v2-2.1.1", false, d -> DrillCrates.rustUtilities(d, "2.1.1", true));
        }

        @Override
        public void update(DrillWorkspace ws) {
            ws.cargo("update");
        }
    }

    /**
     * A hijacked maintainer account: arrayref 0.3.10 adds proc-macro1 (a proc-macro2 look-alike) whose build script
     * phones home and downloads a second stage; the good versions are yanked so that users cannot simply stay.
     */
    final class CompromisedMaintainer implements Scenario {

        private static final String BODY = "pub fn array_ref(data: &[u8]) -> &[u8] { data }\n";

        @Override
        public String name() {
            return "compromised-maintainer";
        }

        @Override
        public String title() {
            return "arrayref 0.3.10 adds proc-macro1 with a downloader build script and yanks the good versions";
        }

        @Override
        public void setUp(DrillWorkspace ws) {
            for (String version : List.of("0.3.8", "0.3.9")) {
                ws.publish("arrayref-" + version, false, d -> DrillCrates.library(d, "arrayref", version, "", BODY));
            }
            app(ws, "arrayref = \"0.3\"\n", "arrayref::array_ref(b\"drill\").len()");
            ws.cargo("generate-lockfile");
        }

        @Override
        public Instant attack(DrillWorkspace ws) {
            ws.publish("proc-macro1-1.0.0", false, DrillCrates::procMacro1);
            Instant published = ws.publish("arrayref-0.3.10", false, d -> DrillCrates.library(d, "arrayref", "0.3.10",
                    "proc-macro1 = \"1\"\n", BODY));
            ws.yank("arrayref", "0.3.8");
            ws.yank("arrayref", "0.3.9");
            return published;
        }

        @Override
        public void update(DrillWorkspace ws) {
            ws.cargo("update");
        }
    }

    /**
     * Dependency confusion: the organisation's acme-auth lives in its own registry; an attacker publishes acme-auth
     * 1.99.0 publicly, and a new workspace member that forgets `registry = "acme"` gets the attacker's crate.
     */
    final class DependencyConfusion implements Scenario {

        @Override
        public String name() {
            return "dependency-confusion";
        }

        @Override
        public String title() {
            return "a new member declares acme-auth without registry = \"acme\" and gets a public impostor";
        }

        @Override
        public void setUp(DrillWorkspace ws) {
            ws.publish("acme-auth-1.2.0", true, d -> DrillCrates.library(d, "acme-auth", "1.2.0", "",
                    "pub fn token_ok(token: &str) -> bool { !token.is_empty() }\n"));
            app(ws, "acme-auth = { version = \"1\", registry = \"acme\" }\n", "acme_auth::token_ok(\"x\")");
            ws.cargo("generate-lockfile");
        }

        @Override
        public Instant attack(DrillWorkspace ws) {
            return ws.publish("acme-auth-1.99.0", false, d -> {
                DrillCrates.library(d, "acme-auth", "1.99.0", "", "pub fn token_ok(_: &str) -> bool { true }\n");
                DrillCrates.write(d, "build.rs", DrillCrates.CREDENTIALS_BUILD_SCRIPT);
            });
        }

        @Override
        public void update(DrillWorkspace ws) {
            DrillCrates.write(ws.app(), "billing/Cargo.toml", """
                    [package]
                    name = "billing"
                    version = "0.1.0"
                    edition = "2021"

                    [dependencies]
                    acme-auth = "1"
                    """);
            DrillCrates.write(ws.app(), "billing/src/lib.rs", "pub fn charge() -> bool { acme_auth::token_ok(\"t\") }\n");
            String manifest = read(ws.app().resolve("Cargo.toml"));
            DrillCrates.write(ws.app(), "Cargo.toml", manifest.replace("[dependencies]",
                    "[workspace]\nmembers = [\".\", \"billing\"]\n\n[dependencies]\nbilling = { path = \"billing\" }"));
            ws.cargo("generate-lockfile");
        }
    }

    /** The project under attack: an application with one dependency line and a main that uses it. */
    private static void app(DrillWorkspace ws, String dependency, String use) {
        DrillCrates.write(ws.app(), "Cargo.toml", """
                [package]
                name = "drill-app"
                version = "0.1.0"
                edition = "2021"

                [dependencies]
                %s""".formatted(dependency));
        DrillCrates.write(ws.app(), "src/main.rs", "fn main() {\n    println!(\"{:?}\", " + use + ");\n}\n");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new WardenException(file + ": cannot read: " + e.getMessage());
        }
    }
}
