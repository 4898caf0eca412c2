package dev.warden.evaluate.audit;

import dev.warden.cargo.index.RegistryIndex;
import dev.warden.check.CheckContext;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AdvisoryLoader;
import dev.warden.testing.Graphs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Each edge case with its own advisories and lockfile, written by the test. */
class AuditCheckTest {

    @TempDir
    Path dir;

    private static final String CRATES = "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

    private void advisory(String crate, String id, String advisoryExtra, String versions) {
        write(dir, "db/crates/" + crate + "/" + id + ".md", "```toml\n[advisory]\nid = \"" + id + "\"\npackage = \""
                + crate + "\"\ndate = \"2024-01-01\"\n" + advisoryExtra + "\n[versions]\n" + versions
                + "\n```\n\n# Problem in " + crate + "\n\nDetails.\n");
    }

    private void lock(String... packages) {
        StringBuilder lock = new StringBuilder("version = 4\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [");
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < packages.length; i++) {
            String[] parts = packages[i].split(" ", 3);
            lock.append(i == 0 ? "" : ", ").append("\"").append(parts[0]).append(" ").append(parts[1])
                    .append(parts.length > 2 ? " (" + parts[2] + ")" : "").append("\"");
            entries.append("[[package]]\nname = \"").append(parts[0]).append("\"\nversion = \"").append(parts[1])
                    .append("\"\n").append(parts.length > 2 ? "source = \"" + parts[2] + "\"\n" : CRATES);
        }
        write(dir, "p/Cargo.lock", lock.append("]\n").append(entries).toString());
    }

    private List<String> audit(AuditPolicy policy) {
        return run(policy).findings().stream().map(AuditCheckTest::key).toList();
    }

    private Verdict run(AuditPolicy policy) {
        AdvisoryDatabase db = AdvisoryLoader.load(List.of(dir.resolve("db")));
        assertThat(db.problems()).isEmpty();
        CheckContext context = Graphs.context(dir.resolve("p"));
        AuditCheck check = new AuditCheck(db, policy, RegistryIndex.NONE);
        return check.judge(check.run(context));
    }

    private static String key(Finding f) {
        return f.id() + " " + f.crate() + " " + f.version();
    }

    private static AuditPolicy policy() {
        return new AuditPolicy(Severity.LOW, Set.of(), List.of(), null, null, Duration.ofDays(100_000));
    }

    @BeforeEach
    void emptyDb() {
        write(dir, "db/crates/.keep", "");
    }

    @Test
    void patchedAndUnaffectedRangesWithRustsecPrecedenceRules() {
        advisory("lib", "RUSTSEC-2024-0001", "", "patched = [\">= 1.2.0, < 2.0.0\", \">= 2.1.0\"]\n"
                + "unaffected = [\"< 1.0.0\"]");
        lock("lib 0.9.0", "lib 1.1.9", "lib 1.2.0", "lib 2.0.0", "lib 2.0.5", "lib 2.1.0", "lib 2.1.0-rc.1",
                "lib 1.5.0-beta.1");
        assertThat(audit(policy())).containsExactlyInAnyOrder(
                "vulnerable-crate lib 1.1.9", "vulnerable-crate lib 2.0.0", "vulnerable-crate lib 2.0.5",
                // 2.1.0-rc.1 precedes 2.1.0, so it is not patched; 1.5.0-beta.1 lies inside [1.2.0, 2.0.0).
                "vulnerable-crate lib 2.1.0-rc.1");
    }

    @Test
    void caretAndTildePatchesEndBeforeTheNextPreRelease() {
        advisory("lib", "RUSTSEC-2024-0002", "", "patched = [\"^1.4.2\", \"~0.9.7\"]");
        lock("lib 1.4.2", "lib 1.9.0", "lib 2.0.0-alpha.1", "lib 0.9.9", "lib 0.10.0", "lib 0.9.6");
        assertThat(audit(policy())).containsExactlyInAnyOrder(
                "vulnerable-crate lib 2.0.0-alpha.1", "vulnerable-crate lib 0.10.0", "vulnerable-crate lib 0.9.6");
    }

    @Test
    void withdrawnAdvisoriesMatchNothing() {
        advisory("lib", "RUSTSEC-2024-0003", "withdrawn = \"2024-02-01\"", "patched = []");
        lock("lib 1.0.0");
        assertThat(audit(policy())).isEmpty();
    }

    @Test
    void advisoriesAboutCratesIoCratesIgnoreGitAndOtherRegistries() {
        advisory("lib", "RUSTSEC-2024-0004", "", "patched = []");
        advisory("corp-lib", "RUSTSEC-2024-0005", "source = \"sparse+https://corp.example/index/\"", "patched = []");
        lock("lib 1.0.0 git+https://github.com/fork/lib#abc", "lib 1.1.0 sparse+https://corp.example/index/",
                "lib 1.2.0 sparse+https://index.crates.io/", "corp-lib 1.0.0 sparse+https://corp.example/index/",
                "corp-lib 2.0.0");
        assertThat(audit(policy())).containsExactlyInAnyOrder(
                "vulnerable-crate lib 1.2.0", "vulnerable-crate corp-lib 1.0.0");
    }

    @Test
    void maliciousIsAlwaysCriticalAndItsNameIsFlaggedWhateverTheVersionOrSource() {
        advisory("evil-crate", "RUSTSEC-2024-0006", "categories = [\"malicious\"]", "patched = []");
        advisory("goodlib", "RUSTSEC-2024-0007", "categories = [\"malicious\"]", "unaffected = [\"<= 0.3.9\"]\npatched = []");
        lock("evil-crate 0.0.1", "evil-crate 9.9.9 git+https://github.com/x/evil-crate#1", "goodlib 0.3.9",
                "goodlib 0.3.10");
        Verdict verdict = run(policy());
        assertThat(verdict.findings()).extracting(AuditCheckTest::key).containsExactlyInAnyOrder(
                "malicious-crate evil-crate 0.0.1", "malicious-crate-name evil-crate 9.9.9",
                "malicious-crate goodlib 0.3.10");
        assertThat(verdict.findings()).filteredOn(f -> f.id().equals("malicious-crate"))
                .allMatch(f -> f.severity() == Severity.CRITICAL);
        assertThat(verdict.blocking()).hasSize(3);
    }

    @Test
    void severityFromCvssAndWarningsOnlyBlockWhenDenied() {
        advisory("low", "RUSTSEC-2024-0010", "cvss = \"CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N\"", "patched = []");
        advisory("old", "RUSTSEC-2024-0011", "informational = \"unmaintained\"", "patched = []");
        advisory("odd", "RUSTSEC-2024-0012", "informational = \"unsound\"", "patched = []");
        lock("low 1.0.0", "old 1.0.0", "odd 1.0.0");
        Verdict verdict = run(policy());
        assertThat(verdict.findings()).extracting(f -> f.id() + ":" + f.severity().label()).containsExactlyInAnyOrder(
                "vulnerable-crate:low", "unmaintained-crate:low", "unsound-crate:low");
        assertThat(verdict.blocking()).extracting(Finding::id).containsExactly("vulnerable-crate");
        Verdict strict = run(new AuditPolicy(Severity.MEDIUM, Set.of(AuditPolicy.Warning.UNMAINTAINED), List.of(),
                null, null, Duration.ofDays(100_000)));
        assertThat(strict.blocking()).extracting(Finding::id).containsExactly("unmaintained-crate");
    }

    @Test
    void ignoresNeedToBeCurrentAndUsed() {
        advisory("lib", "RUSTSEC-2024-0020", "aliases = [\"CVE-2024-1\"]", "patched = []");
        advisory("other", "RUSTSEC-2024-0021", "", "patched = []");
        lock("lib 1.0.0", "other 1.0.0");
        LocalDate future = LocalDate.of(2099, 1, 1);
        LocalDate past = LocalDate.of(2020, 1, 1);
        Verdict verdict = run(new AuditPolicy(Severity.LOW, Set.of(), List.of(
                new AuditPolicy.Ignore("CVE-2024-1", "not reachable", future, "warden.toml", 3),
                new AuditPolicy.Ignore("RUSTSEC-2024-0021", "waiting for upstream", past, "warden.toml", 4),
                new AuditPolicy.Ignore("RUSTSEC-1999-0001", "old", future, "warden.toml", 5)),
                null, null, Duration.ofDays(100_000)));
        assertThat(verdict.findings()).extracting(AuditCheckTest::key).containsExactlyInAnyOrder(
                "vulnerable-crate other 1.0.0", "advisory-ignore-expired null null", "advisory-ignore-unused null null");
        assertThat(verdict.blocking()).extracting(Finding::id)
                .containsExactlyInAnyOrder("vulnerable-crate", "advisory-ignore-expired");
        Finding expired = verdict.findings().stream().filter(f -> f.id().equals("advisory-ignore-expired"))
                .findFirst().orElseThrow();
        assertThat(expired.evidence().getFirst().toString()).isEqualTo("warden.toml:4");
    }

    @Test
    void platformLimitedAdvisoriesCanBeScopedToTheTarget() {
        advisory("lib", "RUSTSEC-2024-0030", "\n[affected]\nos = [\"windows\"]\n", "patched = []");
        lock("lib 1.0.0");
        assertThat(audit(policy())).containsExactly("vulnerable-crate lib 1.0.0");
        assertThat(audit(new AuditPolicy(Severity.LOW, Set.of(), List.of(), "linux", null, Duration.ofDays(100_000))))
                .isEmpty();
    }

    @Test
    void findingsCarryEvidenceSolutionAndPath() {
        advisory("lib", "RUSTSEC-2024-0040", "url = \"https://example.com/issue\"\n[affected.functions]\n\"lib::f\" = [\"< 1.1.0\"]",
                "patched = [\">= 1.1.0\"]");
        lock("lib 1.0.0");
        Finding finding = run(policy()).findings().getFirst();
        assertThat(finding.message()).isEqualTo("RUSTSEC-2024-0040: Problem in lib");
        assertThat(finding.evidence().getFirst().toString()).isEqualTo("Cargo.lock:6");
        assertThat(finding.attributes()).containsEntry("solution", "upgrade to >=1.1.0")
                .containsEntry("path", "app 0.1.0 → lib 1.0.0").containsEntry("functions", "lib::f")
                .containsEntry("url", "https://example.com/issue");
    }

    /** cargo-audit, for hickory-proto's RUSTSEC-2026-0118 (patched = []): "Upgrade to >=0.26.0-beta.1 (unaffected)". */
    @Test
    void withoutAPatchTheUnaffectedVersionsAboveAreTheAdvice() {
        advisory("lib", "RUSTSEC-2024-0041", "", "patched = []\nunaffected = [\"< 0.25.0-alpha.3\", \">= 0.26.0-beta.1\"]");
        advisory("other", "RUSTSEC-2024-0042", "", "patched = []");
        lock("lib 0.25.2", "other 1.0.0");
        assertThat(run(policy()).findings()).extracting(f -> f.crate() + ": " + f.attributes().get("solution"))
                .containsExactlyInAnyOrder("lib: upgrade to >=0.26.0-beta.1 (unaffected)",
                        "other: no fixed version yet");
    }

    @Test
    void staleDataIsReported() {
        lock("lib 1.0.0");
        AdvisoryDatabase db = AdvisoryDatabase.of("test db", LocalDate.of(2026, 1, 1), List.of(), List.of());
        CheckContext context = Graphs.context(dir.resolve("p"));
        AuditCheck check = new AuditCheck(db, AuditPolicy.defaults(), RegistryIndex.NONE);
        List<Finding> findings = check.run(context);
        assertThat(findings).extracting(Finding::id).containsExactly("advisory-db-stale");
        assertThat(findings.getFirst().message()).startsWith("advisory data is 328 days old (2026-01-01)");
        assertThat(check.judge(findings).blocked()).isFalse();
    }
}
