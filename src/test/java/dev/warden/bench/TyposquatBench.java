package dev.warden.bench;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.recon.typosquat.SquatMatch;
import dev.warden.recon.typosquat.TyposquatDetector;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Typosquat checking: foundry's 1,209 package names against the built-in list of 23,559 popular crates
 * ({@code checkFoundry}, index already built), building that index ({@code buildIndex}), and the ecosystem-wide
 * sweep: every name of the 20,896-name 2025 popular set checked against an index of the same set
 * ({@code sweepPopularSet}; needs ../shared/corpus). Run with bench/run-jmh.sh TyposquatBench.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TyposquatBench {

    private static final Path SET = Path.of("../shared/corpus/crate-popularity/rse-top20k-normalized-names-2025-02-12.tsv");

    private TyposquatDetector detector;
    private List<String> foundry;
    private PopularCrates set;
    private TyposquatDetector setDetector;

    @Setup
    public void load() throws IOException {
        detector = new TyposquatDetector(PopularCrates.embedded(), List.of(), TyposquatDetector.Settings.DEFAULT);
        foundry = LockfileParser.parse(Path.of("src/test/resources/corpus/lockfiles/foundry-rs__foundry/Cargo.lock"))
                .packages().stream().map(LockedPackage::name).toList();
        if (Files.isRegularFile(SET)) {
            // Three lines of that file are JavaScript artefacts, not names (see POPULAR-SOURCES.md): left out.
            Path clean = Files.createTempFile("popular-set", ".tsv");
            Files.write(clean, Files.readAllLines(SET).stream().filter(l -> !l.contains("native code")).toList());
            set = PopularCrates.read(clean);
            Files.delete(clean);
            setDetector = new TyposquatDetector(set, List.of(), TyposquatDetector.Settings.DEFAULT);
        }
    }

    @Benchmark
    public int checkFoundry() {
        int found = 0;
        for (String name : foundry) {
            found += detector.check(name).isPresent() ? 1 : 0;
        }
        return found;
    }

    /**
     * The peer: what a pairwise loop costs for the edit-distance part alone — every name against every popular name,
     * with a length filter and a distance that stops past 2.
     */
    @Benchmark
    public int checkFoundryPairwise() {
        int found = 0;
        List<PopularCrates.Entry> popular = PopularCrates.embedded().entries();
        for (String name : foundry) {
            for (PopularCrates.Entry entry : popular) {
                if (Math.abs(entry.normalized().length() - name.length()) <= 2
                        && boundedLevenshtein(name, entry.normalized(), 2) <= 2) {
                    found++;
                }
            }
        }
        return found;
    }

    private static int boundedLevenshtein(String a, String b, int limit) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int best = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                best = Math.min(best, current[j]);
            }
            if (best > limit) {
                return limit + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    @Benchmark
    public TyposquatDetector buildIndex() {
        return new TyposquatDetector(PopularCrates.embedded(), List.of(), TyposquatDetector.Settings.DEFAULT);
    }

    @Benchmark
    public int sweepPopularSet() {
        if (set == null) {
            throw new IllegalStateException(SET + " is absent");
        }
        int found = 0;
        for (PopularCrates.Entry entry : set.entries()) {
            Optional<SquatMatch> match = setDetector.check(entry.name());
            found += match.isPresent() ? 1 : 0;
        }
        return found;
    }
}
