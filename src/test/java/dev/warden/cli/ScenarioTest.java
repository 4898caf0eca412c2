package dev.warden.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden scenarios, one folder each under {@code src/test/resources/scenarios}: a project ({@code app/Cargo.toml},
 * {@code Cargo.lock}, {@code base.lock}, optional {@code warden.toml}, vendored crates) and what Warden says about
 * it in {@code expected/}: the gate in JSON and text, the diff as a pull-request comment, the audit as SARIF (or the
 * commands the scenario's {@code commands} file names), the exit codes and anything printed on stderr. Renaming a
 * finding code, changing a decision or a count fails here; an intended
 * change is recorded with {@code scripts/test -Dtest=ScenarioTest -Dgolden.update=true} and reviewed in the diff.
 */
class ScenarioTest {

    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TempDir
    Path dir;

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> folders = Files.list(SCENARIOS)) {
            return folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void outputMatchesTheGoldenFiles(String scenario) throws IOException {
        Path work = dir.resolve("work");
        copy(SCENARIOS.resolve(scenario), work);
        Path app = work.resolve("app");
        Map<String, String> env = Map.of("WARDEN_CACHE_DIR", dir.resolve("cache").toString());

        Map<String, String> outputs = new LinkedHashMap<>();
        List<String> statuses = new ArrayList<>();
        StringBuilder stderr = new StringBuilder();
        List<String[]> commands = commands(SCENARIOS.resolve(scenario));
        for (String[] command : commands) {
            String[] args = Arrays.copyOfRange(command, 1, command.length);
            Run run = Run.in(app, env, args);
            if (command[0].endsWith(".json")) {
                run.json(); // every golden JSON report also matches the published schema
            }
            outputs.put(command[0], normalise(run.out(), work));
            statuses.add(command[0] + " " + run.status());
            if (!run.err().isEmpty()) {
                stderr.append(command[0]).append(":\n").append(normalise(run.err(), work));
            }
        }
        outputs.put("status.txt", String.join("\n", statuses) + "\n");
        outputs.put("stderr.txt", stderr.toString());

        Path expected = SCENARIOS.resolve(scenario).resolve("expected");
        if (UPDATE) {
            Files.createDirectories(expected);
            for (Map.Entry<String, String> output : outputs.entrySet()) {
                Files.writeString(expected.resolve(output.getKey()), output.getValue(), StandardCharsets.UTF_8);
            }
            return;
        }
        for (Map.Entry<String, String> output : outputs.entrySet()) {
            Path golden = expected.resolve(output.getKey());
            assertThat(golden).as("golden file missing; run with -Dgolden.update=true").exists();
            assertThat(output.getValue()).as(scenario + "/expected/" + output.getKey())
                    .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
    }

    /**
     * The commands whose output is golden: a scenario's {@code commands} file (one per line: the output's file name,
     * then the arguments; {@code #} starts a comment) or, without one, the gate, the diff and the audit.
     */
    private static List<String[]> commands(Path scenario) throws IOException {
        Path file = scenario.resolve("commands");
        if (!Files.exists(file)) {
            return List.of(
                new String[] {"gate.json", "gate", ".", "--base", "base.lock", "--offline", "--format", "json",
                    "--store", "../g1.db"},
                new String[] {"gate.txt", "gate", ".", "--base", "base.lock", "--offline", "--store", "../g2.db"},
                new String[] {"diff.md", "diff", "base.lock", "Cargo.lock", "--offline", "--format", "markdown"},
                new String[] {"audit.sarif", "audit", ".", "--format", "sarif"});
        }
        return Files.readAllLines(file).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).map(line -> line.split("\\s+")).toList();
    }

    /** Machine-specific parts replaced with stable placeholders. */
    private static String normalise(String text, Path work) {
        return text.replace(work.toAbsolutePath().toString(), "$SCENARIO").replace(Main.version(), "$VERSION");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !from.relativize(p).startsWith("expected")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
