package dev.warden.bench;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.core.store.RunTags;
import dev.warden.core.store.StoreLocation;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.fortify.gate.Gate;
import dev.warden.testing.PostgresServer;
import dev.warden.testing.TestEnv;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gate decision's write, as {@code warden gate} does it at its end: open the store (connection and schema check),
 * record the run with its findings and its resolved packages (ripgrep's lockfile, a package list the store already
 * holds, as when CI gates the same lockfile again), close. SQLite file vs PostgreSQL on loopback, in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
public class StoreBench {

    @Param({"sqlite", "postgresql"})
    public String store;

    private StoreLocation location;
    private List<LockedPackage> packages;
    private final Gate.Result result = Gate.lockfileMissing("Cargo.lock");
    private final Path root = Path.of("/ci/ripgrep");

    @Setup
    public void open() throws Exception {
        packages = LockfileParser.parse(Path.of("examples/ripgrep/Cargo.lock")).packages();
        if (store.equals("sqlite")) {
            location = new StoreLocation.Sqlite(Files.createTempDirectory("store-bench").resolve("store.db"));
        } else {
            PostgresServer server = PostgresServer.start()
                    .orElseThrow(() -> new IllegalStateException(PostgresServer.failure()));
            Path dir = Files.createTempDirectory("store-bench");
            location = StoreLocation.parse(server.newDatabase(), TestEnv.at(dir, dir,
                    Map.of("PGPASSWORD", PostgresServer.PASSWORD)), true);
        }
        recordDecision();
    }

    @Benchmark
    public long recordDecision() {
        try (DecisionLog log = DecisionLog.open(location, null)) {
            return log.record(Instant.parse("2026-12-02T12:00:00Z"), root, packages, "HEAD~1", result, Map.of(),
                    new RunTags("acme/ripgrep", "runner-1", "4711"));
        }
    }
}
