package dev.warden.recon.intel;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.testing.LoopbackServer;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IntelSourcesTest {

    @TempDir
    Path dir;

    private static String recorded(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/recon/intel").resolve(name));
    }

    /** crates.io, GitHub and Sourcegraph answers for serd (a young squat) and serde, all on one loopback server. */
    private static LoopbackServer services() throws IOException {
        LoopbackServer server = new LoopbackServer();
        server.serve("/api/v1/crates/serd", recorded("serd.json"));
        server.serve("/api/v1/crates/serd/owners", recorded("serd-owners.json"));
        server.serve("/api/v1/crates/serde", recorded("serde.json"));
        server.serve("/api/v1/crates/serde/owners", recorded("serde-owners.json"));
        server.serve("/search/code?per_page=1&q=%22serd%22%20filename%3ACargo.toml", recorded("github-none.json"));
        server.serve("/search/code?per_page=1&q=%22serde%22%20filename%3ACargo.toml", recorded("github-many.json"));
        server.serve("/.api/graphql", recorded("sourcegraph-none.json"));
        return server;
    }

    private IntelHttp http(Clock clock, Duration interval) {
        return new IntelHttp(dir.resolve("cache"), clock, Duration.ofDays(1), Duration.ofSeconds(5), interval,
                "warden-test");
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void aYoungObscureCrateLooksLikeIt() throws IOException {
        try (LoopbackServer server = services()) {
            IntelSources sources = new IntelSources(http(at(TestEnv.NOW), Duration.ZERO), server.url(), server.url(),
                    "gh-token", server.url(), null);
            CrateIntel serd = sources.lookUp("serd");
            assertThat(serd.downloads()).isEqualTo(212);
            assertThat(serd.created()).isEqualTo(Instant.parse("2026-11-02T09:14:51.120392Z"));
            assertThat(serd.repository()).isNull();
            assertThat(serd.versions()).isEqualTo(3);
            assertThat(serd.owners()).containsExactly("helpful-dev-99");
            assertThat(serd.githubMentions()).isZero();
            assertThat(serd.sourcegraphMentions()).isZero();

            List<Finding> findings = new ArrayList<>();
            IntelCheck.judge(serd, List.of(Evidence.of("Cargo.lock", 7)), TestEnv.NOW, findings);
            assertThat(findings).extracting(Finding::id).containsExactly("young-crate", "few-downloads",
                    "no-repository", "unmentioned-crate");
            assertThat(findings.getFirst().message()).isEqualTo("serd was first published 23 days ago (2026-11-02)");
            assertThat(findings.getFirst().attributes()).containsEntry("owners", "helpful-dev-99")
                    .containsEntry("downloads", "212");

            CrateIntel serde = sources.lookUp("serde");
            assertThat(serde.githubMentions()).isEqualTo(4_280_000);
            List<Finding> none = new ArrayList<>();
            IntelCheck.judge(serde, List.of(), TestEnv.NOW, none);
            assertThat(none).isEmpty();

            LoopbackServer.Request github = server.log().stream().filter(r -> r.path().equals("/search/code"))
                    .findFirst().orElseThrow();
            assertThat(github.headers()).containsEntry("Authorization", "Bearer gh-token");
            assertThat(server.log()).allMatch(r -> r.headers().get("User-Agent").equals("warden-test"));
            LoopbackServer.Request graphql = server.log().stream().filter(r -> r.path().equals("/.api/graphql"))
                    .findFirst().orElseThrow();
            assertThat(graphql.method()).isEqualTo("POST");
            assertThat(graphql.body()).contains("file:Cargo.toml \\\"serd\\\" count:all");
        }
    }

    @Test
    void answersAreCachedForADay() throws IOException {
        try (LoopbackServer server = services()) {
            new IntelSources(http(at(TestEnv.NOW), Duration.ZERO), server.url(), null, null, null, null).lookUp("serd");
            int asked = server.log().size();
            assertThat(asked).isEqualTo(2);
            IntelHttp cached = http(at(TestEnv.NOW.plus(Duration.ofHours(23))), Duration.ZERO);
            assertThat(new IntelSources(cached, server.url(), null, null, null, null).lookUp("serd").downloads())
                    .isEqualTo(212);
            assertThat(server.log()).hasSize(asked);
            assertThat(cached.summary()).isEqualTo("0 asked, 2 from the cache");
            new IntelSources(http(at(TestEnv.NOW.plus(Duration.ofHours(25))), Duration.ZERO), server.url(), null,
                    null, null, null).lookUp("serd");
            assertThat(server.log()).hasSize(asked * 2);
        }
    }

    @Test
    void requestsToOneServiceAreSpacedOut() throws IOException {
        try (LoopbackServer server = services()) {
            IntelSources sources = new IntelSources(http(at(TestEnv.NOW), Duration.ofMillis(150)), server.url(), null,
                    null, null, null);
            sources.lookUp("serd");
            sources.lookUp("serde");
            List<LoopbackServer.Request> log = server.log();
            assertThat(log).hasSize(4);
            for (int i = 1; i < log.size(); i++) {
                assertThat(log.get(i).arrivedNanos() - log.get(i - 1).arrivedNanos())
                        .isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
            }
        }
    }

    @Test
    @Timeout(20)
    void withoutNetworkEverythingIsUnknownAndNothingHangs() {
        IntelHttp http = new IntelHttp(dir.resolve("cache"), at(TestEnv.NOW), Duration.ofDays(1),
                Duration.ofMillis(500), Duration.ZERO, "warden-test");
        CrateIntel nothing = new IntelSources(http, "http://127.0.0.1:9", "http://127.0.0.1:9", "token",
                "http://127.0.0.1:9", null).lookUp("serd");
        assertThat(nothing.known()).isFalse();
        assertThat(nothing.githubMentions()).isEqualTo(-1);
        assertThat(nothing.sourcegraphMentions()).isEqualTo(-1);
        assertThat(http.failures()).hasSize(3);
        try (LoopbackServer slow = new LoopbackServer()) {
            slow.delay(5_000);
            IntelHttp impatient = new IntelHttp(dir.resolve("cache2"), at(TestEnv.NOW), Duration.ofDays(1),
                    Duration.ofMillis(300), Duration.ZERO, "warden-test");
            assertThat(new IntelSources(impatient, slow.url(), null, null, null, null).lookUp("serde").known())
                    .isFalse();
            assertThat(impatient.failures()).singleElement().asString().contains("HttpTimeoutException");
        }
    }

    /** Offline, recon --intel used to print one ConnectException per request and wait for each: now one line. */
    @Test
    @Timeout(20)
    void anUnreachableServiceIsAskedOnceAndSaidOnce() {
        IntelHttp http = new IntelHttp(dir.resolve("cache"), at(TestEnv.NOW), Duration.ofDays(1),
                Duration.ofMillis(500), Duration.ZERO, "warden-test");
        IntelSources sources = new IntelSources(http, "http://127.0.0.1:9", null, null, null, null);
        for (String name : List.of("serd", "serde", "tokio", "rand", "libc")) {
            assertThat(sources.lookUp(name).known()).isFalse();
        }
        assertThat(http.failures()).hasSize(2);
        assertThat(http.failures().getFirst()).contains("127.0.0.1 cannot be reached (ConnectException)",
                "not asked again in this run");
        assertThat(http.failures().get(1)).matches("crates\\.io: \\d+ more requests skipped");
    }

    @Test
    void githubCodeSearchNeedsAToken() throws IOException {
        try (LoopbackServer server = services()) {
            CrateIntel serd = new IntelSources(http(at(TestEnv.NOW), Duration.ZERO), server.url(), server.url(), null,
                    null, null).lookUp("serd");
            assertThat(serd.githubMentions()).isEqualTo(-1);
            assertThat(server.log()).noneMatch(r -> r.path().startsWith("/search"));
        }
    }
}
