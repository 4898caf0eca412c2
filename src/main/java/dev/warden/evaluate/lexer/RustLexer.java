package dev.warden.evaluate.lexer;

/**
 * A hand-written lexer for Rust source, exact where a scan can be fooled: nested block comments, raw strings with
 * any number of {@code #}, byte and C string prefixes, character and byte literals versus lifetimes and labels,
 * raw identifiers, a leading shebang. It never throws: hostile or truncated input lexes to the end of the file and
 * is marked {@link Tokens#unterminated()}. Works on UTF-8 bytes; any non-ASCII byte counts as part of an identifier.
 */
public final class RustLexer {

    private final byte[] src;
    private final int length;
    private final Tokens tokens;
    private int pos;
    private int line = 1;
    private boolean unterminated;

    private RustLexer(byte[] src) {
        this.src = src;
        this.length = src.length;
        this.tokens = new Tokens(src);
    }

    public static Tokens lex(byte[] source) {
        RustLexer lexer = new RustLexer(source);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        skipShebang();
        while (pos < length) {
            int c = src[pos] & 0xFF;
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == 0x0B || c == 0x0C) {
                pos++;
            } else if (c == '/' && pos + 1 < length && src[pos + 1] == '/') {
                lineComment();
            } else if (c == '/' && pos + 1 < length && src[pos + 1] == '*') {
                blockComment();
            } else if (c == '"') {
                string(pos, pos);
            } else if (c == '\'') {
                quote();
            } else if (c >= '0' && c <= '9') {
                number();
            } else if (isIdentStart(c)) {
                identOrPrefixedLiteral();
            } else {
                tokens.add(Tokens.PUNCT, pos, pos + 1, line);
                pos++;
            }
        }
        int lines = line;
        if (length > 0 && src[length - 1] == '\n') {
            lines--;
        }
        tokens.finish(lines, unterminated);
    }

    /** {@code #!} on the first line is a shebang unless it starts an inner attribute {@code #![...]}. */
    private void skipShebang() {
        if (length >= 2 && src[0] == '#' && src[1] == '!') {
            int i = 2;
            while (i < length && (src[i] == ' ' || src[i] == '\t')) {
                i++;
            }
            if (i < length && src[i] == '[') {
                return;
            }
            while (pos < length && src[pos] != '\n') {
                pos++;
            }
        }
    }

    private void lineComment() {
        while (pos < length && src[pos] != '\n') {
            pos++;
        }
    }

    private void blockComment() {
        int depth = 0;
        while (pos < length) {
            byte c = src[pos];
            if (c == '/' && pos + 1 < length && src[pos + 1] == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && pos + 1 < length && src[pos + 1] == '/') {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                if (c == '\n') {
                    line++;
                }
                pos++;
            }
        }
        unterminated = true;
    }

    /** A string starting at {@code quote} (the opening {@code "}); {@code start} includes any prefix. */
    private void string(int start, int quote) {
        int startLine = line;
        pos = quote + 1;
        while (pos < length) {
            byte c = src[pos];
            if (c == '\\') {
                pos += 2;
                if (pos - 1 < length && src[pos - 1] == '\n') {
                    line++;
                }
                continue;
            }
            if (c == '\n') {
                line++;
            }
            pos++;
            if (c == '"') {
                tokens.add(Tokens.STRING, start, pos, startLine);
                return;
            }
        }
        pos = length;
        unterminated = true;
        tokens.add(Tokens.STRING, start, length, startLine);
    }

    /** {@code r"…"}, {@code r#"…"#}: no escapes, closed by a quote followed by as many {@code #} as opened. */
    private void rawString(int start, int afterR) {
        int startLine = line;
        int hashes = 0;
        int i = afterR;
        while (i < length && src[i] == '#') {
            hashes++;
            i++;
        }
        pos = i + 1; // past the opening quote
        while (pos < length) {
            byte c = src[pos];
            if (c == '\n') {
                line++;
            }
            pos++;
            if (c == '"') {
                int n = 0;
                while (n < hashes && pos + n < length && src[pos + n] == '#') {
                    n++;
                }
                if (n == hashes) {
                    pos += hashes;
                    tokens.add(Tokens.STRING, start, pos, startLine);
                    return;
                }
            }
        }
        unterminated = true;
        tokens.add(Tokens.STRING, start, length, startLine);
    }

    /** After {@code '}: a character literal ({@code 'a'}, {@code '\n'}, {@code '€'}) or a lifetime/label. */
    private void quote() {
        int start = pos;
        if (pos + 1 < length && src[pos + 1] == '\\') {
            charLiteral(start, pos + 1);
            return;
        }
        int charLength = utf8Length(pos + 1);
        int after = pos + 1 + charLength;
        if (pos + 1 < length && after < length && src[after] == '\'' && src[pos + 1] != '\n') {
            pos = after + 1;
            tokens.add(Tokens.CHAR, start, pos, line);
            return;
        }
        if (pos + 1 < length && isIdentStart(src[pos + 1] & 0xFF)) {
            int i = pos + 1;
            if (src[i] == 'r' && i + 2 < length && src[i + 1] == '#' && isIdentStart(src[i + 2] & 0xFF)) {
                i += 2;
            }
            while (i < length && isIdentContinue(src[i] & 0xFF)) {
                i++;
            }
            pos = i;
            tokens.add(Tokens.LIFETIME, start, pos, line);
            return;
        }
        tokens.add(Tokens.PUNCT, start, start + 1, line);
        pos++;
    }

    /** A character or byte literal with an escape, from the backslash at {@code escape} to the closing quote. */
    private void charLiteral(int start, int escape) {
        int i = escape;
        while (i < length && i - escape < 16) {
            if (src[i] == '\\') {
                i += 2;
                continue;
            }
            if (src[i] == '\'') {
                pos = i + 1;
                tokens.add(Tokens.CHAR, start, pos, line);
                return;
            }
            if (src[i] == '\n') {
                break;
            }
            i++;
        }
        // Not a valid literal: treat the quote as punctuation and go on.
        tokens.add(Tokens.PUNCT, start, start + 1, line);
        pos = start + 1;
    }

    private void number() {
        int start = pos;
        boolean hex = src[pos] == '0' && pos + 1 < length && (src[pos + 1] == 'x' || src[pos + 1] == 'X');
        pos++;
        while (pos < length) {
            int c = src[pos] & 0xFF;
            if (isIdentContinue(c) && c < 0x80) {
                pos++;
            } else if (c == '.' && !hex && pos + 1 < length && isDigit(src[pos + 1]) && isDecimalSoFar(start)) {
                pos++;
            } else if ((c == '+' || c == '-') && !hex && (src[pos - 1] == 'e' || src[pos - 1] == 'E')
                    && pos + 1 < length && isDigit(src[pos + 1])) {
                pos++;
            } else {
                break;
            }
        }
        // "1." followed by neither an identifier nor another dot is a float literal such as `1.`.
        if (pos < length && src[pos] == '.' && !hex && isDecimalSoFar(start)
                && (pos + 1 >= length || src[pos + 1] != '.' && !isIdentStart(src[pos + 1] & 0xFF)
                && !isDigit(src[pos + 1]))) {
            pos++;
        }
        tokens.add(Tokens.NUMBER, start, pos, line);
    }

    private boolean isDecimalSoFar(int start) {
        for (int i = start; i < pos; i++) {
            if (src[i] == '.') {
                return false;
            }
        }
        return true;
    }

    private void identOrPrefixedLiteral() {
        int start = pos;
        byte c = src[pos];
        byte n1 = pos + 1 < length ? src[pos + 1] : 0;
        byte n2 = pos + 2 < length ? src[pos + 2] : 0;
        // Prefixed literals: b"…", b'…', br"…", c"…", cr"…", r"…", r#"…"#; and raw identifiers r#name.
        if (c == 'b' && n1 == '\'') {
            pos = start + 1;
            if (n2 == '\\') {
                charLiteral(start, start + 2);
            } else {
                int after = start + 2 + utf8Length(start + 2);
                if (after < length && src[after] == '\'') {
                    pos = after + 1;
                    tokens.add(Tokens.CHAR, start, pos, line);
                } else {
                    tokens.add(Tokens.IDENT, start, start + 1, line);
                }
            }
            return;
        }
        if ((c == 'b' || c == 'c') && n1 == '"') {
            string(start, start + 1);
            return;
        }
        if ((c == 'b' || c == 'c') && n1 == 'r' && (n2 == '"' || n2 == '#' && rawStringAhead(start + 2))) {
            rawString(start, start + 2);
            return;
        }
        if (c == 'r' && (n1 == '"' || n1 == '#' && rawStringAhead(start + 1))) {
            rawString(start, start + 1);
            return;
        }
        if (c == 'r' && n1 == '#' && isIdentStart(n2 & 0xFF)) {
            pos = start + 2;
            while (pos < length && isIdentContinue(src[pos] & 0xFF)) {
                pos++;
            }
            // A raw identifier is never a keyword; keep the r# so isIdent("unsafe") does not match r#unsafe.
            tokens.add(Tokens.IDENT, start, pos, line);
            return;
        }
        pos = start + 1;
        while (pos < length && isIdentContinue(src[pos] & 0xFF)) {
            pos++;
        }
        tokens.add(Tokens.IDENT, start, pos, line);
    }

    /** At {@code i} a run of {@code #} followed by a quote, i.e. a raw string opener. */
    private boolean rawStringAhead(int i) {
        while (i < length && src[i] == '#') {
            i++;
        }
        return i < length && src[i] == '"';
    }

    private int utf8Length(int i) {
        if (i >= length) {
            return 1;
        }
        int b = src[i] & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        if (b >= 0xF0) {
            return 4;
        }
        return b >= 0xE0 ? 3 : 2;
    }

    private static boolean isIdentStart(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    private static boolean isIdentContinue(int c) {
        return isIdentStart(c) || c >= '0' && c <= '9';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
