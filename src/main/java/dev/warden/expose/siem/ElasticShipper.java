package dev.warden.expose.siem;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.util.BinaryData;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends ECS documents to Elasticsearch with the bulk API, through the official Java client: the index template for
 * the fields Warden writes is put first, documents go in batches, each with a stable id (shipping the same events
 * again replaces them, never duplicates), and items the cluster turns away for load (429) or its own faults (5xx)
 * are sent again with a growing pause. Mapping errors (4xx) are not retried: they are counted and said.
 */
public final class ElasticShipper implements AutoCloseable {

    /** One document: its id in the index and its ECS JSON. */
    public record Document(String id, String json) {
    }

    /**
     * @param sent    documents the cluster stored
     * @param retried sends that had to be repeated
     * @param failed  documents refused for good, with the first reasons
     */
    public record Result(int sent, int retried, int failed, List<String> reasons) {
    }

    /** Where and how to send. */
    public record Target(String url, String index, String apiKey, String username, String password) {
    }

    static final int BATCH = 500;
    private static final int ATTEMPTS = 4;

    private final ElasticsearchClient client;
    private final String index;
    private final Duration pause;

    private ElasticShipper(ElasticsearchClient client, String index, Duration pause) {
        this.client = client;
        this.index = index;
        this.pause = pause;
    }

    /** @param pause the first pause before a retry, doubled each time */
    public static ElasticShipper connect(Target target, Duration pause) {
        if (!target.index().matches("[a-z0-9][a-z0-9._-]{0,200}")) {
            throw new WardenException("'" + target.index() + "' is not an index name (lower case, digits, . _ -)");
        }
        ElasticsearchClient client = ElasticsearchClient.of(b -> {
            b.host(target.url()).jsonMapper(new JacksonJsonpMapper());
            if (target.apiKey() != null) {
                b.apiKey(target.apiKey());
            } else if (target.username() != null) {
                b.usernameAndPassword(target.username(), target.password() == null ? "" : target.password());
            }
            return b;
        });
        return new ElasticShipper(client, target.index(), pause);
    }

    /** Puts the index template for {@code <index>*}, so fields get their ECS types before the first document. */
    public void installTemplate() {
        String template;
        try (InputStream in = ElasticShipper.class.getResourceAsStream("index-template.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("INDEX*", index + "*");
        } catch (IOException e) {
            throw new IllegalStateException("the bundled index template is missing", e);
        }
        try {
            client.indices().putIndexTemplate(r -> r.name(index).withJson(new StringReader(template)));
        } catch (IOException | RuntimeException e) {
            throw new WardenException(index + ": the index template was not accepted: " + e.getMessage());
        }
    }

    public Result ship(List<Document> documents) {
        int sent = 0;
        int retried = 0;
        int failed = 0;
        List<String> reasons = new ArrayList<>();
        for (int start = 0; start < documents.size(); start += BATCH) {
            Map<String, Document> pending = new LinkedHashMap<>();
            for (Document document : documents.subList(start, Math.min(documents.size(), start + BATCH))) {
                pending.put(document.id(), document);
            }
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                if (attempt > 1) {
                    retried++;
                    sleep(pause.multipliedBy(1L << Math.min(attempt - 2, 10)));
                }
                BulkResponse response = bulk(pending.values());
                Map<String, Document> again = new LinkedHashMap<>();
                for (BulkResponseItem item : response.items()) {
                    Document document = pending.get(item.id());
                    if (document == null) {
                        continue;
                    }
                    if (item.error() == null) {
                        sent++;
                    } else if ((item.status() == 429 || item.status() >= 500) && attempt < ATTEMPTS) {
                        again.put(document.id(), document);
                    } else {
                        failed++;
                        if (reasons.size() < 5) {
                            reasons.add(item.id() + ": " + item.status() + " " + item.error().type() + ": "
                                    + item.error().reason());
                        }
                    }
                }
                pending = again;
            }
        }
        return new Result(sent, retried, failed, reasons);
    }

    private BulkResponse bulk(Collection<Document> documents) {
        List<BulkOperation> operations = new ArrayList<>();
        for (Document document : documents) {
            BinaryData body = BinaryData.of(document.json().getBytes(StandardCharsets.UTF_8), "application/json");
            operations.add(BulkOperation.of(o -> o.index(i -> i.index(index).id(document.id()).document(body))));
        }
        try {
            return client.bulk(b -> b.index(index).operations(operations));
        } catch (IOException | RuntimeException e) {
            throw new WardenException(index + ": the bulk request failed: " + e.getMessage());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardenException("interrupted while waiting to send again");
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // the connection pool is going away with the command
        }
    }
}
