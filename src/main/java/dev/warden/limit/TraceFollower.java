package dev.warden.limit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the tracer's output file while the tracer is still writing it, line by line, so events are judged during
 * the build rather than after it. A line is handed on only once its newline has been written. If reading ever
 * stops early — whatever the reason, an {@link Error} included — {@link #stopped()} says so, and the runner kills
 * the build rather than let it go on unwatched.
 */
final class TraceFollower {

    private static final long POLL_MILLIS = 10;

    private final Path file;
    private final Consumer<String> lines;
    private final Thread thread;
    private volatile boolean writerDone;
    private volatile String failure;

    TraceFollower(Path file, Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
        this.thread = Thread.ofPlatform().daemon().name("warden-trace").start(this::follow);
    }

    /** The reader ended while the tracer was still running. */
    boolean stopped() {
        return !writerDone && !thread.isAlive();
    }

    /** Why the reader ended early. */
    String why() {
        return failure == null ? "it ended" : failure;
    }

    /** The tracer has exited: read what is left, then return why reading failed, or null. */
    String finish() throws InterruptedException {
        boolean early = !thread.isAlive();
        writerDone = true;
        thread.join();
        return failure != null ? failure : early ? "it ended before the tracer" : null;
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
            failure = "cannot read the trace: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Throwable e) {
            // Anything at all: the build must not outlive its monitor.
            failure = e.getClass().getSimpleName();
        }
    }
}
