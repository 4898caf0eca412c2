package dev.warden.check;

import dev.warden.core.Finding;

import java.util.List;

/**
 * One check of one stage. Checks share this signature, receive the graph built once, return findings in a stable
 * order, and never print or exit: rendering and exit codes belong to the caller.
 */
public interface Check {

    /** A short stable name, e.g. {@code audit}. */
    String name();

    List<Finding> run(CheckContext context);
}
