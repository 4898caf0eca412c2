package dev.warden.recon.intel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.core.AtomicFiles;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP for the public-intel clients: answers are cached on disk for {@code ttl} (so a second run asks nothing),
 * requests to one service are spaced at least {@code minInterval} apart (crates.io asks crawlers for one request a
 * second), every request has a connect and a total timeout, and any failure is "unknown" — recorded, never thrown.
 */
public final class IntelHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a service said: a body, or that it has no such thing (404). */
    public record Answer(int status, String body) {

        public boolean found() {
            return status == 200;
        }
    }

    private final Path cacheDir;
    private final Clock clock;
    private final Duration ttl;
    private final Duration timeout;
    private final Duration minInterval;
    private final String userAgent;
    private final HttpClient http;
    private final Map<String, Long> lastRequest = new ConcurrentHashMap<>();
    private final List<String> failures = new ArrayList<>();
    /** Services that could not be reached at all: asked once, then skipped (offline, a firewall, a wrong URL). */
    private final Map<String, Integer> unreachable = new ConcurrentHashMap<>();
    private int fromCache;
    private int fetched;

    public IntelHttp(Path cacheDir, Clock clock, Duration ttl, Duration timeout, Duration minInterval, String userAgent) {
        this.cacheDir = cacheDir;
        this.clock = clock;
        this.ttl = ttl;
        this.timeout = timeout;
        this.minInterval = minInterval;
        this.userAgent = userAgent;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * The client Warden's commands use: answers kept a day in {@code cacheDir}, 10 s timeouts, requests to one service
     * {@code minInterval} apart, and a user agent that says who asks (crates.io's crawler policy wants both).
     */
    public static IntelHttp polite(Path cacheDir, Clock clock, Duration minInterval, String version) {
        return new IntelHttp(cacheDir, clock, Duration.ofDays(1), Duration.ofSeconds(10), minInterval, "warden/"
                + version + " (supply-chain security checks)");
    }

    /** The answer's body as JSON; empty when there was no answer, a 404, or a garbled body (no answer either). */
    public static Optional<JsonNode> json(Optional<Answer> answer) {
        if (answer.isEmpty() || !answer.get().found()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(answer.get().body()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Text percent-encoded for a URL's path or query, with spaces as %20 (crate names, search queries). */
    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET, from the cache when fresh. Empty when the service could not be asked or gave an error. */
    public Optional<Answer> get(String service, URI uri, Map<String, String> headers) {
        return exchange(service, uri, null, headers);
    }

    /** POST of a JSON body (GraphQL), cached by URI and body. */
    public Optional<Answer> post(String service, URI uri, String json, Map<String, String> headers) {
        return exchange(service, uri, json, headers);
    }

    private Optional<Answer> exchange(String service, URI uri, String body, Map<String, String> headers) {
        Path cached = cacheDir.resolve(service).resolve(key(uri + (body == null ? "" : "\n" + body)));
        Optional<Answer> hit = readCache(cached);
        if (hit.isPresent()) {
            synchronized (this) {
                fromCache++;
            }
            return hit;
        }
        if (unreachable.computeIfPresent(service, (s, skipped) -> skipped + 1) != null) {
            return Optional.empty();
        }
        pace(service);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", userAgent)
                .header("Accept", "application/json");
        headers.forEach(request::header);
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } finally {
                lastRequest.put(service, System.nanoTime());
            }
            synchronized (this) {
                fetched++;
            }
            if (response.statusCode() != 200 && response.statusCode() != 404) {
                return failed(service + ": " + uri.getPath() + ": HTTP " + response.statusCode());
            }
            Answer answer = new Answer(response.statusCode(), response.statusCode() == 200 ? response.body() : "");
            writeCache(cached, answer);
            return Optional.of(answer);
        } catch (IOException e) {
            if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                    || e.getCause() instanceof UnresolvedAddressException) {
                if (unreachable.putIfAbsent(service, 0) != null) {
                    return Optional.empty(); // another thread saw it first and said so
                }
                return failed(service + ": " + uri.getHost() + " cannot be reached (" + e.getClass().getSimpleName()
                        + "): not asked again in this run");
            }
            return failed(service + ": " + uri.getHost() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(service + ": interrupted");
        }
    }

    /**
     * Waits until {@code minInterval} has passed since the last answer from this service, so that requests arrive at
     * least that far apart whatever the network's latency.
     */
    private void pace(String service) {
        synchronized (lastRequest) {
            long now = System.nanoTime();
            Long last = lastRequest.get(service);
            long wait = last == null ? 0 : last + minInterval.toNanos() - now;
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Optional<Answer> readCache(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.toInstant().plus(ttl).isBefore(clock.instant())) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            return Optional.of(new Answer(Integer.parseInt(text.substring(0, newline)), text.substring(newline + 1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable cache entry is simply asked again
        }
    }

    private void writeCache(Path file, Answer answer) {
        try {
            AtomicFiles.write(file, (answer.status() + "\n" + answer.body()).getBytes(StandardCharsets.UTF_8));
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        } catch (IOException e) {
            synchronized (this) {
                failures.add("cannot cache intel in " + file.getParent() + ": " + e.getMessage());
            }
        }
    }

    private synchronized Optional<Answer> failed(String reason) {
        failures.add(reason);
        return Optional.empty();
    }

    private static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What could not be asked, once per cause: an unreachable service is one line, with the requests skipped. */
    public synchronized List<String> failures() {
        List<String> all = new ArrayList<>(failures);
        unreachable.forEach((service, skipped) -> {
            if (skipped > 0) {
                all.add(service + ": " + skipped + " more request" + (skipped == 1 ? "" : "s") + " skipped");
            }
        });
        return List.copyOf(all);
    }

    /** "12 looked up, 30 from the cache". */
    public synchronized String summary() {
        return fetched + " asked, " + fromCache + " from the cache" + (failures.isEmpty() ? ""
                : ", " + failures.size() + " unanswered");
    }
}
