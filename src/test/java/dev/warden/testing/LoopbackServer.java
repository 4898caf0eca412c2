package dev.warden.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on 127.0.0.1 serving fixed responses, recording the paths it was asked for. */
public final class LoopbackServer implements AutoCloseable {

    /** One request as it arrived: what was asked, with which headers and body, and when (System.nanoTime). */
    public record Request(String method, String path, String query, Map<String, String> headers, String body,
                          long arrivedNanos) {
    }

    private final HttpServer server;
    private final List<Request> log = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> responses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;

    public LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            long arrived = System.nanoTime();
            requests.add(exchange.getRequestURI().getPath());
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            log.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), headers, requestBody, arrived));
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // An answer registered for path?query wins over one for the path alone.
            byte[] body = responses.getOrDefault(exchange.getRequestURI().getPath() + "?"
                    + exchange.getRequestURI().getRawQuery(), responses.get(exchange.getRequestURI().getPath()));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public LoopbackServer serve(String path, String body) {
        responses.put(path, body.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public LoopbackServer serve(String path, byte[] body) {
        responses.put(path, body);
        return this;
    }

    /** Makes every response wait, to test client timeouts. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public List<Request> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
