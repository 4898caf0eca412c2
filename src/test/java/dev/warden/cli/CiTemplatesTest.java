package dev.warden.cli;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI definitions Warden ships, read as YAML the way GitHub and GitLab read them: every input the action uses is
 * declared, every step of a composite action names its shell, the scripts it runs exist, and the GitLab job gates
 * merge requests against their base with the full history and keeps the reports. (The gate step itself runs in
 * {@link GitHubActionTest}.)
 */
class CiTemplatesTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(Path.of(file)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGitHubActionIsAConsistentCompositeAction() throws IOException {
        Map<String, Object> action = yaml("action.yml");
        Map<String, Object> inputs = (Map<String, Object>) action.get("inputs");
        assertThat(inputs).containsKeys("project", "base", "comment", "upload-sarif");
        assertThat(((Map<String, Object>) inputs.get("base")).get("default"))
                .isEqualTo("${{ github.event.pull_request.base.sha }}");
        Map<String, Object> runs = (Map<String, Object>) action.get("runs");
        assertThat(runs.get("using")).isEqualTo("composite");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) runs.get("steps");
        String text = Files.readString(Path.of("action.yml"));
        Matcher used = Pattern.compile("inputs\\.([a-z-]+)").matcher(text);
        while (used.find()) {
            assertThat(inputs).as("input used but not declared").containsKey(used.group(1));
        }
        for (Map<String, Object> step : steps) {
            if (step.containsKey("run")) {
                assertThat(step).as("composite run steps need a shell: " + step.get("name")).containsKey("shell");
            } else {
                assertThat((String) step.get("uses")).matches("[\\w-]+/[\\w/-]+@v\\d+");
            }
        }
        assertThat(steps).anySatisfy(step -> assertThat(String.valueOf(step.get("run")))
                .contains("$GITHUB_ACTION_PATH/ci/github/gate.sh"));
        assertThat(Path.of("ci/github/gate.sh")).isRegularFile();
        // The job fails only after the SARIF upload, so a blocked change still shows its alerts.
        Map<String, Object> last = steps.getLast();
        assertThat(last.get("if")).isEqualTo("always()");
        assertThat(String.valueOf(last.get("run"))).contains("steps.gate.outputs.status");
        int upload = steps.indexOf(steps.stream().filter(s -> String.valueOf(s.get("uses")).contains("upload-sarif"))
                .findFirst().orElseThrow());
        assertThat(upload).isLessThan(steps.size() - 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGitLabTemplateGatesMergeRequestsAgainstTheirBase() throws IOException {
        Map<String, Object> template = yaml("ci/gitlab/warden.gitlab-ci.yml");
        Map<String, Object> job = (Map<String, Object>) template.get("warden-gate");
        assertThat(((Map<String, Object>) job.get("variables"))).containsEntry("GIT_DEPTH", "0");
        assertThat(String.join("\n", (List<String>) job.get("script")))
                .contains("gate \"$WARDEN_PROJECT\" --base \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\"",
                        "--report markdown=warden-comment.md", "--report sarif=warden.sarif", "db update --if-stale");
        Map<String, Object> artifacts = (Map<String, Object>) job.get("artifacts");
        assertThat(artifacts.get("when")).isEqualTo("always");
        assertThat((List<String>) artifacts.get("paths")).contains("warden-gate.json", "warden.sarif");
        assertThat(String.valueOf(job.get("rules"))).contains("merge_request_event");
    }
}
