package dev.warden.evaluate.audit;

import dev.warden.cargo.index.RegistryIndex;
import dev.warden.check.CheckContext;
import dev.warden.core.Finding;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AdvisoryLoader;
import dev.warden.testing.Corpus;
import dev.warden.testing.Graphs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On every corpus lockfile, the same findings whichever way the RustSec data is read: the embedded index, the
 * Markdown advisory-db, and RustSec's own OSV export evaluated with OSV range semantics (an independent statement
 * of which versions each advisory covers).
 */
class AuditCorpusTest {

    private static AdvisoryDatabase embedded;
    private static AdvisoryDatabase markdown;
    private static AdvisoryDatabase osv;

    @BeforeAll
    static void load() {
        embedded = AdvisoryLoader.embedded();
        markdown = AdvisoryLoader.load(List.of(Path.of("src/main/advisories/rustsec")));
        osv = AdvisoryLoader.load(List.of(Path.of("src/test/resources/advisories/rustsec-osv.jsonl")));
        assertThat(markdown.problems()).isEmpty();
        assertThat(osv.problems()).isEmpty();
    }

    static Set<String> matches(AdvisoryDatabase db, CheckContext context, boolean includeMalicious) {
        AuditPolicy policy = new AuditPolicy(AuditPolicy.defaults().failLevel(), Set.of(), List.of(), null, null,
                java.time.Duration.ofDays(100_000));
        Set<String> keys = new TreeSet<>();
        for (Finding finding : new AuditCheck(db, policy, RegistryIndex.NONE).run(context)) {
            if (finding.rule() == AuditRules.MALICIOUS_NAME && !includeMalicious) {
                continue;
            }
            keys.add(finding.crate() + " " + finding.version() + " " + finding.attributes().get("advisory"));
        }
        return keys;
    }

    @TestFactory
    Stream<DynamicTest> sameFindingsFromEveryForm() {
        List<Path> projects = new ArrayList<>(Corpus.files(Corpus.bundled(), "Cargo.lock").stream()
                .map(Path::getParent).toList());
        for (Path lock : Corpus.files(Corpus.bundled("lockfiles-oldformat"), ".lock")) {
            projects.add(lock);
        }
        Corpus.shared().ifPresent(shared -> {
            projects.addAll(Corpus.files(shared.resolve("lockfiles"), "Cargo.lock").stream().map(Path::getParent).toList());
            projects.addAll(Corpus.files(shared.resolve("lockfiles-oldformat"), ".lock"));
            projects.addAll(Corpus.files(shared.resolve("lockfiles-history"), ".lock"));
        });
        return projects.stream().map(project -> DynamicTest.dynamicTest(project.getParent().getFileName() + "/"
                + project.getFileName(), () -> {
            CheckContext context = Graphs.context(Files.isDirectory(project) ? project : project);
            Set<String> fromMarkdown = matches(markdown, context, false);
            assertThat(matches(embedded, context, false)).containsAll(fromMarkdown);
            assertThat(matches(osv, context, false)).isEqualTo(fromMarkdown);
        }));
    }
}
