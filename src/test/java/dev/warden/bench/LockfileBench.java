package dev.warden.bench;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.graph.Why;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.core.Environment;
import dev.warden.report.InventoryReport;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * In-process cost of the foundation on foundry's 1,209-package lockfile: parse, parse + JSON inventory, project load
 * with its 40 manifests + graph, and a `why` query. Run with bench/run-jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LockfileBench {

    private final Path foundry = Path.of("src/test/resources/corpus/lockfiles/foundry-rs__foundry").toAbsolutePath();
    private String text;
    private Project project;

    @Setup
    public void load() throws IOException {
        text = Files.readString(foundry.resolve("Cargo.lock"));
        project = new ProjectLoader(Environment.system()).load(foundry.toString());
    }

    @Benchmark
    public Lockfile parse() {
        return LockfileParser.parse(text, foundry.resolve("Cargo.lock"));
    }

    @Benchmark
    public Lockfile parseAndListJson() {
        Lockfile lockfile = LockfileParser.parse(text, foundry.resolve("Cargo.lock"));
        InventoryReport.json(lockfile, new PrintWriter(Writer.nullWriter()));
        return lockfile;
    }

    @Benchmark
    public DependencyGraph loadProjectAndBuildGraph() {
        return GraphBuilder.build(new ProjectLoader(Environment.system()).load(foundry.toString()));
    }

    @Benchmark
    public List<Why.Answer> whySyn() {
        return Why.ask(GraphBuilder.build(project), "syn", 20);
    }
}
