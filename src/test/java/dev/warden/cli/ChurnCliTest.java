package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.Corpus;
import dev.warden.testing.Fixtures;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChurnCliTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return Run.in(dir, args);
    }

    private static void commit(Git git, String who, String date, String message) throws Exception {
        PersonIdent ident = new PersonIdent(who, who.toLowerCase() + "@example.com", Instant.parse(date), ZoneOffset.UTC);
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setAuthor(ident).setCommitter(ident).setSign(false).call();
    }

    /** A crate repository that slept for years, then released with a stranger's commit (the arrayref pattern). */
    private Path dormantThenCompromised() throws Exception {
        Path repo = dir.resolve("arrayref");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Fixtures.write(repo, "src/lib.rs", "pub fn array_ref() {}\n");
            commit(git, "Alice", "2019-03-01T10:00:00Z", "first");
            git.tag().setName("0.3.8").setAnnotated(false).call();
            Fixtures.write(repo, "src/lib.rs", "pub fn array_ref() {}\npub fn array_mut_ref() {}\n");
            commit(git, "Bob", "2021-06-01T10:00:00Z", "add array_mut_ref");
            git.tag().setName("0.3.9").setAnnotated(false).call();
            Fixtures.write(repo, "Cargo.toml", "[package]\nname = \"arrayref\"\nversion = \"0.3.10\"\n\n"
                    + "[dependencies]\nproc-macro1 = \"1\"\n");
            Fixtures.write(repo, "src/lib.rs", "pub fn array_ref() {}\npub fn array_mut_ref() {}\npub fn more() {}\n");
            commit(git, "Mallory", "2026-11-10T03:00:00Z", "maintenance");
            git.tag().setName("0.3.10").setAnnotated(true).setMessage("0.3.10").setTagger(
                    new PersonIdent("Mallory", "mallory@example.com", Instant.parse("2026-11-10T03:05:00Z"),
                            ZoneOffset.UTC)).call();
        }
        return repo;
    }

    private static List<String> ids(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.path("findings").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    @Test
    void aDormantRepositoryReleasingAStrangersCommitIsFlagged() throws Exception {
        dormantThenCompromised();
        Run json = run("churn", "--repo", "arrayref", "--from", "0.3.9", "--to", "0.3.10", "--format", "json");
        assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_OK);
        JsonNode report = json.json();
        assertThat(report.path("commits").asInt()).isEqualTo(3);
        assertThat(report.path("recentCommits").asInt()).isEqualTo(1);
        assertThat(report.path("newAuthors").get(0).asText()).isEqualTo("Mallory <mallory@example.com>");
        assertThat(report.path("releases").findValuesAsText("tag")).containsExactly("0.3.8", "0.3.9", "0.3.10");
        JsonNode range = report.path("range");
        assertThat(range.path("commits").asInt()).isEqualTo(1);
        assertThat(range.path("filesChanged").asInt()).isEqualTo(2);
        assertThat(range.path("linesAdded").asInt()).isEqualTo(7);
        assertThat(range.path("linesRemoved").asInt()).isZero();
        assertThat(range.path("newAuthors").get(0).asText()).isEqualTo("Mallory <mallory@example.com>");
        assertThat(ids(report)).containsExactlyInAnyOrder("new-author-in-release", "release-after-dormancy", "new-authors");

        Run text = run("churn", "--repo", "arrayref", "--from", "0.3.9", "--to", "0.3.10");
        assertThat(text.out()).contains("3 commits, 1 in the last 90 days, 3 authors",
                "0.3.9..0.3.10: 1 commits, 2 files, +7 -0 lines, by Mallory <mallory@example.com>",
                "medium[release-after-dormancy] 0.3.10 (2026-11-10) came 1987 days after 0.3.9",
                "medium[new-author-in-release] 0.3.9..0.3.10 has commits by 1 first-time author: Mallory");
        assertThat(run("churn", "--repo", "arrayref", "--fail-level", "medium").status()).isEqualTo(Main.EXIT_FINDINGS);
    }

    @Test
    void aRepositoryUrlIsClonedIntoTheCacheAndFetchedLater() throws Exception {
        Path origin = dormantThenCompromised();
        String url = origin.toUri().toString().replace("file:/", "file:///").replace("file:////", "file:///");
        Run first = Run.in(dir, Map.of("WARDEN_CACHE_DIR", dir.resolve("cache").toString()), "churn",
                "--repo", url, "--format", "json");
        assertThat(first.status()).as(first.err()).isEqualTo(Main.EXIT_OK);
        assertThat(first.json().path("commits").asInt()).isEqualTo(3);
        try (var repos = Files.list(dir.resolve("cache/repos"))) {
            assertThat(repos.toList()).singleElement().asString().endsWith(".git");
        }
        try (Git git = Git.open(origin.toFile())) {
            Fixtures.write(origin, "README.md", "more\n");
            commit(git, "Alice", "2026-11-20T10:00:00Z", "docs");
        }
        Run second = Run.in(dir, Map.of("WARDEN_CACHE_DIR", dir.resolve("cache").toString()), "churn",
                "--repo", url, "--format", "json");
        assertThat(second.json().path("commits").asInt()).isEqualTo(4);

        assertThat(run("churn", "--repo", "nowhere").err().strip())
                .isEqualTo("warden: nowhere: no such directory, and not a URL");
        assertThat(run("churn", "--repo", "arrayref", "--from", "9.9.9").err())
                .contains("unknown revision '9.9.9'");
    }

    @Test
    void theProjectsOwnLockfileHistory() throws Exception {
        Path project = dir.resolve("ripgrep");
        List<Path> versions = Corpus.files(Corpus.bundled("lockfiles-history/BurntSushi__ripgrep"), ".lock");
        try (Git git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call()) {
            for (Path version : versions) {
                Files.copy(version, project.resolve("Cargo.lock"), StandardCopyOption.REPLACE_EXISTING);
                String date = version.getFileName().toString().substring(0, 10) + "T12:00:00Z";
                commit(git, "Andrew", date, version.getFileName().toString());
            }
        }
        Run json = run("churn", "ripgrep", "--since", "3650d", "--format", "json");
        assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_OK);
        JsonNode report = json.json();
        assertThat(report.path("changes")).hasSize(10);
        JsonNode crossbeam = report.path("changes").findParents("subject").stream()
                .filter(c -> c.path("subject").asText().startsWith("2025-04-10")).findFirst().orElseThrow();
        assertThat(crossbeam.path("upgraded").asInt()).isEqualTo(1);
        assertThat(crossbeam.path("added").asInt() + crossbeam.path("removed").asInt()).isZero();
        JsonNode jemalloc = report.path("changes").findParents("subject").stream()
                .filter(c -> c.path("subject").asText().equals("2025-09-19_53279db414.lock")).findFirst().orElseThrow();
        assertThat(jemalloc.path("added").asInt()).isPositive();
        assertThat(jemalloc.path("removed").asInt()).isPositive();
        JsonNode initial = report.path("changes").get(9);
        assertThat(initial.path("added").asInt()).isEqualTo(61);
        assertThat(report.path("newCrates").toString()).contains("tikv-jemallocator");
        assertThat(report.path("updatesByCrate").fieldNames().next()).isNotBlank();

        Run recent = run("churn", "ripgrep", "--since", "60d");
        assertThat(recent.out()).contains("0 changes in the last 60 days");
    }
}
