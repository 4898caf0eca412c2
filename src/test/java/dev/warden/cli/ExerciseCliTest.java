package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class ExerciseCliTest {

    @TempDir
    Path dir;

    private static final String ANSWERS = """
            [[participant]]
            name = "alice"
            confidence = 4
            answers = [
              "Block the PR, revert Cargo.lock, notify the security team",
              "warden ir url-parse on every repository",
              "Rotate the AWS key and the GitHub token",
              "Purge ~/.cargo/registry caches; keep --locked",
              "Report to RustSec and crates.io",
            ]

            [[participant]]
            name = "bob"
            confidence = 2
            answers = ["revert", "", "", "", ""]
            """;

    @Test
    void aTabletopFromAnAnswersFileScoresEachParticipantAndTracksTheTeam() {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        write(dir, "answers.toml", ANSWERS);
        Run json = Run.in(dir, "tabletop", "app", "--answers", "answers.toml", "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode report = json.json();
        assertThat(report.path("teamConfidence").asDouble()).isEqualTo(3.0);
        assertThat(report.path("scenario").asText()).contains("url-parse 0.1.0", "runs code in every build of app");
        assertThat(report.path("participants").get(0).path("covered").toString())
                .contains("contain", "scope", "rotate", "eradicate", "communicate");
        assertThat(report.path("gaps").toString()).isEqualTo("[\"hunt\"]");

        write(dir, "answers.toml", ANSWERS.replace("confidence = 2", "confidence = 4"));
        Run text = Run.in(dir, "tabletop", "app", "--answers", "answers.toml");
        assertThat(text.out()).contains("alice", "confidence 4/5", "team confidence: 4.0/5", "trend: 3.0 → 4.0");
        assertThat(Run.store(dir, app)).exists();
        assertThat(app.resolve("target/warden/events.db")).doesNotExist();
        assertThat(Run.in(dir, "tabletop", "app", "--questions").out()).contains("scenario: a credible report",
                "1. We just received a credible report that a malicious crate is in our main application.");
    }

    @Test
    void badAnswersFilesPointAtTheParticipant() {
        write(dir, "answers.toml", "[[participant]]\nname = \"carol\"\nconfidence = 7\nanswers = []\n");
        Run bad = Run.in(dir, "tabletop", "--answers", "answers.toml");
        assertThat(bad.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(bad.err()).contains("answers.toml:3: confidence must be 1 to 5, found 7");
        write(dir, "answers.toml", "[[participant]]\nname = \"carol\"\nconfidence = 3\nanswers = [\"x\"]\n");
        assertThat(Run.in(dir, "tabletop", "--answers", "answers.toml").err())
                .contains("answers.toml:1: carol has 1 answers; expected one per question (5)");
    }

    @Test
    void theThreatModelNamesBuildTimeCodeSourcesAndVisibleSecrets() {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        write(dir, "home/.aws/credentials", "[default]\n");
        Run json = Run.in(dir, Map.of("AWS_SECRET_ACCESS_KEY", "x", "PATH", "/usr/bin"), "threat-model", "app",
                "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode model = json.json();
        assertThat(model.path("buildScripts").toString()).isEqualTo("[\"url-parse 0.1.0\"]");
        assertThat(model.path("thirdParty").asInt()).isEqualTo(2);
        assertThat(model.path("secretsVisible").toString()).contains("AWS_SECRET_ACCESS_KEY", "~/.aws")
                .doesNotContain("PATH");
        assertThat(model.path("threats")).hasSize(6);
        Run markdown = Run.in(dir, "threat-model", "app");
        assertThat(markdown.out()).contains("# Supply-chain threat model: app", "| STRIDE | threat |",
                "| Spoofing |", "typosquat: url-parse", "| Information disclosure |", "build scripts: url-parse 0.1.0",
                "| Elevation of privilege |");
    }
}
