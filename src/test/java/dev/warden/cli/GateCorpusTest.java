package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gate on real dependency changes: every consecutive pair of lockfiles in the shared corpus's histories (ripgrep,
 * alacritty, nushell, uv, deno), at the default policy except that code which cannot be read offline only warns. Ordinary upgrades must pass; what is flagged is written to
 * {@code target/gate-corpus.md} for {@code bench/RESULTS.md}. Skipped without {@code ../shared}.
 */
class GateCorpusTest {

    @TempDir
    Path dir;

    @Test
    void ordinaryUpgradesInRealHistoriesPass() throws IOException {
        assumeTrue(Corpus.shared().isPresent(), "../shared/corpus is not here");
        Path histories = Corpus.shared().get().resolve("lockfiles-history");
        List<String> rows = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        int pairs = 0;
        try (Stream<Path> sets = Files.list(histories)) {
            for (Path set : sets.filter(Files::isDirectory).sorted().toList()) {
                List<Path> lockfiles = chronological(histories, set);
                for (int i = 1; i < lockfiles.size(); i++) {
                    pairs++;
                    Path project = dir.resolve(set.getFileName() + "-" + i);
                    Files.createDirectories(project);
                    Files.copy(lockfiles.get(i), project.resolve("Cargo.lock"));
                    // The crates' sources cannot be had here (no network): what the gate decides from the lockfiles
                    // is measured, with the unread code reported but not blocking.
                    Files.writeString(project.resolve("warden.toml"), "[gate]\nunverified = \"warn\"\n");
                    Run run = Run.in(dir, "gate", project.getFileName().toString(), "--base",
                            lockfiles.get(i - 1).toString(), "--offline", "--format", "json", "--store", "decisions.db");
                    assertThat(run.status()).as(run.err()).isIn(Main.EXIT_OK, Main.EXIT_FINDINGS);
                    JsonNode report = run.json();
                    String pair = set.getFileName() + " " + name(lockfiles.get(i - 1)) + " → " + name(lockfiles.get(i));
                    for (JsonNode finding : report.path("findings")) {
                        if (finding.path("blocking").asBoolean()) {
                            blocked.add(pair + ": " + finding.path("id").asText() + " " + finding.path("message").asText());
                        }
                    }
                    List<String> flagged = new ArrayList<>();
                    for (JsonNode finding : report.path("findings")) {
                        String severity = finding.path("severity").asText();
                        if (List.of("critical", "high", "medium").contains(severity)) {
                            flagged.add((finding.path("blocking").asBoolean() ? "**" : "") + finding.path("id").asText()
                                    + " " + finding.path("crate").asText() + " (" + severity + ")"
                                    + (finding.path("blocking").asBoolean() ? "**" : ""));
                        }
                    }
                    rows.add("| " + pair + " | " + report.path("risk").path("score").asInt() + " | "
                            + (report.path("blocked").asBoolean() ? "blocked" : "pass") + " | "
                            + (flagged.isEmpty() ? "—" : String.join("; ", flagged.stream().distinct().toList())) + " |");
                }
            }
        }
        List<String> table = new ArrayList<>(List.of("| pair | risk | decision | flagged (medium and above; bold blocks) |",
                "|---|---|---|---|"));
        table.addAll(rows);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/gate-corpus.md"), table);
        assertThat(pairs).isGreaterThanOrEqualTo(40);
        // The one change the default policy stops: alacritty moving vte (and its helpers) from crates.io to a git
        // repository, which a reviewer must approve. No version upgrade is blocked.
        assertThat(blocked).isNotEmpty().allSatisfy(reason -> assertThat(reason)
                .startsWith("alacritty__alacritty 2020-07-19_3688b5c075 → 2020-08-07_576252294d: source-changed ")
                .contains("now comes from git https://github.com/alacritty/vte"));
    }

    /** The set's lockfiles in commit order, as SOURCES.md lists them (file names tie on same-day commits). */
    private static List<Path> chronological(Path histories, Path set) throws IOException {
        String prefix = "| " + set.getFileName() + " | ";
        return Files.readAllLines(histories.resolve("SOURCES.md")).stream().filter(l -> l.startsWith(prefix))
                .map(l -> set.resolve(l.substring(prefix.length()).split(" \\| ")[0].strip())).toList();
    }

    private static String name(Path lockfile) {
        return lockfile.getFileName().toString().replace(".lock", "");
    }
}
