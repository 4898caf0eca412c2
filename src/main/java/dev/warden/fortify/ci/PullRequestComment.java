package dev.warden.fortify.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Keeps one Warden comment on a GitHub pull request up to date through the REST API: the first run creates it, later
 * runs on the same pull request edit it in place instead of piling up comments. Warden's comment is recognised by a
 * hidden marker line. The job token is sent only to the API it was given for, and never appears in a message.
 */
public final class PullRequestComment {

    /** Ends every comment Warden writes; how later runs find it again. */
    public static final String MARKER = "<!-- warden:gate -->";

    /**
     * @param api         the REST API root ({@code GITHUB_API_URL}, {@code https://api.github.com} on github.com)
     * @param repository  {@code owner/name}
     * @param pullRequest the pull request's number (its issue number)
     */
    public record Target(URI api, String repository, int pullRequest, String token) {

        @Override
        public String toString() {
            return repository + "#" + pullRequest + " (token not shown)";
        }
    }

    public enum Action { CREATED, UPDATED }

    public record Posted(Action action, long id, String url) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 100;

    private final HttpClient http;
    private final Duration timeout;

    public PullRequestComment(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Creates Warden's comment on the pull request, or replaces the body of the one an earlier run left. */
    public Posted upsert(Target target, String body) {
        String text = body.contains(MARKER) ? body : body.stripTrailing() + "\n\n" + MARKER + "\n";
        String repo = "repos/" + target.repository();
        Long existing = find(target, repo);
        String payload = JSON.createObjectNode().put("body", text).toString();
        JsonNode answer = existing == null
                ? send(target, "POST", repo + "/issues/" + target.pullRequest() + "/comments", payload, 201)
                : send(target, "PATCH", repo + "/issues/comments/" + existing, payload, 200);
        return new Posted(existing == null ? Action.CREATED : Action.UPDATED, answer.path("id").asLong(),
                answer.path("html_url").asText(null));
    }

    /** The id of the comment an earlier run left, looking through every page of the pull request's comments. */
    private Long find(Target target, String repo) {
        for (int page = 1; page < 100; page++) {
            JsonNode comments = send(target, "GET", repo + "/issues/" + target.pullRequest() + "/comments?per_page="
                    + PAGE + "&page=" + page, null, 200);
            for (JsonNode comment : comments) {
                if (comment.path("body").asText("").contains(MARKER)) {
                    return comment.path("id").asLong();
                }
            }
            if (comments.size() < PAGE) {
                return null;
            }
        }
        return null;
    }

    private JsonNode send(Target target, String method, String path, String body, int expected) {
        URI uri = URI.create(target.api().toString().replaceAll("/+$", "") + "/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "warden-gate")
                .header("Authorization", "Bearer " + target.token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                String message = "";
                try {
                    message = JSON.readTree(response.body()).path("message").asText("");
                } catch (IOException ignored) {
                    // not JSON: the status says enough
                }
                throw new WardenException(method + " " + uri.getPath() + ": HTTP " + response.statusCode()
                        + (message.isEmpty() ? "" : " (" + message + ")") + hint(response.statusCode()));
            }
            return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            throw new WardenException(method + " " + uri + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardenException(method + " " + uri + ": interrupted");
        }
    }

    private static String hint(int status) {
        return Map.of(401, ": the token was refused", 403, ": give the job `permissions: pull-requests: write`",
                404, ": no such repository or pull request for this token").getOrDefault(status, "");
    }
}
