package dev.warden.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code warden-spark.jar} run as spark-submit runs an application: its own JVM, the jar after
 * Spark's own jars on the class path, the main class from the manifest's command line.
 */
class EcosystemScanMainIT {

    @TempDir
    Path dir;

    @Test
    void thePackagedJarScansAMirrorAndTheSecondRunScansNothing() throws Exception {
        Path mirror = dir.resolve("mirror");
        MirrorBuilder.attackPair(dir.resolve("work"), mirror);
        Path output = dir.resolve("out");

        Run first = run(mirror, output);
        assertThat(first.status).as(first.output).isZero();
        assertThat(first.output).contains("2 crate versions in the mirror, 0 already scanned by scan-")
                .contains("2 scanned now (0 could not be read)");
        try (Stream<Path> files = Files.walk(output.resolve("crates"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".parquet")).toList()).isNotEmpty();
        }
        Run second = run(mirror, output);
        assertThat(second.status).as(second.output).isZero();
        assertThat(second.output).contains("2 already scanned").contains("0 scanned now");
    }

    private record Run(int status, String output) {
    }

    private Run run(Path mirror, Path output) throws IOException, InterruptedException {
        Path jar = Path.of("target/warden-spark.jar");
        assertThat(jar).as("mvn package builds it").isRegularFile();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // the module options Spark's launcher passes, as this test JVM got them from the build
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--enable-native-access")
                        || a.startsWith("--sun-misc") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
                .forEach(command::add);
        command.add("-cp");
        command.add(sparkClassPath() + File.pathSeparator + jar);
        command.addAll(List.of(EcosystemScanMain.class.getName(), "--master", "local[2]", "--mirror",
                mirror.toString(), "--output", output.toString()));
        Path log = dir.resolve("run.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the job ends").isTrue();
        return new Run(process.exitValue(), Files.readString(log));
    }

    /**
     * What a Spark installation provides: Spark's jars (the provided scope) and the Jackson and SLF4J it runs on
     * (Warden needs them too, so Maven counts them as this module's own; the jar leaves them to Spark).
     */
    private static String sparkClassPath() throws IOException {
        String provided = Files.readString(Path.of(System.getProperty("spark.classpath.file"))).trim();
        String shared = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("/com/fasterxml/jackson/core/") || entry.contains("/org/slf4j/slf4j-api/"))
                .collect(Collectors.joining(File.pathSeparator));
        return provided + File.pathSeparator + shared;
    }
}
