package dev.warden.cargo.index;

import dev.warden.core.Printable;

import dev.warden.core.WardenException;

import java.net.URISyntaxException;

import dev.warden.cargo.lock.SourceId;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a sparse registry index over HTTP ({@code GET <index>/<path>}, one JSON line per version). Used only when
 * the user names an index URL: Warden is offline by default. Every request has a connect and a total timeout, and
 * any failure (unreachable, 404, bad data) means "unknown", never a hang or a crash. Answers are cached per run.
 */
public final class SparseIndexClient implements RegistryIndex {

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Optional<List<IndexEntry>>> cache = new ConcurrentHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private volatile Boolean isIndex;

    public SparseIndexClient(String indexUrl, Duration timeout) {
        this.base = baseUri(indexUrl);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The index's base, {@code sparse+} dropped; anything but an absolute http(s) URL is refused with why. */
    public static URI baseUri(String indexUrl) {
        String url = indexUrl.startsWith("sparse+") ? indexUrl.substring("sparse+".length()) : indexUrl;
        URI uri;
        try {
            uri = new URI(url.endsWith("/") ? url : url + "/");
        } catch (URISyntaxException e) {
            throw new WardenException("not a URL: '" + Printable.of(indexUrl) + "' (" + e.getReason() + ")");
        }
        if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new WardenException("expected an http(s) URL of a sparse index, found '" + Printable.of(indexUrl)
                    + "'");
        }
        return uri;
    }

    /** The index asked, for reports. */
    public String url() {
        return base.toString();
    }

    /** Answers for any registry: the user pointed Warden at this index explicitly. */
    @Override
    public Optional<List<IndexEntry>> versions(SourceId registry, String crate) {
        if (!isIndex()) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(crate, this::fetch);
    }

    /**
     * Every sparse index serves {@code config.json} at its root; without one the URL is not an index (a typo, a web
     * page), and Warden says so once instead of reading each 404 as "no such crate".
     */
    private boolean isIndex() {
        Boolean known = isIndex;
        if (known == null) {
            synchronized (this) {
                if (isIndex == null) {
                    URI config = base.resolve("config.json");
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(config).timeout(timeout).GET()
                                .build(), HttpResponse.BodyHandlers.ofString());
                        isIndex = response.statusCode() == 200 && response.body().contains("\"dl\"");
                        if (!isIndex) {
                            failures.add(config + ": not a sparse registry index (HTTP " + response.statusCode()
                                    + (response.statusCode() == 200 ? ", no \"dl\" key" : "") + ")");
                        }
                    } catch (IOException e) {
                        isIndex = false;
                        failures.add(config + ": " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        isIndex = false;
                    }
                }
                known = isIndex;
            }
        }
        return known;
    }

    /** What went wrong while fetching, one line per failed crate, for the report. */
    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    private Optional<List<IndexEntry>> fetch(String crate) {
        URI uri = base.resolve(IndexEntries.path(crate));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404 || response.statusCode() == 410) {
                return Optional.of(List.of());
            }
            if (response.statusCode() != 200) {
                return failed(uri + ": HTTP " + response.statusCode());
            }
            List<IndexEntry> entries = new ArrayList<>();
            response.body().lines().filter(line -> !line.isBlank())
                    .forEach(line -> IndexEntries.parse(line).ifPresent(entries::add));
            return Optional.of(entries);
        } catch (IOException e) {
            return failed(uri + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(uri + ": interrupted");
        }
    }

    private synchronized Optional<List<IndexEntry>> failed(String reason) {
        failures.add(reason);
        return Optional.empty();
    }
}
