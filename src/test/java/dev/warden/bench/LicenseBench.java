package dev.warden.bench;

import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.cargo.manifest.PackageInfo;
import dev.warden.evaluate.license.CrateLicense;
import dev.warden.evaluate.license.LicenseTexts;
import dev.warden.evaluate.license.Spdx;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The licence check's own work over every Debian crate source installed ({@code /usr/share/cargo/registry}):
 * {@code gatherAndParse} is what each crate costs in a run (its licence facts gathered from files already in memory,
 * its expression parsed — parsed once per distinct text, as in a run); {@code identifyEveryLicenceFile} is the text
 * detection over every licence file, which a run does only for crates without a {@code license} field. The one-time
 * costs (the SPDX library's start, the text index) are printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
public class LicenseBench {

    private static final Path REGISTRY = Path.of("/usr/share/cargo/registry");

    private record Crate(CrateTree tree, PackageInfo pkg) {
    }

    private List<Crate> crates;
    private List<String> licenceTexts;

    @Setup
    public void load() throws IOException {
        if (!Files.isDirectory(REGISTRY)) {
            throw new IllegalStateException(REGISTRY + " is absent: install the librust-*-dev packages listed in "
                    + "../shared/corpus/DEBIAN_CRATES.md");
        }
        try (Stream<Path> dirs = Files.list(REGISTRY)) {
            crates = dirs.filter(d -> Files.isRegularFile(d.resolve("Cargo.toml"))).sorted().map(LicenseBench::read)
                    .toList();
        }
        long start = System.nanoTime();
        String first = crates.stream().map(c -> c.pkg().license()).filter(l -> l != null).findFirst().orElseThrow();
        try {
            Spdx.parse(first);
        } catch (Spdx.SyntaxException e) {
            throw new IllegalStateException(e);
        }
        long parsed = System.nanoTime();
        licenceTexts = crates.stream().flatMap(c -> CrateLicense.of(c.tree(), c.pkg()).files().stream())
                .map(CrateLicense.File::text).filter(t -> t != null).toList();
        long gathered = System.nanoTime();
        LicenseTexts.identify("Permission is hereby granted, free of charge");
        long indexed = System.nanoTime();
        long distinct = crates.stream().map(c -> c.pkg().license()).filter(l -> l != null).distinct().count();
        System.out.printf("%n%d crates, %d distinct expressions, %d licence files (texts kept for crates without a "
                + "license field: %d); SPDX library start + first parse %.0f ms, text index %.0f ms%n",
                crates.size(), distinct, crates.stream().mapToInt(c -> CrateLicense.of(c.tree(), c.pkg()).files()
                .size()).sum(), licenceTexts.size(), (parsed - start) / 1e6, (indexed - gathered) / 1e6);
        licenceTexts = crates.stream().flatMap(c -> c.tree().entries().stream()
                .filter(e -> e.type() == CrateTree.Type.FILE && e.path().matches("(?i)(LICEN[CS]E|COPYING)[^/]*"))
                .map(e -> new String(c.tree().read(e), StandardCharsets.UTF_8))).toList();
    }

    private static Crate read(Path dir) {
        CrateTree tree = ScanBench.inMemory(CrateDirectory.read(dir, TreeLimits.DEFAULT));
        return new Crate(tree, ManifestParser.parse(dir.resolve("Cargo.toml")).pkg());
    }

    @Benchmark
    public int gatherAndParse() throws Spdx.SyntaxException {
        int requirements = 0;
        for (Crate crate : crates) {
            CrateLicense facts = CrateLicense.of(crate.tree(), crate.pkg());
            if (facts.declared() != null && !facts.declared().isBlank()) {
                requirements += Spdx.parse(facts.declared()).requirements().size();
            }
        }
        return requirements;
    }

    @Benchmark
    public double identifyEveryLicenceFile() {
        double total = 0;
        for (String text : licenceTexts) {
            total += LicenseTexts.identify(text).confidence();
        }
        return total;
    }
}
