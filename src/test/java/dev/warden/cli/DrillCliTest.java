package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.core.Environment;
import dev.warden.limit.SandboxProbe;
import dev.warden.testing.CargoTool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code warden drill} as a user runs it (one scenario, for time; DrillTest runs all three): it ends by recording
 * the exercise metrics and writing the report of its own run, whose path it prints; a second drill adds to the
 * same history.
 */
class DrillCliTest {

    @TempDir
    Path dir;

    @Test
    void theDrillEndsWithTheReportOfItsRun() throws Exception {
        Assumptions.assumeTrue(CargoTool.find().isPresent(), "cargo is not installed");
        SandboxProbe.Capabilities found = SandboxProbe.probe(Environment.system());
        Assumptions.assumeTrue(found.sandbox() != SandboxProbe.Kind.NONE && found.tracer() != null,
                "no sandbox here: " + found.problems());
        Map<String, String> variables = new HashMap<>(System.getenv());
        variables.put("WARDEN_STATE_DIR", dir.resolve("state").toString());
        Environment env = new Environment(Clock.systemUTC(), variables, dir, Environment.system().homeDirectory());

        for (int drill = 1; drill <= 2; drill++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.run(new String[] {"drill", "--scenario", "typosquat-exfiltration", "--no-control",
                "--format", "json"}, new PrintWriter(out), new PrintWriter(err), env);
            assertThat(status).as(err.toString()).isZero();
            JsonNode scorecard = new ObjectMapper().readTree(out.toString());
            assertThat(scorecard.path("successRate").asDouble()).isEqualTo(1.0);

            Matcher printed = Pattern.compile("drill: report written to (\\S+)").matcher(err.toString());
            assertThat(printed.find()).as(err.toString()).isTrue();
            Path report = Path.of(printed.group(1));
            assertThat(report).isEqualTo(dir.resolve("state/drills/report.html"));
            String page = Files.readString(report);
            assertThat(page).contains("id=\"exercise\"", "typosquat-exfiltration", "Exercise success rate",
                    "100 %", drill + " run" + (drill == 1 ? "" : "s")).doesNotContain("id=\"fortify\"");
        }
    }
}
