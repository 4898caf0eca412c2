package dev.warden.evaluate.scan;

import dev.warden.evaluate.lexer.Tokens;

/**
 * Counts {@code unsafe} on tokens, so code inside {@code macro_rules!} bodies and other macro invocations counts too
 * (cargo-geiger, working on the expanded syntax tree of one build, misses it). The rules: {@code unsafe {} } is a
 * block; {@code unsafe impl} an impl; {@code unsafe trait} and {@code unsafe auto trait} a trait;
 * {@code unsafe [extern ["abi"]] fn name} a function — but not {@code unsafe fn(…)}, which is a function-pointer
 * type. Comments, strings, doc comments and raw identifiers ({@code r#unsafe}) never count.
 */
public final class UnsafeCounter {

    private UnsafeCounter() {
    }

    public static UnsafeCounts count(Tokens tokens) {
        int functions = 0;
        int blocks = 0;
        int impls = 0;
        int traits = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.isIdent(i, "unsafe")) {
                continue;
            }
            int next = i + 1;
            if (tokens.isPunct(next, '{')) {
                blocks++;
            } else if (tokens.isIdent(next, "impl")) {
                impls++;
            } else if (tokens.isIdent(next, "trait") || tokens.isIdent(next, "auto") && tokens.isIdent(next + 1, "trait")) {
                traits++;
            } else {
                int k = next;
                if (tokens.isIdent(k, "extern")) {
                    k++;
                    if (tokens.isString(k)) {
                        k++;
                    }
                }
                if (tokens.isIdent(k, "fn") && k + 1 < tokens.size() && tokens.kind(k + 1) == Tokens.IDENT) {
                    functions++;
                }
            }
        }
        return new UnsafeCounts(functions, blocks, impls, traits);
    }
}
