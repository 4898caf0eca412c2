package dev.warden.cargo.lock;

import dev.warden.testing.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every corpus lockfile must yield exactly the packages and resolved dependencies that the independent Rust reader
 * yields. Version-4 files are compared as version 3 (the formats differ only in how git URLs are escaped, and the
 * oracle predates v4); files whose git URLs contain escapes are skipped for that reason.
 */
class CargoLockOracleTest {

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> packageSetsMatchTheRustLockfileReader() {
        Assumptions.assumeTrue(CargoLockOracle.available(), "cargo-lock CLI not installed (apt-get install cargo-lock)");
        List<Path> files = new ArrayList<>(Corpus.files(Corpus.bundled(), ".lock"));
        Corpus.shared().ifPresent(shared -> {
            files.addAll(Corpus.files(shared.resolve("lockfiles"), ".lock"));
            files.addAll(Corpus.files(shared.resolve("lockfiles-oldformat"), ".lock"));
            files.addAll(Corpus.files(shared.resolve("lockfiles-history"), ".lock"));
        });
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getParent().getFileName() + "/"
                + file.getFileName(), () -> {
            Lockfile ours = LockfileParser.parse(file);
            Path input = file;
            if (ours.version() == 4) {
                String text = Files.readString(file);
                Assumptions.assumeFalse(text.contains("%"), "percent-escaped git URL (v4 only)");
                input = temp.resolve(file.getParent().getFileName() + ".lock");
                Files.writeString(input, text.replaceFirst("(?m)^version = 4$", "version = 3"));
            }
            List<String> mine = CargoLockOracle.render(ours, CargoLockOracle.rootSpec(file));
            assertThat(CargoLockOracle.normalize(mine)).isEqualTo(CargoLockOracle.normalize(CargoLockOracle.list(input)));
            assertThat(ours.packages()).hasSize(CargoLockOracle.countEntries(file));
        }));
    }

}
