package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.SarifMultitool;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code warden ci-audit} end to end, and the gate's CI check on a change that edits (or leaves) the workflows. */
class CiAuditCliTest {

    @TempDir
    Path dir;

    private Path scenario(String name) throws IOException {
        Path from = Path.of("src/test/resources/ci-audit", name);
        Path to = dir.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    private static List<String> findings(JsonNode report) {
        List<String> values = new ArrayList<>();
        report.path("findings").forEach(f -> values.add(f.path("id").asText() + "@"
                + f.path("evidence").path(0).path("file").asText() + ":" + f.path("evidence").path(0).path("line")
                .asInt() + (f.path("blocking").asBoolean() ? "!" : "")));
        return values;
    }

    @Test
    void reportsEachFindingAtItsLineAndFailsOnHighOnes() throws IOException {
        scenario("release-static-keys");
        Run text = Run.in(dir, "ci-audit", "release-static-keys");
        assertThat(text.status()).as(text.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(text.out()).contains("error[ci-static-cloud-credential] job 'build-and-upload' (release.yml) "
                + "holds static AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)",
                "at:       .github/workflows/release.yml:13", "cargo calls locked: 1 of 2 (50 %)",
                "longest credential lifetime: unbounded (static credentials only)", "9 findings (3 high, 6 medium)");
        assertThat(text.out()).doesNotContain("${{ secrets.");

        Run json = Run.in(dir, "ci-audit", "release-static-keys", "--format", "json");
        assertThat(findings(json.json())).contains("ci-static-cloud-credential@.github/workflows/release.yml:13!",
                "ci-long-lived-token@.github/workflows/release.yml:34", "ci-cargo-unlocked@.github/workflows/"
                        + "release.yml:32");
        assertThat(json.json().path("subject").path("staticCredentials").asText()).isEqualTo("2");

        assertThat(Run.in(dir, "ci-audit", "release-static-keys", "--fail-level", "critical").status())
                .isEqualTo(Main.EXIT_OK);
        write(dir, "release-static-keys/warden.toml", "[ci]\nfail-level = \"medium\"\n");
        Run strict = Run.in(dir, "ci-audit", "release-static-keys", "--format", "json");
        assertThat(strict.json().path("summary").path("blocking").asInt()).isEqualTo(9);
    }

    @Test
    void theSafeFormPassesAndTheMetricsReachTheReport() throws IOException {
        scenario("release-oidc");
        Run run = Run.in(dir, "ci-audit", "release-oidc");
        assertThat(run.status()).as(run.out()).isEqualTo(Main.EXIT_OK);
        assertThat(run.out()).contains("no findings", "longest credential lifetime: 15 min",
                "build jobs with blocked egress: 1 of 1");
        write(dir, "release-oidc/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "release-oidc/Cargo.lock", "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n");
        Run report = Run.in(dir, "report", "release-oidc", "--format", "json");
        assertThat(report.status()).as(report.err()).isZero();
        JsonNode json = report.json();
        assertThat(ReportCliTest.metric(json, "ci-locked").path("value").asDouble()).isEqualTo(1.0);
        assertThat(ReportCliTest.metric(json, "static-credentials").path("value").asDouble()).isZero();
        assertThat(ReportCliTest.metric(json, "credential-ttl").path("value").asDouble()).isEqualTo(900.0);
        assertThat(ReportCliTest.metric(json, "credential-ttl").path("status").asText()).isEqualTo("met");
        assertThat(ReportCliTest.metric(json, "egress-filtered-jobs").path("value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void theBuildRolesPermissionsAreCountedFlaggedAndRecorded() throws IOException {
        scenario("release-oidc");
        Path iam = Path.of("src/test/resources/ci-audit-iam").toAbsolutePath();
        Run json = Run.in(dir, "ci-audit", "release-oidc", "--iam", iam.resolve("authorization-details.json")
                .toString(), "--role", "github-actions-deploy", "--format", "json");
        assertThat(json.status()).as(json.out()).isEqualTo(Main.EXIT_OK);
        assertThat(json.json().path("subject").path("iamPermissions").asText())
                .isEqualTo("github-actions-deploy: 1 action (s3 1)");

        Run broad = Run.in(dir, "ci-audit", "release-oidc", "--iam", iam.resolve("build-role.json").toString());
        assertThat(broad.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(broad.out()).contains("error[ci-iam-service-wildcard] role build-role.json is allowed every "
                + "action of ecr (ecr:*)", "1 not in the bundled action list (acme:doesnotexist)");
        write(dir, "release-oidc/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "release-oidc/Cargo.lock", "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n");
        JsonNode report = Run.in(dir, "report", "release-oidc", "--format", "json").json();
        assertThat(ReportCliTest.metric(report, "iam-permissions").path("value").asInt()).isGreaterThan(100);

        Run unknownRole = Run.in(dir, "ci-audit", "release-oidc", "--iam", iam.resolve("authorization-details.json")
                .toString(), "--role", "nobody");
        assertThat(unknownRole.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(unknownRole.err()).contains("--role nobody: no such role");
    }

    @Test
    void sarifAndMarkdownCarryTheSameFindings() throws Exception {
        scenario("pwn-request");
        Run sarif = Run.in(dir, "ci-audit", "pwn-request", "--format", "sarif");
        assertThat(sarif.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(sarif.out()).contains("\"ci-untrusted-checkout\"", "\".github/workflows/benchmarks.yml\"");
        Run markdown = Run.in(dir, "ci-audit", "pwn-request", "--format", "markdown");
        assertThat(markdown.out()).contains("ci-untrusted-checkout", "ci-write-all-permissions");
        SarifMultitool.assertAccepts(dir, "ci-audit", sarif.out());
    }

    @Test
    void gitlabIncludesAreFollowedAndWhatIsElsewhereIsUnread() throws IOException {
        scenario("gitlab");
        Run json = Run.in(dir, "ci-audit", "gitlab", "--format", "json");
        assertThat(findings(json.json())).contains("ci-definition-unread@.gitlab-ci.yml:5",
                "ci-cargo-unlocked@ci/build.yml:9");
        assertThat(json.json().path("subject").path("files").asText()).isEqualTo(".gitlab-ci.yml, ci/build.yml");
    }

    @Test
    void badYamlIsAOneLineErrorAndNoDefinitionsIsSaid() {
        write(dir, "p/.github/workflows/ci.yml", "on: push\njobs:\n  build:\n    steps: [\n");
        Run bad = Run.in(dir, "ci-audit", "p");
        assertThat(bad.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(bad.err().strip()).startsWith("warden: .github/workflows/ci.yml:5: not valid YAML")
                .doesNotContain("\n").doesNotContain("Exception");

        write(dir, "empty/Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\n");
        Run none = Run.in(dir, "ci-audit", "empty");
        assertThat(none.status()).isEqualTo(Main.EXIT_OK);
        assertThat(none.out()).contains("note: no CI definitions here");
    }

    @Test
    void theGateJudgesCiEditsAndOnlyWhatTheChangeIntroducesBlocks() throws Exception {
        write(dir, "Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(dir, "Cargo.lock", "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "src/main.rs", "fn main() {}\n");
        String workflow = """
                name: CI
                on: [pull_request]
                permissions:
                  contents: read
                jobs:
                  deploy:
                    runs-on: ubuntu-latest
                    env:
                      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
                    steps:
                      - run: aws s3 ls
                """;
        write(dir, ".github/workflows/ci.yml", workflow);
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        }
        // The CI is untouched: the gate has nothing to say about it (ci-audit on main does).
        Run untouched = Run.in(dir, "gate", ".", "--base", "HEAD", "--format", "json", "--offline");
        assertThat(untouched.status()).as(untouched.out()).isEqualTo(Main.EXIT_OK);
        assertThat(untouched.json().path("checks").findValuesAsText("name")).doesNotContain("ci");

        // The change adds a build job holding the key: that blocks; the deploy job's key was there before.
        write(dir, ".github/workflows/ci.yml", workflow + """
                  build:
                    runs-on: ubuntu-latest
                    env:
                      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
                    steps:
                      - run: cargo build --locked
                """);
        Run edited = Run.in(dir, "gate", ".", "--base", "HEAD", "--format", "json", "--offline");
        assertThat(edited.status()).as(edited.out()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = edited.json();
        List<String> ci = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("id").asText().startsWith("ci-")) {
                ci.add(f.path("id").asText() + "/" + f.path("job").asText()
                        + (f.path("blocking").asBoolean() ? "!" : ""));
            }
        });
        assertThat(ci).contains("ci-static-cloud-credential/deploy", "ci-static-cloud-credential/build!",
                "ci-build-with-secrets/build!");
        assertThat(report.path("notes").toString()).contains("the base's CI definitions already had");

        // A lone lockfile as base cannot say what the CI was: the gate says so instead of passing it silently.
        write(dir, "before.lock", "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n");
        Run lockfileBase = Run.in(dir, "gate", ".", "--base", "before.lock", "--format", "json", "--offline");
        assertThat(lockfileBase.json().path("notes").toString()).contains("whether this change edits the CI "
                + "definitions is unknown");
    }
}
