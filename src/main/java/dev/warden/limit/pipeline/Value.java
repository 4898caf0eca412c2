package dev.warden.limit.pipeline;

/** A scalar from a CI definition and the 1-based line it is on. */
public record Value(String text, int line) {
}
