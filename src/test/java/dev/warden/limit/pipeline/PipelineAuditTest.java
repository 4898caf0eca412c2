package dev.warden.limit.pipeline;

import dev.warden.core.FileTree;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline checks on CI definitions modelled on real ones, with inline expectations in the error-prone style:
 * a line ending in {@code # expect: code, code} must be the first evidence of exactly those findings, and no other
 * line may be. Each rule has a failing example here, and each scenario also holds the passing form of the same
 * thing (OIDC roles, --locked, persist-credentials: false, egress blocked, warden build, …).
 */
class PipelineAuditTest {

    private static final Path SCENARIOS = Path.of("src/test/resources/ci-audit");
    private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*([a-z0-9, -]+)$");

    @ParameterizedTest
    @ValueSource(strings = {"rust-ci", "release-static-keys", "release-oidc", "pwn-request", "deploy-clouds",
        "gitlab", "gitlab-sandboxed"})
    void findingsAreExactlyThoseTheFixturesExpect(String scenario) throws IOException {
        Path root = SCENARIOS.resolve(scenario);
        PipelineAudit.Result result = PipelineAudit.run(Pipelines.read(FileTree.directory(root)),
                PipelinePolicy.defaults());
        Set<String> found = result.findings().stream().map(f -> f.evidence().getFirst().file() + ":"
                + f.evidence().getFirst().line() + " " + f.id()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(found).as(result.findings().stream().map(Finding::message).collect(Collectors.joining("\n")))
                .isEqualTo(expected(root));
        assertThat(result.findings()).as("one finding per thing").hasSize(found.size());
    }

    @Test
    void everyRuleHasAFailingExample() throws IOException {
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(SCENARIOS)) {
            for (Path dir : dirs.toList()) {
                expected.addAll(expected(dir).stream().map(e -> e.substring(e.indexOf(' ') + 1)).toList());
            }
        }
        assertThat(expected).containsExactlyInAnyOrderElementsOf(
                PipelineAudit.RULES.stream().map(Rule::code).toList());
    }

    @Test
    void everyRuleACheckDeclaresIsInTheCatalogue() throws IllegalAccessException {
        for (Class<?> check : List.of(CredentialCheck.class, PermissionCheck.class, IsolationCheck.class,
                LockedCheck.class, EgressCheck.class, PipelineAudit.class)) {
            for (java.lang.reflect.Field field : check.getDeclaredFields()) {
                if (field.getType() == Rule.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    assertThat(PipelineAudit.RULES).as(check.getSimpleName() + "." + field.getName())
                            .contains((Rule) field.get(null));
                }
            }
        }
        assertThat(dev.warden.report.RuleCatalog.ALL).containsAll(PipelineAudit.RULES)
                .containsAll(dev.warden.limit.iam.IamCheck.RULES);
    }

    @Test
    void thePassingScenariosHaveNoFindingsAndAreFullyMeasured() {
        PipelineAudit.Result oidc = PipelineAudit.run(Pipelines.read(FileTree.directory(
                SCENARIOS.resolve("release-oidc"))), PipelinePolicy.defaults());
        assertThat(oidc.findings()).isEmpty();
        PipelineAudit.Summary summary = oidc.summary();
        assertThat(summary.lockedShare()).isEqualTo(1.0);
        assertThat(summary.filteredShare()).isEqualTo(1.0);
        assertThat(summary.staticCredentials()).isZero();
        assertThat(summary.longestTtl()).hasMinutes(15);

        PipelineAudit.Result sandboxed = PipelineAudit.run(Pipelines.read(FileTree.directory(
                SCENARIOS.resolve("gitlab-sandboxed"))), PipelinePolicy.defaults());
        assertThat(sandboxed.findings()).isEmpty();
        assertThat(sandboxed.pipelines().files()).containsOnlyKeys(".gitlab-ci.yml", "ci/lint.yml");
        assertThat(sandboxed.summary().cargoCalls()).isEqualTo(2); // cargo fmt neither builds nor resolves
        assertThat(sandboxed.summary().buildingJobs()).isZero();
    }

    @Test
    void theSummaryCountsWhatTheFindingsSay() {
        PipelineAudit.Summary rust = PipelineAudit.run(Pipelines.read(FileTree.directory(
                SCENARIOS.resolve("rust-ci"))), PipelinePolicy.defaults()).summary();
        // build, test, test --doc --locked, +nightly check, doc (actions-rs); cargo fmt is not counted
        assertThat(rust.cargoCalls()).isEqualTo(5);
        assertThat(rust.lockedCalls()).isEqualTo(1);
        assertThat(rust.buildingJobs()).isEqualTo(2);
        assertThat(rust.filteredJobs()).isZero();

        PipelineAudit.Summary clouds = PipelineAudit.run(Pipelines.read(FileTree.directory(
                SCENARIOS.resolve("deploy-clouds"))), PipelinePolicy.defaults()).summary();
        assertThat(clouds.staticCredentials()).isEqualTo(4); // AWS keys, GCP key, Azure creds, the bot's PAT
        assertThat(clouds.longestTtl()).hasHours(6); // keys assuming a role: the action's 6 h default
    }

    @Test
    void aLongerLimitInThePolicyAcceptsLongerLifetimes() {
        PipelineAudit.Result result = PipelineAudit.run(Pipelines.read(FileTree.directory(
                SCENARIOS.resolve("deploy-clouds"))), new PipelinePolicy(dev.warden.core.Severity.HIGH,
                java.time.Duration.ofHours(6)));
        assertThat(result.findings()).extracting(Finding::id).doesNotContain("ci-credential-ttl");
    }

    /** {@code file:line code} for every expectation comment under {@code root}. */
    static Set<String> expected(Path root) throws IOException {
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher matcher = EXPECT.matcher(lines.get(i));
                    if (matcher.find()) {
                        for (String code : matcher.group(1).split(",")) {
                            expected.add(root.relativize(file).toString().replace('\\', '/') + ":" + (i + 1) + " "
                                    + code.trim());
                        }
                    }
                }
            }
        }
        return expected;
    }
}
