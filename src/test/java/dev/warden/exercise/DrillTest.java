package dev.warden.exercise;

import dev.warden.core.store.StoreLocation;
import dev.warden.core.Environment;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.limit.SandboxProbe;
import dev.warden.testing.CargoTool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drill for real: registries on loopback, real cargo, the real sandbox and tracer, and a control build without
 * Warden whose DNS goes to a sinkhole — which must receive the fake secrets, or the drill would prove nothing.
 */
class DrillTest {

    @TempDir
    Path dir;

    @Test
    void everyScenarioIsCaughtNoFakeSecretLeavesAndWithoutWardenTheyDo() {
        Assumptions.assumeTrue(CargoTool.find().isPresent(), "cargo is not installed");
        SandboxProbe.Capabilities found = SandboxProbe.probe(Environment.system());
        Assumptions.assumeTrue(found.sandbox() != SandboxProbe.Kind.NONE && found.tracer() != null,
                "no sandbox here: " + found.problems());
        List<String> progress = new ArrayList<>();
        Drill.Result result = Drill.run(Environment.system(), new Drill.Options(false, true, dir, List.of()),
                progress::add);

        assertThat(result.scenarios()).extracting(Drill.ScenarioResult::name)
                .containsExactly("typosquat-exfiltration", "compromised-maintainer", "dependency-confusion");
        assertThat(result.successRate()).isEqualTo(1.0);
        for (Drill.ScenarioResult scenario : result.scenarios()) {
            assertThat(scenario.caught()).as(scenario.name()).isTrue();
            assertThat(scenario.canaryLeaked()).as(scenario.name() + ": fake secret left the sandbox").isFalse();
            assertThat(scenario.controlLeaked()).as(scenario.name() + ": " + scenario.controlNote()).isTrue();
            assertThat(scenario.mttdMillis()).isPositive();
            assertThat(scenario.mttrMillis()).isPositive();
            assertThat(scenario.response()).allSatisfy(step -> assertThat(step.succeeded()).as(step.action()).isTrue());
            assertThat(scenario.caughtBy()).extracting(Drill.Catch::check).contains("build");
        }
        assertThat(checks(result, "typosquat-exfiltration")).contains("diff: exfiltration-pattern (url-parse)",
                "build: dns-exfiltration (url-parse)");
        assertThat(checks(result, "compromised-maintainer")).contains("audit: malicious-crate (arrayref)",
                "recon: typosquat (proc-macro1)", "build: network-tool-run (proc-macro1)");
        assertThat(checks(result, "dependency-confusion")).contains(
                "recon: internal-crate-from-crates-io (acme-auth)", "build: secret-file-access (acme-auth)");
        assertThat(progress).anyMatch(line -> line.contains("the sinkhole received the fake secret"));

        // The store tells the incident responder the same story.
        Path store = result.scenarios().stream().filter(s -> s.name().equals("typosquat-exfiltration")).findFirst()
                .orElseThrow().store();
        assertThat(store).isEqualTo(dir.resolve("typosquat-exfiltration/events.db"));
        try (DecisionLog gate = DecisionLog.open(store, null); EventStore events = EventStore.existing(new StoreLocation.Sqlite(store), null)) {
            IncidentResponse.Report report = IncidentResponse.investigate("url-parse", "0.1.0", gate, events);
            assertThat(report.resolvedBy()).singleElement().satisfies(run -> assertThat(run.blocked()).isTrue());
            assertThat(report.builds()).singleElement().satisfies(build -> {
                assertThat(build.dnsNames()).anyMatch(name -> name.endsWith(".malicious-domain.com"));
                assertThat(build.secrets()).containsEntry("AWS_SECRET_ACCESS_KEY", EventStore.Exposure.DECOY);
            });
            assertThat(report.secretsToRotate()).isEmpty();
        }
    }

    private static List<String> checks(Drill.Result result, String scenario) {
        return result.scenarios().stream().filter(s -> s.name().equals(scenario)).findFirst().orElseThrow()
                .caughtBy().stream().map(Drill.Catch::toString).toList();
    }
}
