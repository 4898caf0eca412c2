package dev.warden.limit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the tracer's output file while the tracer is still writing it, line by line, so events are judged during
 * the build rather than after it. A line is handed on only once its newline has been written.
 */
final class TraceFollower {

    private static final long POLL_MILLIS = 10;

    private final Path file;
    private final Consumer<String> lines;
    private final Thread thread;
    private volatile boolean writerDone;
    private volatile RuntimeException failure;

    TraceFollower(Path file, Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
        this.thread = Thread.ofPlatform().daemon().name("warden-trace").start(this::follow);
    }

    /** The tracer has exited: read what is left, then return. */
    void finish() throws InterruptedException {
        writerDone = true;
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }

    private void follow() {
        try {
            while (!Files.exists(file)) {
                if (writerDone) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
            try (InputStream in = Files.newInputStream(file)) {
                StringBuilder line = new StringBuilder();
                byte[] buffer = new byte[1 << 16];
                // The tracer writes with -xx, so every byte is ASCII and decoding byte by byte is exact.
                while (true) {
                    int read = in.read(buffer);
                    if (read > 0) {
                        for (int i = 0; i < read; i++) {
                            if (buffer[i] == '\n') {
                                lines.accept(line.toString());
                                line.setLength(0);
                            } else {
                                line.append((char) (buffer[i] & 0xFF));
                            }
                        }
                    } else if (writerDone) {
                        if (in.available() == 0) {
                            if (!line.isEmpty()) {
                                lines.accept(line.toString());
                            }
                            return;
                        }
                    } else {
                        Thread.sleep(POLL_MILLIS);
                    }
                }
            }
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

}
