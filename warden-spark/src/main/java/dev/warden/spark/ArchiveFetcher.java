package dev.warden.spark;

import dev.warden.core.WardenException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads one crate archive on an executor — from a file system Hadoop reaches, or downloaded from a registry — whole
 * and bounded, so the digest and the scan see the same bytes. One per task: it holds that task's HTTP client.
 */
final class ArchiveFetcher {

    /** crates.io caps uploads at 10 MiB; a mirror may hold older or private giants, not unbounded ones. */
    static final int MAX_ARCHIVE_BYTES = 128 << 20;

    private static final int ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Configuration hadoop;
    private HttpClient http;

    ArchiveFetcher(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /** How errors and findings name the archive: a local file as {@code warden scan} names it, others by URI. */
    static String origin(String location) {
        if (isDownload(location)) {
            return location;
        }
        URI uri = new Path(location).toUri();
        return "file".equals(uri.getScheme()) ? uri.getPath() : uri.toString();
    }

    byte[] read(String location) throws IOException {
        String origin = origin(location);
        return isDownload(location) ? download(location, origin) : readFile(location, origin);
    }

    private byte[] readFile(String location, String origin) throws IOException {
        Path path = new Path(location);
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            return bounded(in, origin);
        }
    }

    /** A registry download: retried on connection failures and server errors, never on a client error. */
    private byte[] download(String url, String origin) throws IOException {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    int status = response.statusCode();
                    if (status == 200) {
                        return bounded(body, origin);
                    }
                    if (status < 500) {
                        throw new WardenException(origin + ": cannot download: HTTP " + status);
                    }
                    last = new IOException("HTTP " + status);
                }
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (attempt < ATTEMPTS) {
                sleep(attempt);
            }
        }
        throw new WardenException(origin + ": cannot download after " + ATTEMPTS + " attempts: " + last.getMessage());
    }

    private static byte[] bounded(InputStream in, String origin) throws IOException {
        byte[] archive = in.readNBytes(MAX_ARCHIVE_BYTES + 1);
        if (archive.length > MAX_ARCHIVE_BYTES) {
            throw new WardenException(origin + ": refused: the archive is larger than " + MAX_ARCHIVE_BYTES + " bytes");
        }
        return archive;
    }

    private static void sleep(int attempt) throws IOException {
        try {
            Thread.sleep(200L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static boolean isDownload(String location) {
        return location.startsWith("https://") || location.startsWith("http://");
    }
}
