package dev.warden.evaluate.scan;

/** How much {@code unsafe} code declares: functions, blocks, impls and traits. */
public record UnsafeCounts(int functions, int blocks, int impls, int traits) {

    public static final UnsafeCounts ZERO = new UnsafeCounts(0, 0, 0, 0);

    public UnsafeCounts plus(UnsafeCounts other) {
        return new UnsafeCounts(functions + other.functions, blocks + other.blocks, impls + other.impls,
                traits + other.traits);
    }

    public int total() {
        return functions + blocks + impls + traits;
    }
}
