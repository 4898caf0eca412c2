package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.core.Environment;
import dev.warden.core.WardenException;
import dev.warden.fortify.ci.PullRequestComment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "pr-comment", description = {
    "Post a report (usually `gate --report markdown=FILE`) as Warden's comment on a GitHub pull request, or update",
    "the comment an earlier run left. Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and the pull request",
    "from GITHUB_EVENT_PATH, as GitHub Actions sets them; the job needs `permissions: pull-requests: write`."})
final class PrCommentCommand implements Callable<Outcome> {

    @Parameters(paramLabel = "FILE", description = "The Markdown to post.")
    Path file;

    @Option(names = "--pr", paramLabel = "NUMBER", description = "The pull request (default: from GITHUB_EVENT_PATH).")
    Integer pullRequest;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "The repository (default: GITHUB_REPOSITORY).")
    String repository;

    @Spec
    CommandSpec spec;

    @Override
    public Outcome call() {
        Environment env = ((Main) spec.root().userObject()).env();
        Path markdown = env.resolve(file.toString());
        String body;
        try {
            body = Files.readString(markdown);
        } catch (IOException e) {
            throw new WardenException(markdown + ": cannot read: " + e.getMessage());
        }
        String token = env.variable("GITHUB_TOKEN").orElseThrow(() -> new WardenException(
                "GITHUB_TOKEN is not set (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})"));
        String repo = repository != null ? repository : env.variable("GITHUB_REPOSITORY").orElseThrow(
                () -> new WardenException("GITHUB_REPOSITORY is not set; give --repo OWNER/NAME"));
        int number = pullRequest != null ? pullRequest : fromEvent(env);
        URI api = URI.create(env.variable("GITHUB_API_URL").orElse("https://api.github.com"));
        PullRequestComment.Posted posted = new PullRequestComment(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10)).build(), Duration.ofSeconds(30))
                .upsert(new PullRequestComment.Target(api, repo, number, token), body);
        spec.commandLine().getOut().println("warden: " + posted.action().name().toLowerCase(Locale.ROOT)
                + " comment " + posted.id() + " on " + repo + "#" + number
                + (posted.url() == null ? "" : " (" + posted.url() + ")"));
        return Outcome.OK;
    }

    /** The pull request number from the event that started the workflow. */
    private static int fromEvent(Environment env) {
        Path event = env.variable("GITHUB_EVENT_PATH").map(env::resolve).orElseThrow(() -> new WardenException(
                "no pull request: give --pr NUMBER, or run in a pull_request workflow (GITHUB_EVENT_PATH)"));
        try {
            JsonNode root = new ObjectMapper().readTree(event.toFile());
            JsonNode number = root.path("pull_request").path("number");
            if (!number.canConvertToInt()) {
                throw new WardenException(event + ": not a pull request event (no pull_request.number); give --pr");
            }
            return number.asInt();
        } catch (IOException e) {
            throw new WardenException(event + ": cannot read the event: " + e.getMessage());
        }
    }
}
