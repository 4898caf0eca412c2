package dev.warden.cargo.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cargo.config.CargoConfig;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.core.AtomicFiles;
import dev.warden.core.Environment;
import dev.warden.core.Sha256;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Obtains the {@code .crate} file of a registry package the way Cargo would, for a machine that has never built the
 * project (a fresh CI runner): Warden's content-addressed cache ({@code <cache>/crates/<sha256>.crate}, which CI can
 * keep between jobs), a local registry directory, else the package's registry over HTTP — the {@code dl} template of
 * its index's {@code config.json}, after {@code [source]} replacement. Every file is checked against the lockfile's
 * SHA-256 <em>before</em> anything reads it; a mismatch is reported and the bytes are thrown away. Registry tokens
 * go only to the registry they belong to, and only when its {@code config.json} asks for authentication.
 */
public final class CrateDownloader {

    /** Why a package's {@code .crate} could not be had. */
    public enum Reason {
        OFFLINE("offline"), NOT_FOUND("not found"), CHECKSUM_MISMATCH("checksum mismatch"),
        UNREACHABLE("registry unreachable"), NO_CHECKSUM("no checksum in the lockfile"),
        UNAUTHORIZED("registry needs a token"), UNSUPPORTED("source not downloadable"), TOO_LARGE("too large");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The result for one package: a verified file, or why there is none. */
    public sealed interface Outcome {
    }

    /** @param downloaded whether it came over the network in this run (else from a cache or a local registry) */
    public record Fetched(Path crateFile, boolean downloaded, long bytes) implements Outcome {
    }

    public record Failed(Reason reason, String detail) implements Outcome {
    }

    /**
     * @param cacheDirectory Warden's cache; crates go to its {@code crates/} folder
     * @param offline        never touch the network
     * @param timeout        per request, and for connecting
     * @param attempts       tries per download when the registry is unreachable or answers 5xx/429
     */
    public record Options(Path cacheDirectory, boolean offline, Duration timeout, int attempts) {

        public static Options defaults(Path cacheDirectory, boolean offline) {
            return new Options(cacheDirectory, offline, Duration.ofSeconds(30), 3);
        }
    }

    /** Larger than any crate crates.io accepts (10 MB by default, raised on request); a bound against endless bodies. */
    static final long MAX_CRATE_BYTES = 256L << 20;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    /** Made on first use: a registry's config.json is rare next to Cargo's caches, and a mapper costs ~50 ms. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final CargoConfig config;
    private final Options options;
    private final RegistryCredentials credentials;
    private final Path crates;
    private final Map<String, IndexConfig> indexConfigs = new ConcurrentHashMap<>();
    private final AtomicLong downloadedBytes = new AtomicLong();
    private final Map<String, String> unreachableHosts = new ConcurrentHashMap<>();
    private HttpClient http;
    private HttpClient tokenHttp;

    public CrateDownloader(CargoConfig config, Environment env, Options options) {
        this.config = config;
        this.options = options;
        this.credentials = new RegistryCredentials(env);
        this.crates = options.cacheDirectory().resolve("crates");
    }

    /** Bytes that came over the network so far. */
    public long downloadedBytes() {
        return downloadedBytes.get();
    }

    /** The verified {@code .crate} of a registry package. Safe to call from many threads. */
    public Outcome fetch(LockedPackage pkg) {
        String checksum = pkg.checksum();
        if (checksum == null || !SHA256.matcher(checksum).matches()) {
            return new Failed(Reason.NO_CHECKSUM, "the lockfile records no SHA-256 for " + pkg.id().nameAndVersion()
                    + ", so no download could be verified");
        }
        Path cached = crates.resolve(checksum.toLowerCase(Locale.ROOT) + ".crate");
        if (Files.isRegularFile(cached)) {
            if (checksum.equalsIgnoreCase(checksumOrNone(cached))) {
                return new Fetched(cached, false, size(cached));
            }
            deleteQuietly(cached); // a poisoned or truncated cache entry: fetch it again
        }
        DownloadSource where = DownloadSource.of(pkg.source(), config);
        return switch (where) {
            case DownloadSource.Vendored v -> new Failed(Reason.NOT_FOUND, "not in the vendored directory "
                    + v.directory());
            case DownloadSource.Unsupported u -> new Failed(Reason.UNSUPPORTED, u.why());
            case DownloadSource.LocalRegistry local -> fromLocalRegistry(pkg, local.directory(), cached);
            case DownloadSource.Remote remote -> download(pkg, remote, cached);
        };
    }

