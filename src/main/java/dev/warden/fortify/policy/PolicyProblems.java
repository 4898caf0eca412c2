package dev.warden.fortify.policy;

import dev.warden.core.WardenException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem in a policy file so the user sees them all at once, each as {@code file:line: …}. */
final class PolicyProblems {

    private final Path file;
    private final List<String> problems = new ArrayList<>();

    PolicyProblems(Path file) {
        this.file = file;
    }

    void add(int line, String message) {
        problems.add(WardenException.location(file, line) + ": " + message);
    }

    /** Runs a validation step, recording a user-facing error instead of stopping at it. */
    void attempt(Runnable step) {
        try {
            step.run();
        } catch (WardenException e) {
            problems.add(e.getMessage());
        }
    }

    int count() {
        return problems.size();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new WardenException(String.join("\n", problems));
        }
    }
}
