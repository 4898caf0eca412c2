package dev.warden.recon.typosquat;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.change.Change;
import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.CheckContext;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.recon.ReconPolicy;
import dev.warden.testing.Corpus;
import dev.warden.testing.Fixtures;
import dev.warden.testing.Lockfiles;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The check over real projects' graphs: what a team running `warden recon` or the gate sees. */
class TyposquatCheckTest {

    /**
     * Over the 36 corpus projects (the bundled five without ../shared), at most three legitimate crates are flagged
     * and none above medium: a resemblance alone never blocks a gate. At the time of writing: pastey (paste + y),
     * tag_ptr (tagptr), multipart-rs (multipart + rs). toml_parser, once flagged as toml + "parser", is a crate toml
     * itself depends on: family, not a squat. hypher and manyhow are popular themselves; wincode, unty and
     * xterm-color differ in their first letter (bat's gate was blocked by xterm-color → termcolor at high).
     */
    @Test
    void onTheCorpusAtMostThreeLegitimateCratesAreFlaggedAndNoneAboveMedium() {
        Path root = Corpus.shared().map(c -> c.resolve("lockfiles")).orElse(Corpus.bundled("lockfiles"));
        TyposquatCheck check = new TyposquatCheck(PopularCrates.embedded(), ReconPolicy.defaults());
        Map<String, Severity> flagged = new TreeMap<>();
        Map<String, String> messages = new TreeMap<>();
        for (Path lockfile : Corpus.files(root, "Cargo.lock")) {
            Project project = new ProjectLoader(TestEnv.in(lockfile.getParent())).load(lockfile.getParent().toString());
            for (Finding finding : check.run(new CheckContext(project, GraphBuilder.build(project), TestEnv.in(root)))) {
                flagged.merge(finding.crate(), finding.severity(), (a, b) -> a.atLeast(b) ? a : b);
                messages.put(finding.crate(), finding.message());
            }
        }
        assertThat(flagged).as(messages.toString()).hasSizeLessThanOrEqualTo(3);
        assertThat(flagged.values()).allMatch(s -> !s.atLeast(Severity.HIGH));
    }

    /** Plain similarity is medium; with a build script or proc macro (the way a payload runs) it is high. */
    @Test
    void aCloseImitationIsHighOnlyWithBuildTimeCode() {
        SquatMatch lazystatic = new TyposquatDetector(PopularCrates.embedded(), List.of(),
                TyposquatDetector.Settings.DEFAULT).check("lazystatic").orElseThrow();
        assertThat(TyposquatCheck.severity(lazystatic, false)).isEqualTo(Severity.MEDIUM);
        assertThat(TyposquatCheck.severity(lazystatic, true)).isEqualTo(Severity.HIGH);
        SquatMatch combo = new TyposquatDetector(PopularCrates.embedded(), List.of(),
                TyposquatDetector.Settings.DEFAULT).check("url-parse").orElseThrow();
        assertThat(TyposquatCheck.severity(combo, true)).isEqualTo(Severity.MEDIUM);
    }

    /** In a change with a base, a close imitation the change adds and that few people download is high. */
    @Test
    void aSquatTheChangeAddsIsHighByItself(@TempDir Path dir) {
        Fixtures.write(dir, "Cargo.lock", Lockfiles.appDependingOn("lazystatic 1.4.0", "serde 1.0.210"));
        Project project = new ProjectLoader(TestEnv.in(dir)).load(dir.toString());
        TyposquatCheck check = new TyposquatCheck(PopularCrates.embedded(), ReconPolicy.defaults());
        Change change = Change.between(new Base(LockfileParser.parse(Lockfiles.appDependingOn("serde 1.0.210"),
                Path.of("before.lock")), "before.lock"), project.lockfile());
        Finding added = check.run(new CheckContext(project, GraphBuilder.build(project), change, ScannedCrates.none(),
                TestEnv.in(dir))).getFirst();
        assertThat(added.severity()).isEqualTo(Severity.HIGH);
        assertThat(added.message()).endsWith("; this change adds it");
        // The whole lockfile judged (recon, no base): the name alone, medium.
        Finding alone = check.run(new CheckContext(project, GraphBuilder.build(project), TestEnv.in(dir))).getFirst();
        assertThat(alone.severity()).isEqualTo(Severity.MEDIUM);
    }
}
