package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub Action's gate step ({@code ci/github/gate.sh}, what {@code action.yml} runs) in a harness that sets the
 * variables Actions sets, against a loopback stand-in for GitHub's REST API that checks each request's method, path,
 * headers and body: the SARIF file is written, one comment is created and then updated in place, and the decision
 * handed to the action's last step follows the gate's.
 */
class GitHubActionTest {

    private static final String TOKEN = "ghs_" + "fakeJobTokenForTheTestOnly0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer api;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Map<Long, String> comments = new HashMap<>();
    private long nextId = 1000;

    @BeforeEach
    void fakeGitHub() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", this::handle);
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    /** The part of GitHub's issue-comments API the action uses, with the checks GitHub would make. */
    private synchronized void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        calls.add(method + " " + path + (query == null ? "" : "?" + query));
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            problems.add(method + " " + path + " without the job token");
        }
        if (!"application/vnd.github+json".equals(exchange.getRequestHeaders().getFirst("Accept"))) {
            problems.add(method + " " + path + " without the GitHub media type");
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        JsonNode answer;
        if (method.equals("GET") && path.equals("/repos/acme/app/issues/7/comments")) {
            ArrayNode list = JSON.createArrayNode();
            comments.forEach((id, text) -> list.addObject().put("id", id).put("body", text));
            status = 200;
            answer = list;
        } else if (method.equals("POST") && path.equals("/repos/acme/app/issues/7/comments")) {
            long id = nextId++;
            comments.put(id, JSON.readTree(body).path("body").asText());
            status = 201;
            answer = comment(id);
        } else if (method.equals("PATCH") && path.startsWith("/repos/acme/app/issues/comments/")
                && comments.containsKey(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)))) {
            long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
            comments.put(id, JSON.readTree(body).path("body").asText());
            status = 200;
            answer = comment(id);
        } else {
            status = 404;
            answer = JSON.createObjectNode().put("message", "Not Found");
        }
        byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private ObjectNode comment(long id) {
        return JSON.createObjectNode().put("id", id).put("html_url", "https://github.test/acme/app/pull/7#c" + id);
    }

    /** A launcher that runs this build's Warden classes, standing in for the installed distribution. */
    private Path launcher() throws IOException {
        Path script = dir.resolve("bin/warden");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path")
                + "' dev.warden.cli.Main \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private record Step(int exit, Map<String, String> outputs, String log) {
    }

    private Step runGateStep(String base) throws Exception {
        Path outputs = dir.resolve("github-output");
        Files.deleteIfExists(outputs);
        Path event = write(dir, "event.json", "{\"pull_request\": {\"number\": 7, \"base\": {\"sha\": \"" + base
                + "\"}}}");
        ProcessBuilder step = new ProcessBuilder("bash", Path.of("ci/github/gate.sh").toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = step.environment();
        env.keySet().removeIf(k -> k.startsWith("GITHUB_") || k.startsWith("WARDEN") || k.startsWith("CARGO"));
        env.putAll(Map.of("WARDEN", launcher().toString(), "INPUT_PROJECT", "app", "INPUT_BASE", base,
                "INPUT_COMMENT", "true", "GITHUB_TOKEN", TOKEN, "GITHUB_REPOSITORY", "acme/app",
                "GITHUB_API_URL", "http://127.0.0.1:" + api.getAddress().getPort(),
                "GITHUB_EVENT_PATH", event.toString(), "GITHUB_OUTPUT", outputs.toString(),
                "RUNNER_TEMP", dir.resolve("runner").toString()));
        env.put("GITHUB_RUN_ID", "99");
        env.put("HOME", dir.resolve("home").toString());
        env.put("WARDEN_CACHE_DIR", dir.resolve("cache").toString());
        // The advisory refresh must not leave the machine: a mirror URL that exists nowhere fails at once.
        env.put("WARDEN_ADVISORY_DB_URL", dir.resolve("no-advisory-mirror").toUri().toString());
        Process process = step.start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        Map<String, String> values = new HashMap<>();
        if (Files.exists(outputs)) {
            for (String line : Files.readAllLines(outputs)) {
                int eq = line.indexOf('=');
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Step(exit, values, log);
    }

    @Test
    void theStepWritesSarifCommentsOnceAndHandsOnTheDecision() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        String baseSha;
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            RevCommit base = git.commit().setMessage("2.1.0").setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com").call();
            baseSha = base.getName();
            write(app, "Cargo.lock", AttackProject.lockfile(true));
            git.add().addFilepattern(".").call();
            git.commit().setMessage("bump").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        }

        Step blocked = runGateStep(baseSha);
        assertThat(blocked.exit()).as(blocked.log()).isZero();
        assertThat(blocked.outputs()).containsEntry("status", "1").containsEntry("decision", "blocked");
        JsonNode sarif = JSON.readTree(Path.of(blocked.outputs().get("sarif")).toFile());
        assertThat(sarif.path("runs").get(0).path("results").findValuesAsText("ruleId"))
                .contains("exfiltration-pattern");
        assertThat(calls).containsExactly("GET /repos/acme/app/issues/7/comments?per_page=100&page=1",
                "POST /repos/acme/app/issues/7/comments");
        assertThat(comments.values()).singleElement().satisfies(c -> assertThat(c)
                .startsWith("### Warden gate: ❌ blocked").contains("exfiltration-pattern").contains("<!-- warden:gate -->")
                .contains("**Supply-chain report**", "[full report](https://github.com/acme/app/actions/runs/99)"));
        assertThat(Path.of(blocked.outputs().get("report"))).content().contains("<section class=\"stage\"");

        // The fix lands: the same pull request now passes, and the comment is edited in place.
        write(app, "Cargo.lock", AttackProject.lockfile(false));
        Step passed = runGateStep(baseSha);
        assertThat(passed.outputs()).as(passed.log()).containsEntry("status", "0").containsEntry("decision", "pass");
        assertThat(calls.subList(2, calls.size())).containsExactly(
                "GET /repos/acme/app/issues/7/comments?per_page=100&page=1", "PATCH /repos/acme/app/issues/comments/1000");
        assertThat(comments.values()).singleElement().satisfies(c -> assertThat(c)
                .doesNotContain("❌ blocked").contains("**decision: PASS**", "<!-- warden:gate -->"));

        assertThat(problems).isEmpty();
        assertThat(blocked.log() + passed.log()).doesNotContain(TOKEN).contains("warden gate: blocked",
                "could not refresh the advisory data; using the embedded snapshot");
    }

    @Test
    void withoutABaseCommitInAShallowCloneTheStepSaysHowToFixIt() throws Exception {
        AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("one").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        }
        Step step = runGateStep("0123456789abcdef0123456789abcdef01234567");
        assertThat(step.outputs()).containsEntry("decision", "error");
        assertThat(step.log()).contains("fetch-depth: 0", "unknown git revision");
        assertThat(calls).isEmpty();
    }
}
