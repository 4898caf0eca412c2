package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warden.expose.Actor;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `warden events --export ecs --to URL` against a loopback endpoint that speaks Elasticsearch's REST dialect the way
 * the official client expects (product header, vendor media types) and checks what arrives: the index template
 * before any document, and bulk bodies in NDJSON — an action line naming the index and an id, then the document,
 * each on its own line, the body ending in a newline. The first bulk answer turns one item away with 429.
 */
class ElasticShippingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, JsonNode> stored = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile JsonNode template;
    private volatile boolean rejectOnce = true;
    private volatile String authorization;

    @BeforeEach
    void elasticsearch() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        calls.add(call);
        authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String answer;
        int status = 200;
        if (call.equals("PUT /_index_template/warden-events")) {
            template = JSON.readTree(body);
            answer = "{\"acknowledged\":true}";
        } else if (call.equals("POST /warden-events/_bulk")) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            // The official client labels bulk bodies with its versioned JSON type; Elasticsearch takes it for _bulk.
            if (type == null || !type.startsWith("application/vnd.elasticsearch+") && !type.startsWith(
                    "application/json") && !type.startsWith("application/x-ndjson")) {
                problems.add("bulk content type " + type);
            }
            answer = bulk(body);
        } else {
            status = 404;
            answer = "{\"error\":\"no handler for " + call + "\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String bulk(String body) throws IOException {
        if (template == null) {
            problems.add("documents before the index template");
        }
        if (!body.endsWith("\n")) {
            problems.add("bulk body without its final newline");
        }
        String[] lines = body.split("\n");
        StringBuilder items = new StringBuilder();
        boolean rejected = false;
        for (int i = 0; i < lines.length; i += 2) {
            JsonNode action = JSON.readTree(lines[i]);
            JsonNode index = action.path("index");
            String id = index.path("_id").asText();
            if (id.isEmpty() || i + 1 >= lines.length) {
                problems.add("action line without an id or document: " + lines[i]);
                break;
            }
            JsonNode document = JSON.readTree(lines[i + 1]);
            if (!document.has("@timestamp")) {
                problems.add("document without @timestamp: " + lines[i + 1]);
            }
            items.append(items.isEmpty() ? "" : ",");
            if (rejectOnce && !rejected) {
                rejected = true;
                items.append("{\"index\":{\"_index\":\"warden-events\",\"_id\":\"").append(id).append("\",\"status\":"
                        + "429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}}}");
                continue;
            }
            stored.put(id, document);
            items.append("{\"index\":{\"_index\":\"warden-events\",\"_id\":\"").append(id).append("\",\"_version\":1,"
                    + "\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":0,"
                    + "\"_primary_term\":1,\"status\":201}}");
        }
        rejectOnce = false;
        return "{\"took\":3,\"errors\":" + rejected + ",\"items\":[" + items + "]}";
    }

    private Path store() {
        Path file = dir.resolve("store.db");
        try (EventStore store = EventStore.open(file)) {
            long build = store.startBuild(dir.toString(), "cargo build", "bubblewrap", Instant.parse(
                    "2026-12-01T10:00:00Z"));
            Actor script = new Actor(Actor.Role.BUILD_SCRIPT, "url-parse", "build-script-build", List.of());
            long micros = Instant.parse("2026-12-01T10:00:01Z").toEpochMilli() * 1000;
            store.add(build, new BuildEvent(micros, BuildEvent.Kind.EXEC, 4242, script, "/usr/bin/curl",
                    "curl https://x.example", null));
            store.add(build, new BuildEvent(micros + 10, BuildEvent.Kind.DNS, 4242, script,
                    "aws1.malicious-domain.com", "A", null));
            store.add(build, new BuildEvent(micros + 20, BuildEvent.Kind.CONNECT, 4242, script, "203.0.113.9:443",
                    null, null));
            store.finishBuild(build, Instant.parse("2026-12-01T10:00:05Z"), 0, true);
        }
        return file;
    }

    @Test
    void theExportIsSentWithTheTemplateFirstInBulkBatchesAndTurnedAwayItemsSentAgain() {
        Path file = store();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Run run = Run.in(dir, Map.of("ELASTIC_API_KEY", "a2V5OnNlY3JldA=="), "events", ".", "--store",
                file.toString(), "--export", "ecs", "--to", url);
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("events: 3 of 3 documents sent to warden-events (1 retries)");
        assertThat(problems).isEmpty();
        assertThat(calls.getFirst()).isEqualTo("PUT /_index_template/warden-events");
        assertThat(calls).containsExactly("PUT /_index_template/warden-events", "POST /warden-events/_bulk",
                "POST /warden-events/_bulk");
        assertThat(authorization).isEqualTo("ApiKey a2V5OnNlY3JldA==");
        assertThat(run.out() + run.err()).doesNotContain("a2V5OnNlY3JldA==");

        assertThat(template.path("index_patterns").toString()).isEqualTo("[\"warden-events*\"]");
        Set<String> mapped = new HashSet<>();
        template.path("template").path("mappings").path("properties").fieldNames().forEachRemaining(mapped::add);
        Set<String> sent = new HashSet<>();
        stored.values().forEach(doc -> doc.fieldNames().forEachRemaining(sent::add));
        assertThat(mapped).as("every top-level field Warden writes has a mapping").containsAll(sent);
        assertThat(stored.values()).extracting(doc -> doc.path("event").path("action").asText())
                .containsExactlyInAnyOrder("exec", "dns", "connect");

        // Sent again: the same ids, so the index holds the same three documents.
        Run again = Run.in(dir, Map.of("ELASTIC_API_KEY", "a2V5OnNlY3JldA=="), "events", ".", "--store",
                file.toString(), "--export", "ecs", "--to", url);
        assertThat(again.status()).isZero();
        assertThat(stored).hasSize(3);
    }

    @Test
    void aTargetWithoutTheExportOrNotAUrlIsRefused() {
        Path file = store();
        Run noExport = Run.in(dir, "events", ".", "--store", file.toString(), "--to", "http://127.0.0.1:9");
        assertThat(noExport.status()).isEqualTo(2);
        assertThat(noExport.err()).contains("--to sends the ECS export: add --export ecs");
        Run notUrl = Run.in(dir, "events", ".", "--store", file.toString(), "--export", "ecs", "--to", "ftp://x");
        assertThat(notUrl.status()).isEqualTo(2);
        assertThat(notUrl.err()).contains("is not an http(s) URL");
    }
}
