package dev.warden.cargo.project;

import dev.warden.core.WardenException;

import java.nio.file.Path;

/** A project without a Cargo.lock: an error for most commands, a finding for the gate. */
public final class MissingLockfileException extends WardenException {

    private final Path lockfile;

    public MissingLockfileException(Path lockfile) {
        super(lockfile + ": no Cargo.lock (run `cargo generate-lockfile`, and commit it)");
        this.lockfile = lockfile;
    }

    /** Where the lockfile should be. */
    public Path lockfile() {
        return lockfile;
    }
}
