package dev.warden.evaluate.source;

/**
 * Bounds on what Warden will read from a crate, so a hostile archive (a gzip bomb, millions of entries) fails
 * fast with a clear error instead of exhausting memory or disk. crates.io itself caps uploads at 10 MiB compressed.
 */
public record TreeLimits(long maxTotalBytes, long maxFileBytes, int maxEntries) {

    public static final TreeLimits DEFAULT = new TreeLimits(256L << 20, 64L << 20, 50_000);
}
