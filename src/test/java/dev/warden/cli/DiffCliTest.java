package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class DiffCliTest {

    @TempDir
    Path dir;


    private Run run(String... args) {
        return Run.in(dir, args);
    }

    /** The attack project with both lockfiles side by side: before.lock (2.1.0) and Cargo.lock (2.1.1). */
    private Path attack(Consumer<Path> urlParse) {
        Path app = AttackProject.write(dir, urlParse);
        write(app, "before.lock", AttackProject.lockfile(false));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        return app;
    }

    private static int lineOf(String source, String text) {
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in source");
    }

    @Test
    void theSeedAttackIsCriticalWithFileAndLineEvidence() throws Exception {
        attack(d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        int secretRead = lineOf(AttackCrates.EXFILTRATING_BUILD_SCRIPT, "\"AWS_SECRET_ACCESS_KEY\"");
        int envRead = lineOf(AttackCrates.EXFILTRATING_BUILD_SCRIPT, "env::var(name)");
        int lookup = lineOf(AttackCrates.EXFILTRATING_BUILD_SCRIPT, "to_socket_addrs()");

        Run text = run("diff", "app/before.lock", "app/Cargo.lock");
        assertThat(text.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(text.out()).contains("risk: critical (100/100)", "url-parse 0.1.0 (new) [added]",
                "via rust-utilities-v2 2.1.1",
                "build script: reads AWS_SECRET_ACCESS_KEY, reads GITHUB_TOKEN, resolves hostnames",
                "has (build script): env AWS_SECRET_ACCESS_KEY → value → loot → encoded → labels → host "
                        + "→ to_socket_addrs (DNS lookup), build.rs:" + envRead + "-" + lookup,
                "error[exfiltration-pattern]", "at url-parse-0.1.0/build.rs:" + secretRead,
                "url-parse-0.1.0/build.rs:" + lookup,
                "rust-utilities-v2 2.1.0 → 2.1.1 [upgraded]",
                "[patch-adds-dependencies] rust-utilities-v2 2.1.0 → 2.1.1 is a patch release but pulls in 1 new "
                        + "crate: url-parse 0.1.0",
                "at app/Cargo.lock:12");

        JsonNode json = run("diff", "app/before.lock", "app/Cargo.lock", "--format", "json").json();
        assertThat(json.path("risk").path("level").asText()).isEqualTo("critical");
        assertThat(json.path("summary").path("added").asInt()).isEqualTo(1);
        assertThat(json.path("summary").path("upgraded").asInt()).isEqualTo(1);
        JsonNode urlParse = change(json, "url-parse");
        assertThat(urlParse.path("kind").asText()).isEqualTo("added");
        // Sources in the one form every report uses: as Cargo wrote it, plus its kind.
        assertThat(urlParse.path("toSource").asText()).isEqualTo("registry+https://github.com/rust-lang/crates.io-index");
        assertThat(urlParse.path("toSourceKind").asText()).isEqualTo("registry");
        assertThat(urlParse.path("fromSource").isNull()).isTrue();
        assertThat(urlParse.path("buildScript").asBoolean()).isTrue();
        assertThat(urlParse.path("introducedBy").get(0).asText()).isEqualTo("rust-utilities-v2 2.1.1");
        assertThat(texts(urlParse.path("capabilitiesAdded"))).contains("build script: reads AWS_SECRET_ACCESS_KEY",
                "build script: resolves hostnames");
        JsonNode critical = urlParse.path("findings").get(0);
        assertThat(critical.path("id").asText()).isEqualTo("exfiltration-pattern");
        assertThat(critical.path("severity").asText()).isEqualTo("critical");
        assertThat(critical.path("blocking").asBoolean()).isTrue();
        assertThat(critical.path("evidence").get(0).path("file").asText()).isEqualTo("url-parse-0.1.0/build.rs");
        assertThat(critical.path("evidence").get(0).path("line").asInt()).isEqualTo(envRead);
        assertThat(critical.path("chain").asText()).startsWith("env AWS_SECRET_ACCESS_KEY (" + envRead + ")")
                .endsWith("to_socket_addrs (" + lookup + ")");
        JsonNode flow = urlParse.path("flowsAdded").get(0);
        assertThat(flow.path("role").asText()).isEqualTo("build-script");
        assertThat(flow.path("source").asText()).isEqualTo("secret-env");
        assertThat(flow.path("sink").asText()).isEqualTo("dns");
        assertThat(flow.path("steps").get(0).path("line").asInt()).isEqualTo(envRead);
        assertThat(texts(change(json, "rust-utilities-v2").path("pulledIn"))).containsExactly("url-parse 0.1.0");

        Run markdown = run("diff", "app/before.lock", "app/Cargo.lock", "--format", "markdown");
        assertThat(markdown.out()).startsWith("### Warden dependency review: ❌ blocked — risk **critical** (100/100)")
                .contains("| ❌ | `url-parse` | 0.1.0 (new) (added) | build script: reads AWS_SECRET_ACCESS_KEY",
                        "- ❌ **critical** `exfiltration-pattern` `url-parse 0.1.0`");
    }

    private static JsonNode change(JsonNode report, String name) {
        for (JsonNode change : report.path("changes")) {
            if (change.path("name").asText().equals(name)) {
                return change;
            }
        }
        throw new AssertionError(name + " not in " + report);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void concatenatedSecretNamesAndNslookupAreFlagged() throws Exception {
        attack(d -> AttackCrates.urlParse(d, AttackCrates.CONCATENATING_BUILD_SCRIPT));
        Run json = run("diff", "app/before.lock", "app/Cargo.lock", "--format", "json");
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode urlParse = change(json.json(), "url-parse");
        assertThat(texts(urlParse.path("capabilitiesAdded"))).contains("build script: runs nslookup");
        assertThat(urlParse.path("findings").get(0).path("severity").asText()).isEqualTo("critical");
        assertThat(urlParse.path("findings").get(0).path("evidence").get(0).path("file").asText())
                .isEqualTo("url-parse-0.1.0/build.rs");
    }

    @Test
    void aProcMacroPayloadIsFlagged() throws Exception {
        attack(AttackCrates::urlParseMacro);
        Run json = run("diff", "app/before.lock", "app/Cargo.lock", "--format", "json");
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode urlParse = change(json.json(), "url-parse");
        assertThat(urlParse.path("procMacro").asBoolean()).isTrue();
        assertThat(texts(urlParse.path("capabilitiesAdded"))).contains("proc macro: reads GITHUB_TOKEN");
        assertThat(urlParse.path("findings").get(0).path("severity").asText()).isEqualTo("critical");
        assertThat(urlParse.path("findings").get(0).path("evidence").get(0).path("file").asText())
                .isEqualTo("url-parse-0.1.0/src/lib.rs");
    }

    @Test
    void aNewVersionThatAddsABuildScriptIsDescribedAgainstTheOldOne() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        // 2.1.1 itself carries the payload instead of pulling in a new crate.
        Path compromised = dir.resolve("vendor/rust-utilities-v2-2.1.1");
        AttackCrates.rustUtilities(compromised, "2.1.1", false);
        write(compromised, "build.rs", AttackCrates.EXFILTRATING_BUILD_SCRIPT);
        write(app, "before.lock", AttackProject.lockfile(false));
        write(app, "Cargo.lock", AttackProject.lockfile(false).replace("2.1.0", "2.1.1")
                .replace(AttackProject.checksum("rust-utilities-v2-2.1.0"),
                        AttackProject.checksum("rust-utilities-v2-2.1.1")));
        Run text = run("diff", "app/before.lock", "app/Cargo.lock");
        assertThat(text.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(text.out()).contains("rust-utilities-v2 2.1.0 → 2.1.1 [upgraded]",
                "2.1.1 adds build script: reads AWS_SECRET_ACCESS_KEY, reads GITHUB_TOKEN, resolves hostnames",
                "[adds-build-script] rust-utilities-v2 2.1.0 → 2.1.1 adds a build script",
                "error[exfiltration-pattern]", "at rust-utilities-v2-2.1.1/build.rs:");
    }

    @Test
    void aBenignUpdatePassesAndNothingIsInvented() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        AttackCrates.rustUtilities(dir.resolve("vendor/rust-utilities-v2-2.1.1"), "2.1.1", false);
        write(app, "before.lock", AttackProject.lockfile(false));
        write(app, "Cargo.lock", AttackProject.lockfile(false).replace("2.1.0", "2.1.1")
                .replace(AttackProject.checksum("rust-utilities-v2-2.1.0"),
                        AttackProject.checksum("rust-utilities-v2-2.1.1")));
        Run json = run("diff", "app/before.lock", "app/Cargo.lock", "--format", "json");
        assertThat(json.status()).isEqualTo(Main.EXIT_OK);
        JsonNode report = json.json();
        assertThat(report.path("risk").path("level").asText()).isEqualTo("none");
        assertThat(report.path("risk").path("score").asInt()).isZero();
        assertThat(report.path("changes")).hasSize(1);
        assertThat(change(report, "rust-utilities-v2").path("reviewed").asBoolean()).isTrue();

        Run same = run("diff", "app/before.lock", "app/before.lock");
        assertThat(same.status()).isEqualTo(Main.EXIT_OK);
        assertThat(same.out()).contains("no crate changed", "no findings");
        assertThat(run("diff", "app/before.lock", "app/before.lock", "--format", "markdown").out())
                .startsWith("### Warden dependency review: ✅ clean — risk **none** (0/100)");
    }

    @Test
    void withoutSourcesTheChangeIsStillReadFromTheLockfilesButNeverCalledClean() throws Exception {
        Path app = attack(d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Files.delete(app.resolve(".cargo/config.toml"));
        Run json = run("diff", "app/before.lock", "app/Cargo.lock", "--offline", "--format", "json");
        // Nothing to read the code from: the patch release pulling in a crate is still reported, and the code nobody
        // read is a finding of its own, which blocks at the default fail level.
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode urlParse = change(json.json(), "url-parse");
        assertThat(urlParse.path("reviewed").asBoolean()).isFalse();
        assertThat(urlParse.path("findings").findValuesAsText("id")).contains("source-unverified", "crate-added");
        assertThat(json.json().path("summary").path("unreviewed").asInt()).isEqualTo(2);
        assertThat(json.json().path("risk").path("level").asText()).isEqualTo("high");
        Run lenient = run("diff", "app/before.lock", "app/Cargo.lock", "--offline", "--fail-level", "critical",
                "--format", "markdown");
        assertThat(lenient.status()).isEqualTo(Main.EXIT_OK);
        assertThat(lenient.out()).startsWith("### Warden dependency review: ⚠️ not fully reviewed")
                .contains("0 of 2 changed crates reviewed from source: cannot call this clean",
                        "code not reviewed (source could not be read)");
    }

    /**
     * One rule for "did the change bring this advisory": the base already had it through some version of the crate.
     * Adding smallvec 0.6.8 next to an already locked 0.6.9 (both affected by RUSTSEC-2019-0009) is no new advisory for
     * the diff, and no block for the gate (they used to disagree: the diff asked only about a replaced version).
     */
    @Test
    void diffAndGateAgreeOnWhatAnAdvisoryTheBaseAlreadyHadIs() {
        write(dir, "adv/before.lock", dev.warden.testing.Lockfiles.appDependingOn("smallvec 0.6.9"));
        write(dir, "adv/Cargo.lock", dev.warden.testing.Lockfiles.appDependingOn("smallvec 0.6.9", "smallvec 0.6.8"));
        JsonNode diff = run("diff", "adv/before.lock", "adv/Cargo.lock", "--format", "json").json();
        assertThat(diff.findValuesAsText("id")).doesNotContain("vulnerable-crate");
        JsonNode gate = run("gate", "adv", "--base", "adv/before.lock", "--offline", "--format", "json", "--store",
                dir.resolve("g.db").toString()).json();
        List<String> blocking = new ArrayList<>();
        gate.path("findings").forEach(f -> {
            if (f.path("blocking").asBoolean()) {
                blocking.add(f.path("id").asText());
            }
        });
        assertThat(blocking).doesNotContain("vulnerable-crate");
        assertThat(gate.findValuesAsText("id")).contains("vulnerable-crate"); // shown, not blocking

        // An advisory the base did not have is new for both.
        write(dir, "adv2/before.lock", dev.warden.testing.Lockfiles.appDependingOn("serde 1.0.210"));
        write(dir, "adv2/Cargo.lock", dev.warden.testing.Lockfiles.appDependingOn("serde 1.0.210", "smallvec 0.6.8"));
        assertThat(run("diff", "adv2/before.lock", "adv2/Cargo.lock", "--format", "json").json()
                .findValuesAsText("id")).contains("vulnerable-crate");
    }

    @Test
    void theThresholdComesFromThePolicyFileAndTheCommandLine() {
        Path app = attack(d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "warden.toml", "[diff]\nfail-level = \"critical\"\n");
        Run critical = run("diff", "app/before.lock", "app/Cargo.lock");
        assertThat(critical.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(critical.out()).contains("1 blocking", "fail level critical");

        // Without the sources no critical finding is left, but a score threshold still catches the change.
        write(app, ".cargo/config.toml", "");
        write(app, "warden.toml", "[diff]\nfail-level = \"critical\"\nfail-score = 5\n");
        assertThat(run("diff", "app/before.lock", "app/Cargo.lock", "--offline").status())
                .isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run("diff", "app/before.lock", "app/Cargo.lock", "--offline", "--fail-score", "100").status())
                .isEqualTo(Main.EXIT_OK);

        write(app, "warden.toml", "[diff]\nfail-level = \"severe\"\nfail-score = 0\n");
        Run bad = run("diff", "app/before.lock", "app/Cargo.lock");
        assertThat(bad.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(bad.err()).contains("warden.toml:2", "unknown severity 'severe'", "warden.toml:3",
                "fail-score must be between 1 and 100");
        assertThat(run("diff", "app/before.lock", "app/Cargo.lock", "--fail-score", "0", "--config",
                "/dev/null").err()).contains("--fail-score must be between 1 and 100");
    }

    @Test
    void gitRevisionsOfTheLockfileAreCompared() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            commit(git, "2.1.0");
            write(app, "Cargo.lock", AttackProject.lockfile(true));
            commit(git, "update");
        }
        Run range = run("diff", "HEAD~1..HEAD", "--project", "app", "--format", "json");
        assertThat(range.status()).as(range.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(range.json().path("before").asText()).isEqualTo("HEAD~1:app/Cargo.lock");
        assertThat(range.json().path("after").asText()).isEqualTo("HEAD:app/Cargo.lock");
        assertThat(range.json().path("risk").path("level").asText()).isEqualTo("critical");
        JsonNode lockEvidence = change(range.json(), "rust-utilities-v2").path("findings").get(0).path("evidence").get(0);
        assertThat(lockEvidence.path("file").asText()).isEqualTo("HEAD:app/Cargo.lock");

        assertThat(run("diff", "HEAD~1..", "--project", "app").status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run("diff", "HEAD~1", "--project", "app").out()).contains("HEAD~1:app/Cargo.lock → Cargo.lock");
        Run clean = run("diff", "--project", "app");
        assertThat(clean.status()).isEqualTo(Main.EXIT_OK);
        assertThat(clean.out()).contains("HEAD:app/Cargo.lock → Cargo.lock", "no crate changed");

        Run unknown = run("diff", "nosuchbranch..HEAD", "--project", "app");
        assertThat(unknown.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(unknown.err().strip()).isEqualTo("warden: unknown git revision 'nosuchbranch'");
    }

    @Test
    void aBrokenLockfileInHistoryIsNamedWithItsRevisionAndLine() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            write(app, "Cargo.lock", "version = 4\n\n[[package]]\nname = \"app\"\nversion = \n");
            commit(git, "broken");
            write(app, "Cargo.lock", AttackProject.lockfile(true));
            commit(git, "fixed");
        }
        Run broken = run("diff", "HEAD~1..HEAD", "--project", "app");
        assertThat(broken.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(broken.err()).startsWith("warden: HEAD~1:app/Cargo.lock:5").doesNotContain("Exception");
        assertThat(broken.err().lines()).hasSize(1);
    }

    @Test
    void revisionsOutsideAGitRepositoryAreAClearError() {
        AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Run outside = run("diff", "HEAD~1..HEAD", "--project", "app");
        assertThat(outside.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(outside.err()).contains("not inside a git repository").doesNotContain("Exception");
        Run missing = run("diff", "app/nothing.lock", "app/Cargo.lock", "--offline");
        assertThat(missing.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(missing.err()).contains("nothing.lock: no such file or directory");
    }

    private static void commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                .setSign(false).call();
    }

    @Test
    void writesTheReportAtomicallyToAFile() throws Exception {
        attack(d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Run run = run("diff", "app/before.lock", "app/Cargo.lock", "--format", "markdown", "-o", "out/review.md");
        assertThat(run.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(dir.resolve("out/review.md"))).startsWith("### Warden dependency review");
    }
}
