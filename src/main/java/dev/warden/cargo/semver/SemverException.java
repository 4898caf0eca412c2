package dev.warden.cargo.semver;

import dev.warden.core.WardenException;

/** A malformed version or version requirement; callers that know the file and line re-raise it located. */
public final class SemverException extends WardenException {

    public SemverException(String message) {
        super(message);
    }
}
