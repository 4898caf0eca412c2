package dev.warden.evaluate.lexer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The tokens of one Rust source file, stored as parallel arrays over the file's bytes (no object per token), so a
 * scan of a whole dependency tree allocates almost nothing. Comments and whitespace are not tokens.
 */
public final class Tokens {

    public static final byte IDENT = 1;
    public static final byte LIFETIME = 2;
    public static final byte STRING = 3;
    public static final byte CHAR = 4;
    public static final byte NUMBER = 5;
    public static final byte PUNCT = 6;

    private final byte[] source;
    private byte[] kinds = new byte[256];
    private int[] starts = new int[256];
    private int[] ends = new int[256];
    private int[] lines = new int[256];
    private int count;
    private int lineCount;
    private boolean unterminated;

    Tokens(byte[] source) {
        this.source = source;
    }

    void add(byte kind, int start, int end, int line) {
        if (count == kinds.length) {
            int size = count * 2;
            kinds = Arrays.copyOf(kinds, size);
            starts = Arrays.copyOf(starts, size);
            ends = Arrays.copyOf(ends, size);
            lines = Arrays.copyOf(lines, size);
        }
        kinds[count] = kind;
        starts[count] = start;
        ends[count] = end;
        lines[count] = line;
        count++;
    }

    void finish(int lineCount, boolean unterminated) {
        this.lineCount = lineCount;
        this.unterminated = unterminated;
    }

    public int size() {
        return count;
    }

    public byte[] source() {
        return source;
    }

    /** Lines in the file (the last line counts even without a trailing newline). */
    public int lineCount() {
        return lineCount;
    }

    /** Whether the file ended inside a string, character literal or block comment (invalid or truncated code). */
    public boolean unterminated() {
        return unterminated;
    }

    public byte kind(int i) {
        return kinds[i];
    }

    public int line(int i) {
        return lines[i];
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public String text(int i) {
        return new String(source, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
    }

    /** Token {@code i}'s text when it is an identifier in {@code words}, else null; allocates nothing. */
    public String wordIn(int i, WordSet words) {
        return kinds[i] == IDENT ? words.find(source, starts[i], ends[i]) : null;
    }

    /** Whether token {@code i} exists and is the identifier or keyword {@code word} (raw identifiers never are). */
    public boolean isIdent(int i, String word) {
        if (i < 0 || i >= count || kinds[i] != IDENT || ends[i] - starts[i] != word.length()) {
            return false;
        }
        int s = starts[i];
        for (int k = 0; k < word.length(); k++) {
            if (source[s + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether token {@code i} exists and is the punctuation character {@code c}. */
    public boolean isPunct(int i, char c) {
        return i >= 0 && i < count && kinds[i] == PUNCT && source[starts[i]] == c;
    }

    public boolean isString(int i) {
        return i >= 0 && i < count && kinds[i] == STRING;
    }

    /**
     * The value of a string literal token: escapes decoded for normal strings, raw strings as written, prefixes
     * ({@code b}, {@code c}, {@code r#…#}) and quotes removed.
     */
    public String stringValue(int i) {
        int s = starts[i];
        int e = ends[i];
        boolean raw = false;
        while (s < e && source[s] >= 'a' && source[s] <= 'z') {
            raw |= source[s] == 'r';
            s++;
        }
        int hashes = 0;
        while (s < e && source[s] == '#') {
            hashes++;
            s++;
        }
        s++; // the opening quote
        int contentEnd = Math.max(s, e - 1 - hashes);
        String content = new String(source, s, contentEnd - s, StandardCharsets.UTF_8);
        return raw ? content : unescape(content);
    }

    private static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '0' -> out.append('\0');
                case '\\', '"', '\'' -> out.append(next);
                case 'x' -> {
                    // Two hex digits; anything else is not Rust (rustc refuses it), so it stands as one unknown char.
                    if (i + 2 < text.length() && hex(text.charAt(i + 1)) && hex(text.charAt(i + 2))) {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        out.append('\uFFFD');
                    }
                }
                case 'u' -> {
                    int close = text.indexOf('}', i);
                    if (i + 1 < text.length() && text.charAt(i + 1) == '{' && close > 0) {
                        try {
                            out.appendCodePoint(Integer.parseInt(text.substring(i + 2, close).replace("_", ""), 16));
                        } catch (IllegalArgumentException e) {
                            out.append('\uFFFD');
                        }
                        i = close;
                    }
                }
                case '\n', '\r' -> {
                    // A line continuation: skip the newline and the next line's leading whitespace.
                    while (i + 1 < text.length() && Character.isWhitespace(text.charAt(i + 1))) {
                        i++;
                    }
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
