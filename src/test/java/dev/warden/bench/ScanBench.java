package dev.warden.bench;

import dev.warden.evaluate.lexer.RustLexer;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.CrateScanner;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.CrateTree;
import dev.warden.evaluate.source.TreeLimits;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scan throughput on one core over every Debian crate source installed ({@code /usr/share/cargo/registry}, see
 * ../shared/corpus/DEBIAN_CRATES.md): {@code scanInMemory} is lexing, unsafe counting and the capability scan of
 * files already read ({@code lexOnly}: the lexer alone); {@code readAndScan} adds reading the files. Divide the Rust bytes printed at setup by the time
 * per operation for MB/s. bench/scan-throughput.sh runs this next to {@code rg -j1 -c unsafe} on the same files.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
public class ScanBench {

    private static final Path REGISTRY = Path.of("/usr/share/cargo/registry");

    private List<Path> crates;
    private List<CrateTree> trees;

    @Setup
    public void load() throws IOException {
        if (!Files.isDirectory(REGISTRY)) {
            throw new IllegalStateException(REGISTRY + " is absent: install the librust-*-dev packages listed in "
                    + "../shared/corpus/DEBIAN_CRATES.md");
        }
        try (Stream<Path> dirs = Files.list(REGISTRY)) {
            crates = dirs.filter(d -> Files.isRegularFile(d.resolve("Cargo.toml"))).sorted().toList();
        }
        trees = crates.stream().map(ScanBench::read).map(ScanBench::inMemory).toList();
        long bytes = trees.stream().flatMap(t -> t.entries().stream())
                .filter(e -> e.type() == CrateTree.Type.FILE && e.path().endsWith(".rs"))
                .mapToLong(e -> e.size()).sum();
        System.out.printf("%n%d crates, %d bytes of Rust source%n", crates.size(), bytes);
    }

    /** The same tree with every regular file's bytes loaded, so that the scan alone is measured. */
    static CrateTree inMemory(CrateTree tree) {
        return new CrateTree(tree.origin(), tree.root(), tree.entries().stream()
                .map(e -> e.type() != CrateTree.Type.FILE ? e
                        : new CrateTree.Entry(e.path(), e.type(), e.size(), e.executable(), null, tree.read(e)))
                .toList());
    }

    private static CrateTree read(Path dir) {
        return CrateDirectory.read(dir, TreeLimits.DEFAULT);
    }

    @Benchmark
    public long scanInMemory() {
        long total = 0;
        for (CrateTree tree : trees) {
            CrateScan scan = CrateScanner.scan(tree, true, null);
            total += scan.bytes();
        }
        return total;
    }

    /** The lexer alone, the floor under every other step. */
    @Benchmark
    public long lexOnly() {
        long total = 0;
        for (CrateTree tree : trees) {
            for (CrateTree.Entry entry : tree.entries()) {
                if (entry.type() == CrateTree.Type.FILE && entry.path().endsWith(".rs")) {
                    total += RustLexer.lex(entry.content()).size();
                }
            }
        }
        return total;
    }

    @Benchmark
    public long readAndScan() {
        long total = 0;
        for (Path dir : crates) {
            total += CrateScanner.scan(read(dir), true, null).bytes();
        }
        return total;
    }
}
