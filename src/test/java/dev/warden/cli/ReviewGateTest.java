package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.Lockfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/** The gate reads the project's cargo-vet data: a new version no review covers is shown, and blocks when required. */
class ReviewGateTest {

    @TempDir
    Path dir;

    private void project(String policy) {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "app/before.lock", Lockfiles.appDependingOn("serde 1.0.215"));
        write(dir, "app/Cargo.lock", Lockfiles.appDependingOn("serde 1.0.216"));
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\n" + policy);
        write(dir, "app/supply-chain/config.toml", "[cargo-vet]\nversion = \"0.10\"\n");
        write(dir, "app/supply-chain/audits.toml", """
                [[audits.serde]]
                who = "Reviewer <r@example.com>"
                criteria = "safe-to-deploy"
                version = "1.0.210"

                [[audits.serde]]
                who = "Reviewer <r@example.com>"
                criteria = "safe-to-deploy"
                delta = "1.0.210 -> 1.0.215"
                """);
    }

    private static JsonNode unreviewed(JsonNode report) {
        for (JsonNode finding : report.path("findings")) {
            if (finding.path("id").asText().equals("unreviewed")) {
                return finding;
            }
        }
        return null;
    }

    @Test
    void aNewVersionNoReviewCoversIsShownWithTheReviewedOnes() {
        project("");
        Run gate = Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline", "--format", "json");
        JsonNode finding = unreviewed(gate.json());
        assertThat(finding).isNotNull();
        assertThat(finding.path("message").asText()).isEqualTo("serde 1.0.216 is not covered by any review for "
                + "safe-to-deploy; reviewed versions: 1.0.210, 1.0.215 (a delta audit from one of them would cover it)");
        assertThat(finding.path("blocking").asBoolean()).isFalse();
        assertThat(gate.status()).as(gate.out()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void reviewListsEachCrateAndRecordsAReviewInCargoVetsFormat() throws java.io.IOException {
        project("[review]\nrequire = \"safe-to-deploy\"\n");
        Run listed = Run.in(dir, "review", "app");
        assertThat(listed.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(listed.out()).contains("review: 1 third-party crates, 1 unreviewed",
                "MISS serde 1.0.216 [safe-to-deploy]: no review for safe-to-deploy (reviewed: 1.0.210, 1.0.215)");

        Path app = dir.resolve("app");
        Run recorded = Run.in(app, "review", "serde@1.0.216", "--delta", "1.0.215", "--who",
                "Me <me@example.com>", "--notes", "read the diff; \"no\" build script changes");
        assertThat(recorded.status()).as(recorded.err()).isZero();
        assertThat(java.nio.file.Files.readString(app.resolve("supply-chain/audits.toml"))).endsWith("\n"
                + "[[audits.serde]]\n"
                + "who = \"Me <me@example.com>\"\n"
                + "criteria = \"safe-to-deploy\"\n"
                + "delta = \"1.0.215 -> 1.0.216\"\n"
                + "notes = \"read the diff; \\\"no\\\" build script changes\"\n");
        Run after = Run.in(dir, "review", "app", "--format", "json");
        assertThat(after.status()).isZero();
        assertThat(after.json().path("statuses").path(0).path("how").asText()).isEqualTo("audited for "
                + "safe-to-deploy by Reviewer <r@example.com> (audits.toml), then 1.0.210 -> 1.0.215 by Reviewer "
                + "<r@example.com> (audits.toml), then 1.0.215 -> 1.0.216 by Me <me@example.com> (audits.toml)");
        assertThat(Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline").status()).isZero();
        assertThat(Run.in(app, "review", "serde@1.0.217").err()).contains("--who is required");
    }

    @Test
    void requiringAReviewMakesUnreviewedCodeBlockAndADeltaAuditUnblocksIt() {
        project("[review]\nrequire = \"safe-to-deploy\"\n");
        Run blocked = Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline", "--format", "json");
        assertThat(blocked.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(unreviewed(blocked.json()).path("blocking").asBoolean()).isTrue();

        write(dir, "app/supply-chain/audits.toml", """
                [[audits.serde]]
                who = "Reviewer <r@example.com>"
                criteria = "safe-to-deploy"
                version = "1.0.210"

                [[audits.serde]]
                who = "Reviewer <r@example.com>"
                criteria = ["safe-to-deploy"]
                delta = "1.0.210 -> 1.0.215"

                [[audits.serde]]
                who = "Reviewer <r@example.com>"
                criteria = "safe-to-deploy"
                delta = "1.0.215 -> 1.0.216"
                """);
        Run passed = Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline", "--format", "json");
        assertThat(unreviewed(passed.json())).isNull();
        assertThat(passed.status()).as(passed.out()).isEqualTo(Main.EXIT_OK);
    }
}