    private Outcome fromLocalRegistry(LockedPackage pkg, Path directory, Path cached) {
        Path file = directory.resolve(pkg.name() + "-" + pkg.version() + ".crate");
        if (!Files.isRegularFile(file)) {
            return new Failed(Reason.NOT_FOUND, "not in the local registry " + directory);
        }
        if (!pkg.checksum().equalsIgnoreCase(checksumOrNone(file))) {
            return new Failed(Reason.CHECKSUM_MISMATCH, file + " does not have the lockfile's SHA-256 "
                    + pkg.checksum());
        }
        return new Fetched(file, false, size(file));
    }

    private Outcome download(LockedPackage pkg, DownloadSource.Remote remote, Path cached) {
        if (options.offline()) {
            return new Failed(Reason.OFFLINE, "offline: " + pkg.id().nameAndVersion() + " is in no local cache");
        }
        IndexConfig index;
        try {
            index = indexConfig(remote);
        } catch (DownloadException e) {
            return e.failed;
        }
        URI url;
        try {
            url = URI.create(DownloadTemplate.expand(index.dl(), pkg.name(), pkg.version().toString(),
                    pkg.checksum()));
        } catch (IllegalArgumentException e) {
            return new Failed(Reason.UNSUPPORTED, remote.indexUrl() + "config.json: its dl template gives no "
                    + "valid URL for " + pkg.id().nameAndVersion());
        }
        Optional<String> token = Optional.empty();
        if (index.authRequired()) {
            if (remote.registry() == null) {
                return new Failed(Reason.UNAUTHORIZED, remote.indexUrl() + " needs authentication and is not a "
                        + "registry named in .cargo/config.toml, so no token belongs to it");
            }
            // The token belongs to the registry's own host: a config.json pointing downloads elsewhere gets none.
            if (!sameAuthority(url, URI.create(remote.indexUrl()))) {
                return new Failed(Reason.UNAUTHORIZED, "registry '" + remote.registry() + "' sends downloads to "
                        + url.getAuthority() + ", another host than its index; its token is not sent there");
            }
            token = credentials.token(remote.registry());
            if (token.isEmpty()) {
                return new Failed(Reason.UNAUTHORIZED, "registry '" + remote.registry() + "' needs a token "
                        + "(CARGO_REGISTRIES_" + remote.registry().toUpperCase(Locale.ROOT).replace('-', '_')
                        + "_TOKEN or credentials.toml)");
            }
        }
        Path temp = null;
        try {
            Files.createDirectories(crates);
            temp = Files.createTempFile(crates, ".download", ".tmp");
            Path into = temp;
            // Streamed to disk while hashing: a crate is never held in memory, and nothing reads it before the check.
            String actual = get(url, token, in -> copyBounded(in, into, MAX_CRATE_BYTES, url));
            if (!actual.equalsIgnoreCase(pkg.checksum())) {
                return new Failed(Reason.CHECKSUM_MISMATCH, url + " served a file with SHA-256 " + actual
                        + ", but the lockfile records " + pkg.checksum() + "; it was discarded unread");
            }
            long size = Files.size(temp);
            AtomicFiles.replace(temp, cached);
            downloadedBytes.addAndGet(size);
            return new Fetched(cached, true, size);
        } catch (DownloadException e) {
            return e.failed;
        } catch (IOException e) {
            throw new WardenException(crates + ": cannot write to Warden's crate cache: " + e.getMessage());
        } finally {
            deleteQuietly(temp);
        }
    }

    private record IndexConfig(String dl, boolean authRequired) {
    }

    private IndexConfig indexConfig(DownloadSource.Remote remote) {
        if (remote.cratesIo()) {
            return new IndexConfig(DownloadTemplate.CRATES_IO, false);
        }
        IndexConfig known = indexConfigs.get(remote.indexUrl());
        if (known != null) {
            return known;
        }
        URI uri = URI.create(remote.indexUrl()).resolve("config.json");
        // config.json itself may need the token on a private registry; Cargo sends it to the index host.
        Optional<String> token = remote.registry() == null ? Optional.empty() : credentials.token(remote.registry());
        byte[] body;
        try {
            body = get(uri, Optional.empty(), in -> readBounded(in, 1 << 20, uri));
        } catch (DownloadException e) {
            if (e.status != 401 || token.isEmpty()) {
                throw e;
            }
            body = get(uri, token, in -> readBounded(in, 1 << 20, uri));
        }
        IndexConfig parsed;
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            String dl = node == null ? null : node.path("dl").asText(null);
            if (dl == null || !(dl.startsWith("http://") || dl.startsWith("https://"))) {
                throw new DownloadException(new Failed(Reason.UNSUPPORTED, uri + ": no http(s) \"dl\" key"), 0);
            }
            parsed = new IndexConfig(dl, node.path("auth-required").asBoolean(false));
        } catch (IOException e) {
            throw new DownloadException(new Failed(Reason.UNSUPPORTED, uri + ": not JSON"), 0);
        }
        indexConfigs.put(remote.indexUrl(), parsed);
        return parsed;
    }

