package dev.warden.bench;

import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.index.RegistryIndex;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.CheckContext;
import dev.warden.core.Environment;
import dev.warden.core.Finding;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AdvisoryLoader;
import dev.warden.evaluate.audit.AuditCheck;
import dev.warden.evaluate.audit.AuditPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * In-process audit of foundry (1,209 packages) against the full embedded database: opening the index, and the
 * whole check (project load, graph, matching). Run with bench/run-jmh.sh AuditBench.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuditBench {

    private final Path foundry = Path.of("src/test/resources/corpus/lockfiles/foundry-rs__foundry").toAbsolutePath();
    private Project project;

    @Setup
    public void load() {
        project = new ProjectLoader(Environment.system()).load(foundry.toString());
    }

    @Benchmark
    public AdvisoryDatabase openEmbeddedIndex() {
        return AdvisoryLoader.embedded();
    }

    @Benchmark
    public List<Finding> auditLoadedProject() {
        AuditCheck check = new AuditCheck(AdvisoryLoader.embedded(), AuditPolicy.defaults(), RegistryIndex.NONE);
        return check.run(new CheckContext(project, GraphBuilder.build(project), Environment.system()));
    }

    @Benchmark
    public List<Finding> auditFromScratch() {
        Project fresh = new ProjectLoader(Environment.system()).load(foundry.toString());
        AuditCheck check = new AuditCheck(AdvisoryLoader.embedded(), AuditPolicy.defaults(), RegistryIndex.NONE);
        return check.run(new CheckContext(fresh, GraphBuilder.build(fresh), Environment.system()));
    }
}
