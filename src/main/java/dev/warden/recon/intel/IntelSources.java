package dev.warden.recon.intel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public-intel connectors: the crates.io API (downloads, dates, repository, owners), GitHub code search and
 * Sourcegraph (who else names the crate in a {@code Cargo.toml}). Each is optional: a missing token or an
 * unreachable service leaves its fields unknown. Base URLs are parameters so tests can serve recorded answers.
 *
 * @param cratesIo       crates.io, e.g. {@code https://crates.io}
 * @param github         the GitHub API, e.g. {@code https://api.github.com}, or null to skip code search
 * @param githubToken    required by GitHub's code search; null skips it
 * @param sourcegraph    e.g. {@code https://sourcegraph.com}, or null to skip
 * @param sourcegraphToken optional
 */
public record IntelSources(IntelHttp http, String cratesIo, String github, String githubToken, String sourcegraph,
                           String sourcegraphToken) {

    public CrateIntel lookUp(String crate) {
        long downloads = -1;
        long recent = -1;
        Instant created = null;
        Instant updated = null;
        String newest = null;
        int versions = -1;
        String repository = null;
        List<String> owners = null;
        Optional<JsonNode> info = IntelHttp.json(http.get("crates.io", uri(cratesIo, "/api/v1/crates/" + IntelHttp.encode(crate)
                + "?include=versions"), Map.of()));
        if (info.isPresent()) {
            JsonNode body = info.get().path("crate");
            downloads = body.path("downloads").asLong(-1);
            recent = body.path("recent_downloads").asLong(-1);
            created = instant(body.path("created_at").asText(null));
            updated = instant(body.path("updated_at").asText(null));
            newest = body.path("max_stable_version").asText(body.path("max_version").asText(null));
            repository = body.path("repository").isTextual() && !body.path("repository").asText().isBlank()
                    ? body.path("repository").asText() : null;
            versions = info.get().path("versions").isArray() ? info.get().path("versions").size() : -1;
            Optional<JsonNode> ownerList = IntelHttp.json(http.get("crates.io", uri(cratesIo, "/api/v1/crates/"
                    + IntelHttp.encode(crate) + "/owners"), Map.of()));
            if (ownerList.isPresent()) {
                owners = new ArrayList<>();
                for (JsonNode user : ownerList.get().path("users")) {
                    owners.add(user.path("login").asText());
                }
            }
        }
        return new CrateIntel(crate, downloads, recent, created, updated, newest, versions, repository, owners,
                githubMentions(crate), sourcegraphMentions(crate));
    }

    /**
     * Public manifests that name {@code name} — for an internal crate, what an attacker reads to plan dependency
     * confusion: the larger of GitHub's and Sourcegraph's counts (they index many of the same repositories), or -1
     * when neither answered.
     */
    public long mentions(String name) {
        return Math.max(githubMentions(name), sourcegraphMentions(name));
    }

    /** Public Cargo.toml files on GitHub that name the crate; -1 when unknown (no token, no answer). */
    private long githubMentions(String crate) {
        if (github == null || githubToken == null) {
            return -1;
        }
        String query = "\"" + crate + "\" filename:Cargo.toml";
        return IntelHttp.json(http.get("github", uri(github, "/search/code?per_page=1&q=" + IntelHttp.encode(query)),
                Map.of("Authorization", "Bearer " + githubToken, "X-GitHub-Api-Version", "2022-11-28")))
                .map(body -> body.path("total_count").asLong(-1)).orElse(-1L);
    }

    /** The same count from Sourcegraph's GraphQL search; -1 when unknown. */
    private long sourcegraphMentions(String crate) {
        if (sourcegraph == null) {
            return -1;
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("query", "query($q: String!) { search(query: $q, version: V3) { results { matchCount } } }");
        request.putObject("variables").put("q", "file:Cargo.toml \"" + crate + "\" count:all");
        Map<String, String> headers = new HashMap<>();
        if (sourcegraphToken != null) {
            headers.put("Authorization", "token " + sourcegraphToken);
        }
        return IntelHttp.json(http.post("sourcegraph", uri(sourcegraph, "/.api/graphql"), request.toString(), headers))
                .map(body -> body.path("data").path("search").path("results").path("matchCount").asLong(-1))
                .orElse(-1L);
    }

    private static URI uri(String base, String pathAndQuery) {
        return URI.create(base.replaceAll("/+$", "") + pathAndQuery);
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