    /**
     * GET with retries for transient failures; 404/410 are final. A host that cannot be connected to at all is tried
     * once per run: on a machine without network every later crate fails at once, with the same reason.
     */
    private <T> T get(URI uri, Optional<String> token, Body<T> body) {
        String host = uri.getScheme() + "://" + uri.getAuthority();
        String down = unreachableHosts.get(host);
        if (down != null) {
            throw new DownloadException(new Failed(Reason.UNREACHABLE, uri + ": " + down), 0);
        }
        DownloadException last = null;
        for (int attempt = 1; attempt <= Math.max(1, options.attempts()); attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.timeout()).GET()
                    .header("User-Agent", "warden (supply-chain gate)");
            token.ifPresent(t -> request.header("Authorization", t));
            try {
                // With a token nothing is followed blindly: a redirect is taken without the token (to a CDN).
                HttpResponse<InputStream> response = (token.isPresent() ? tokenClient() : client())
                        .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                Optional<String> location = response.headers().firstValue("Location");
                if (token.isPresent() && status / 100 == 3 && location.isPresent()) {
                    response.body().close();
                    return get(uri.resolve(location.get()), Optional.empty(), body);
                }
                try (InputStream in = response.body()) {
                    if (status == 200) {
                        return body.read(in);
                    }
                }
                Reason reason = status == 404 || status == 410 ? Reason.NOT_FOUND
                        : status == 401 || status == 403 ? Reason.UNAUTHORIZED : Reason.UNREACHABLE;
                last = new DownloadException(new Failed(reason, uri + ": HTTP " + status), status);
                if (status < 500 && status != 429) {
                    throw last;
                }
            } catch (ConnectException | HttpConnectTimeoutException e) {
                String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                unreachableHosts.putIfAbsent(host, why);
                throw new DownloadException(new Failed(Reason.UNREACHABLE, uri + ": " + why), 0);
            } catch (IOException e) {
                last = new DownloadException(new Failed(Reason.UNREACHABLE, uri + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException(new Failed(Reason.UNREACHABLE, uri + ": interrupted"), 0);
            }
        }
        throw Objects.requireNonNull(last);
    }

    /** What a caller does with a 200 response's body. */
    private interface Body<T> {
        T read(InputStream in) throws IOException;
    }

    /** Copies at most {@code limit} bytes into {@code file}; returns their SHA-256. */
    private static String copyBounded(InputStream in, Path file, long limit, URI uri) throws IOException {
        MessageDigest digest = Sha256.digest();
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new DownloadException(new Failed(Reason.TOO_LARGE, uri + ": more than " + (limit >> 20)
                            + " MiB"), 0);
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] readBounded(InputStream in, long limit, URI uri) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            throw new DownloadException(new Failed(Reason.TOO_LARGE, uri + ": more than " + (limit >> 20)
                    + " MiB"), 0);
        }
        return body;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L << (2 * (attempt - 2)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(options.timeout())
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return http;
    }

    private synchronized HttpClient tokenClient() {
        if (tokenHttp == null) {
            tokenHttp = HttpClient.newBuilder().connectTimeout(options.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return tokenHttp;
    }

    private static boolean sameAuthority(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** An unreadable file matches no checksum: it is fetched again or reported, never read as verified. */
    private static String checksumOrNone(Path file) {
        try {
            return Sha256.file(file);
        } catch (WardenException e) {
            return "";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // the next download replaces it atomically anyway
        }
    }

    /** Carries a failure out of the HTTP helpers; never escapes this class. */
    private static final class DownloadException extends RuntimeException {

        final Failed failed;
        final int status;

        DownloadException(Failed failed, int status) {
            super(failed.detail(), null, false, false);
            this.failed = failed;
            this.status = status;
        }
    }
}
