package dev.warden.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Work started on another core while the caller goes on, joined where its result is needed. */
public final class Tasks {

    private Tasks() {
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
