package dev.warden.evaluate.lexer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * A fixed set of identifiers looked up straight from a token's bytes, so a scan asks "is this one of the words I
 * care about?" for every identifier of a dependency tree without building a String for each.
 */
public final class WordSet {

    private final byte[][] table;
    private final String[] words;
    private final int mask;

    public WordSet(Collection<String> members) {
        int size = Integer.highestOneBit(Math.max(4, members.size() * 4) - 1) << 1;
        table = new byte[size][];
        words = new String[size];
        mask = size - 1;
        for (String word : members) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            int slot = hash(bytes, 0, bytes.length) & mask;
            while (table[slot] != null && !word.equals(words[slot])) {
                slot = (slot + 1) & mask;
            }
            table[slot] = bytes;
            words[slot] = word;
        }
    }

    /** The member spelled by {@code source[start, end)}, or null. */
    String find(byte[] source, int start, int end) {
        int length = end - start;
        for (int slot = hash(source, start, end) & mask; table[slot] != null; slot = (slot + 1) & mask) {
            byte[] candidate = table[slot];
            if (candidate.length == length && Arrays.equals(candidate, 0, length, source, start, end)) {
                return words[slot];
            }
        }
        return null;
    }

    private static int hash(byte[] bytes, int start, int end) {
        int h = end - start;
        for (int i = start; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16);
    }
}
