package dev.warden.examples;

import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's attack example is exactly the project the tests use. */
class ExamplesTest {

    @TempDir
    Path dir;

    @Test
    void theAttackExampleMatchesTheTestProject() throws IOException {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Fixtures.write(app, "before.lock", AttackProject.lockfile(false));
        Fixtures.write(app, "Cargo.lock", AttackProject.lockfile(true));
        Path example = Path.of("examples/attack").toAbsolutePath();
        List<Path> expected = files(dir);
        assertThat(files(example)).isEqualTo(expected);
        for (Path file : expected) {
            assertThat(Files.readString(example.resolve(file))).as(file.toString())
                    .isEqualTo(Files.readString(dir.resolve(file)));
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
