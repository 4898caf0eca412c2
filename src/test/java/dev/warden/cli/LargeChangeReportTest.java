package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.Corpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change far larger than a pull-request comment can hold: foundry's whole lockfile (1,209 packages) arriving at
 * once, on a runner that cannot read any of it. The reports must stay useful: what blocks first, repeated findings
 * folded into one entry with the crate list, the Markdown comment under GitHub's limit with a note saying where the
 * rest is, SARIF without the noise.
 */
class LargeChangeReportTest {

    @TempDir
    Path dir;

    @BeforeEach
    void project() throws IOException {
        Path project = Files.createDirectories(dir.resolve("p"));
        Files.copy(Corpus.bundled("lockfiles/foundry-rs__foundry/Cargo.lock"), project.resolve("Cargo.lock"));
        Files.writeString(project.resolve("before.lock"), "version = 4\n");
    }

    private Run gate(String... more) {
        String[] args = new String[] {"gate", "p", "--base", "p/before.lock", "--offline", "--store", "d.db"};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Run.in(dir, all);
    }

    @Test
    void repeatedFindingsAreFoldedAndTheCommentFitsOnGitHub() {
        Run text = gate();
        assertThat(text.status()).isEqualTo(Main.EXIT_FINDINGS);
        // 1,180 unreadable crates: one entry for the crates.io ones, one per git repository, not one per crate.
        List<String> unverified = text.out().lines().filter(l -> l.startsWith("error[source-unverified]")).toList();
        assertThat(unverified).hasSizeLessThan(15).first().asString()
                .startsWith("error[source-unverified] ×1108 {crate} could not be read (offline)");
        // What blocks comes before what only warns.
        List<String> headings = text.out().lines().filter(l -> l.matches("(error|warning)\\[.*")).toList();
        assertThat(headings.indexOf(headings.stream().filter(l -> l.startsWith("warning")).findFirst().orElseThrow()))
                .isGreaterThan(headings.lastIndexOf(headings.stream().filter(l -> l.startsWith("error"))
                        .reduce((a, b) -> b).orElseThrow()));

        Run markdown = gate("--format", "markdown");
        assertThat(markdown.out().length()).isLessThanOrEqualTo(60_000);
        assertThat(markdown.out()).startsWith("### Warden gate: ❌ blocked").contains("**decision: BLOCKED by",
                "| coverage | ❌ blocked |");
        Set<String> rows = new HashSet<>();
        markdown.out().lines().filter(l -> l.startsWith("| ❌") || l.startsWith("| ⚠️"))
                .forEach(row -> assertThat(rows.add(row)).as("repeated row " + row).isTrue());
        assertThat(markdown.out().split("<details", -1).length).isEqualTo(markdown.out().split("</details>", -1).length);
    }

    @Test
    void sarifCarriesWhatMattersOnceEach() {
        Run sarif = gate("--format", "sarif");
        JsonNode results = sarif.json().path("runs").get(0).path("results");
        Set<String> keys = new HashSet<>();
        for (JsonNode result : results) {
            String level = result.path("properties").path("severity").asText();
            assertThat(List.of("critical", "high", "medium").contains(level)
                    || result.path("properties").path("blocking").asBoolean()).as(result.toString()).isTrue();
            String key = result.path("ruleId").asText() + result.path("locations").toString()
                    + result.path("message").path("text").asText();
            assertThat(keys.add(key)).as("duplicate " + key).isTrue();
        }
        Run everything = gate("--format", "sarif", "--sarif-level", "info");
        assertThat(everything.json().path("runs").get(0).path("results").size()).isGreaterThan(results.size());
    }
}
