package dev.warden.bench;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.recon.publishers.RegistryData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the gate asks the registry snapshot: every crate of foundry's 1,209-package lockfile with its releases and
 * owners, against a crates.io-sized snapshot (200,000 crates, 1.8 million versions; build it with
 * {@code RegistryDump} and {@code warden registry-data update --dump … --snapshot …}, and pass
 * {@code -Dwarden.bench.registry=FILE}). Run with bench/run-jmh.sh RegistryDataBench.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RegistryDataBench {

    private RegistryData data;
    private List<String> foundry;

    @Setup
    public void open() throws IOException {
        data = RegistryData.open(Path.of(System.getProperty("warden.bench.registry", "/tmp/registry-data.db")), null);
        foundry = LockfileParser.parse(Path.of("src/test/resources/corpus/lockfiles/foundry-rs__foundry/Cargo.lock"))
                .packages().stream().map(LockedPackage::name).distinct().toList();
    }

    @TearDown
    public void close() {
        data.close();
    }

    @Benchmark
    public Map<String, RegistryData.CrateHistory> lookupFoundry() {
        return data.crates(foundry);
    }
}
