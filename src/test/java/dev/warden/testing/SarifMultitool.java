package dev.warden.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitHub's own SARIF checks: Microsoft's SARIF Multitool ({@code $SARIF_MULTITOOL}, installed by .ci/run) run with
 * {@code --rule-kind "Gh;Sarif"}. Skips the calling test when the tool is not installed.
 */
public final class SarifMultitool {

    private SarifMultitool() {
    }

    public static void assertAccepts(Path workDir, String name, String sarif) throws IOException, InterruptedException {
        String tool = System.getenv("SARIF_MULTITOOL");
        Assumptions.assumeTrue(tool != null && Files.isExecutable(Path.of(tool)), "SARIF Multitool not installed");
        Path file = workDir.resolve(name + ".sarif");
        Files.writeString(file, sarif);
        Path output = workDir.resolve(name + ".validation.sarif");
        Process process = new ProcessBuilder(tool, "validate", file.toString(), "--rule-kind", "Gh;Sarif",
                "--output", output.toString()).redirectErrorStream(true).start();
        String console = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        JsonNode validation = new ObjectMapper().readTree(output.toFile());
        List<String> errors = new ArrayList<>();
        for (JsonNode result : validation.path("runs").get(0).path("results")) {
            if (result.path("level").asText().equals("error")) {
                errors.add(result.path("ruleId").asText() + ": " + result.path("message").toString());
            }
        }
        assertThat(errors).as(console).isEmpty();
    }
}
