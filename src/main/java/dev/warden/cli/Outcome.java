package dev.warden.cli;

/** What a command concluded; only {@link Main} turns it into an exit status. */
public enum Outcome {
    /** The job was done and nothing at or above the fail level was found (exit 0). */
    OK,
    /** Findings at or above the fail level (exit 1). */
    FINDINGS
}
