package dev.warden.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Work started on another core while the caller goes on, joined where its result is needed. */
public final class Tasks {

    /** Work that only makes a later step faster. */
    public interface WarmUp {
        void run() throws Exception;
    }

    private Tasks() {
    }

    /**
     * Starts {@code work} on a daemon thread and forgets it. A failure is not reported here: the step that needs
     * what it prepares does the work again and says what went wrong.
     */
    public static void warmUp(String name, WarmUp work) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                work.run();
            } catch (Exception e) {
                // left for the step that needs it
            }
        });
    }

    /** The task's result, or the exception it ended with, thrown as if the work had run here. */
    public static <T> T join(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException thrown) {
                throw thrown;
            }
            if (e.getCause() instanceof Error thrown) {
                throw thrown;
            }
            throw e;
        }
    }
}
