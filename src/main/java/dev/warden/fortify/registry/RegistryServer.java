package dev.warden.fortify.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a {@link LocalRegistry} as a Cargo sparse registry on loopback: {@code /config.json}, the index files, and
 * {@code .crate} downloads under {@code /api/v1/crates/<name>/<version>/download}. Real cargo resolves and downloads
 * from it (through {@code [registries]} or source replacement). Nothing outside this machine can reach it.
 */
public final class RegistryServer implements AutoCloseable {

    private final LocalRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private RegistryServer(LocalRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** Starts serving on 127.0.0.1 ({@code port} 0: any free port). */
    public static RegistryServer start(LocalRegistry registry, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            RegistryServer serving = new RegistryServer(registry, server);
            server.createContext("/", serving::handle);
            server.setExecutor(serving.executor);
            server.start();
            return serving;
        } catch (IOException e) {
            throw new WardenException("cannot serve the registry on 127.0.0.1:" + port + ": " + e.getMessage());
        }
    }

    /** The index URL as Cargo wants it: {@code sparse+http://127.0.0.1:PORT/}. */
    public String indexUrl() {
        return "sparse+" + base();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Paths requested so far (downloads included), in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (path.equals("/config.json")) {
                send(exchange, "application/json", ("{\"dl\":\"" + base() + "api/v1/crates\",\"api\":\"" + base()
                        .replaceAll("/$", "") + "\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            Path file = resolve(path);
            if (file == null || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            send(exchange, path.endsWith("/download") ? "application/gzip" : "text/plain", Files.readAllBytes(file));
        }
    }

    /** Maps a request path to a file of the registry, never outside it. */
    private Path resolve(String path) {
        if (path.contains("..") || path.contains("//")) {
            return null;
        }
        String[] parts = path.split("/");
        if (path.startsWith("/api/v1/crates/") && parts.length == 7 && parts[6].equals("download")) {
            return registry.crateFile(parts[4], parts[5]);
        }
        return path.length() > 1 ? registry.directory().resolve("index").resolve(path.substring(1)) : null;
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
        if (!exchange.getRequestMethod().equals("HEAD")) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
