package dev.warden.toml;

import dev.warden.core.InputFiles;

import dev.warden.core.WardenException;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TOML 1.0 reader (also accepting the TOML 1.1 relaxations Cargo's parser accepts: newlines and a trailing comma
 * in inline tables, {@code \e} and {@code \xHH} escapes, times without seconds) that records the line of every key.
 * Written by hand because the available Java TOML readers keep no positions, and configuration errors must point
 * at {@code file:line}.
 */
public final class Toml {

    private static final int MAX_NESTING = 128;

    // A char array rather than the String: indexing it is one bytecode, which matters while the JIT is still cold
    // (most runs parse one lockfile and exit).
    private final char[] text;
    private final int length;
    private final Path source;
    private int pos;
    private int line = 1;
    private int depth;

    private Toml(String text, Path source) {
        this.text = text.toCharArray();
        this.length = this.text.length;
        this.source = source;
    }

    /** Reads and parses a file; a missing or unreadable file is a user-facing error. */
    public static TomlTable parse(Path file) {
        return parse(read(file), file);
    }

    /** Parses TOML text; {@code source} only names the origin in error messages (may be null). */
    public static TomlTable parse(String text, Path source) {
        return new Toml(text, source).document();
    }

    /** A lockfile of 100,000 packages is about 30 MB. */
    private static final long MAX_BYTES = 256L << 20;

    /** Reads a file as strict UTF-8 (TOML requires it), with a user-facing error for missing or binary files. */
    public static String read(Path file) {
        byte[] bytes = InputFiles.read(file, MAX_BYTES, "TOML");
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WardenException(file + ": not valid UTF-8 text");
        }
    }

    // ---------------------------------------------------------------------------------------------- document

    private TomlTable document() {
        TomlTable root = new TomlTable(source, 1, TomlTable.Origin.ROOT);
        TomlTable current = root;
        if (length > 0 && text[0] == '\uFEFF') {
            pos = 1;
        }
        while (true) {
            skipWhitespace();
            if (eof()) {
                return root;
            }
            char c = peek();
            if (c == '#') {
                comment();
            } else if (c == '\n' || c == '\r') {
                newline();
                continue;
            } else if (c == '[') {
                current = header(root);
            } else {
                keyValue(current);
            }
            endOfLine();
        }
    }

    private TomlTable header(TomlTable root) {
        int headerLine = line;
        pos++;
        boolean arrayOfTables = peek() == '[';
        if (arrayOfTables) {
            pos++;
        }
        skipWhitespace();
        List<String> path = key();
        skipWhitespace();
        expect(']', "expected ']' to close the table header");
        if (arrayOfTables) {
            expect(']', "expected ']]' to close the array-of-tables header");
        }
        TomlTable table = root;
        for (int i = 0; i < path.size() - 1; i++) {
            table = descendForHeader(table, path.get(i), headerLine);
        }
        String last = path.getLast();
        Object existing = table.get(last);
        if (arrayOfTables) {
            TomlArray array;
            if (existing == null) {
                array = new TomlArray(true);
                table.put(last, array, headerLine);
            } else if (existing instanceof TomlArray a && a.isArrayOfTables()) {
                array = a;
            } else {
                throw error(headerLine, "'" + String.join(".", path) + "' is already defined and is not an array of tables");
            }
            TomlTable element = new TomlTable(source, headerLine, TomlTable.Origin.ARRAY_ELEMENT);
            array.add(element, headerLine);
            return element;
        }
        if (existing == null) {
            TomlTable created = new TomlTable(source, headerLine, TomlTable.Origin.HEADER);
            table.put(last, created, headerLine);
            return created;
        }
        if (existing instanceof TomlTable t && t.origin == TomlTable.Origin.IMPLICIT) {
            t.origin = TomlTable.Origin.HEADER;
            table.put(last, t, headerLine);
            return t;
        }
        throw error(headerLine, "table '" + String.join(".", path) + "' is defined more than once");
    }

    /** One step along a header path: existing tables (or the last element of an array of tables), else implicit. */
    private TomlTable descendForHeader(TomlTable table, String key, int headerLine) {
        Object existing = table.get(key);
        if (existing == null) {
            TomlTable created = new TomlTable(source, headerLine, TomlTable.Origin.IMPLICIT);
            table.put(key, created, headerLine);
            return created;
        }
        if (existing instanceof TomlTable t && t.origin != TomlTable.Origin.INLINE) {
            return t;
        }
        if (existing instanceof TomlArray a && a.isArrayOfTables()) {
            return (TomlTable) a.get(a.size() - 1);
        }
        throw error(headerLine, "'" + key + "' is already defined as " + TomlTable.describe(existing)
                + " and cannot hold a sub-table");
    }

    private void keyValue(TomlTable table) {
        int keyLine = line;
        List<String> path = key();
        skipWhitespace();
        expect('=', "expected '=' after key '" + String.join(".", path) + "'");
        skipWhitespace();
        if (eof() || peek() == '\n' || peek() == '\r' || peek() == '#') {
            throw error(line, "missing value for key '" + String.join(".", path) + "'");
        }
        Object value = value();
        TomlTable target = table;
        for (int i = 0; i < path.size() - 1; i++) {
            String part = path.get(i);
            Object existing = target.get(part);
            if (existing == null) {
                TomlTable created = new TomlTable(source, keyLine, TomlTable.Origin.DOTTED);
                target.put(part, created, keyLine);
                target = created;
            } else if (existing instanceof TomlTable t && t.origin == TomlTable.Origin.DOTTED) {
                // Only tables made by dotted keys may be extended by dotted keys; headers and inline tables are closed.
                target = t;
            } else {
                throw error(keyLine, "cannot add key '" + String.join(".", path) + "': '" + part
                        + "' is already defined as " + TomlTable.describe(existing));
            }
        }
        String last = path.getLast();
        if (target.contains(last)) {
            throw error(keyLine, "duplicate key '" + String.join(".", path) + "'");
        }
        target.put(last, value, keyLine);
    }

    // ---------------------------------------------------------------------------------------------- keys

    private List<String> key() {
        List<String> parts = new ArrayList<>(4);
        while (true) {
            parts.add(simpleKey());
            skipWhitespace();
            if (!eof() && peek() == '.') {
                pos++;
                skipWhitespace();
            } else {
                return parts;
            }
        }
    }

    private String simpleKey() {
        if (eof()) {
            throw error(line, "unexpected end of file, expected a key");
        }
        char c = peek();
        if (c == '"') {
            if (tripleQuote('"')) {
                throw error(line, "multi-line strings cannot be keys");
            }
            return basicString();
        }
        if (c == '\'') {
            if (tripleQuote('\'')) {
                throw error(line, "multi-line strings cannot be keys");
            }
            return literalString();
        }
        int start = pos;
        while (pos < length && text[pos] < 128 && BARE_KEY[text[pos]]) {
            pos++;
        }
        if (start == pos) {
            throw error(line, "expected a key, found " + describeChar(c));
        }
        return new String(text, start, pos - start);
    }

    private static final boolean[] BARE_KEY = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            BARE_KEY[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
        }
    }

    // ---------------------------------------------------------------------------------------------- values

    private Object value() {
        if (eof()) {
            throw error(line, "unexpected end of file, expected a value");
        }
        char c = peek();
        return switch (c) {
            case '"' -> tripleQuote('"') ? multilineString('"') : basicString();
            case '\'' -> tripleQuote('\'') ? multilineString('\'') : literalString();
            case '[' -> array();
            case '{' -> inlineTable();
            case 't' -> keyword("true", Boolean.TRUE);
            case 'f' -> keyword("false", Boolean.FALSE);
            default -> numberOrDate();
        };
    }

    private Object keyword(String word, Object value) {
        if (pos + word.length() > length || !word.equals(new String(text, pos, word.length()))) {
            throw error(line, "invalid value starting with " + describeChar(peek()));
        }
        pos += word.length();
        return value;
    }

    private TomlArray array() {
        int openLine = line;
        enter(openLine);
        pos++;
        TomlArray array = new TomlArray(false);
        while (true) {
            skipWhitespaceNewlinesAndComments();
            if (eof()) {
                throw error(openLine, "unterminated array (missing ']')");
            }
            if (peek() == ']') {
                pos++;
                break;
            }
            int elementLine = line;
            array.add(value(), elementLine);
            skipWhitespaceNewlinesAndComments();
            if (eof()) {
                throw error(openLine, "unterminated array (missing ']')");
            }
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                break;
            } else {
                throw error(line, "expected ',' or ']' in array, found " + describeChar(c));
            }
        }
        depth--;
        return array;
    }

    private TomlTable inlineTable() {
        int openLine = line;
        enter(openLine);
        pos++;
        TomlTable table = new TomlTable(source, openLine, TomlTable.Origin.INLINE);
        while (true) {
            skipWhitespaceNewlinesAndComments();
            if (eof()) {
                throw error(openLine, "unterminated inline table (missing '}')");
            }
            if (peek() == '}') {
                pos++;
                break;
            }
            inlineKeyValue(table);
            skipWhitespaceNewlinesAndComments();
            if (eof()) {
                throw error(openLine, "unterminated inline table (missing '}')");
            }
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                break;
            } else {
                throw error(line, "expected ',' or '}' in inline table, found " + describeChar(c));
            }
        }
        depth--;
        return table;
    }

    /**
     * A key/value inside an inline table. Sub-tables made by its dotted keys stay reachable only through the inline
     * table, which headers and outer dotted keys cannot extend, so they are sealed with it.
     */
    private void inlineKeyValue(TomlTable table) {
        int keyLine = line;
        List<String> path = key();
        skipWhitespace();
        expect('=', "expected '=' after key '" + String.join(".", path) + "'");
        skipWhitespace();
        Object value = value();
        TomlTable target = table;
        for (int i = 0; i < path.size() - 1; i++) {
            Object existing = target.get(path.get(i));
            if (existing == null) {
                TomlTable created = new TomlTable(source, keyLine, TomlTable.Origin.DOTTED);
                target.put(path.get(i), created, keyLine);
                target = created;
            } else if (existing instanceof TomlTable t && t.origin == TomlTable.Origin.DOTTED) {
                target = t;
            } else {
                throw error(keyLine, "cannot add key '" + String.join(".", path) + "': '" + path.get(i)
                        + "' is already defined as " + TomlTable.describe(existing));
            }
        }
        if (target.contains(path.getLast())) {
            throw error(keyLine, "duplicate key '" + String.join(".", path) + "'");
        }
        target.put(path.getLast(), value, keyLine);
    }

    private void enter(int openLine) {
        if (++depth > MAX_NESTING) {
            throw error(openLine, "values nested more than " + MAX_NESTING + " levels deep");
        }
    }

    // ---------------------------------------------------------------------------------------------- strings

    private String basicString() {
        int startLine = line;
        int start = ++pos;
        // Fast path: most strings have no escapes and can be copied out in one piece.
        while (pos < length) {
            char c = text[pos];
            if (c == '"') {
                return new String(text, start, pos++ - start);
            }
            if (c == '\\' || c < 0x20 || c == 0x7F) {
                break;
            }
            pos++;
        }
        StringBuilder out = new StringBuilder(pos - start + 16).append(text, start, pos - start);
        while (true) {
            if (eof()) {
                throw error(startLine, "unterminated string");
            }
            char c = text[pos];
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c == '\\') {
                escape(out);
            } else if (c == '\n' || c == '\r') {
                throw error(startLine, "unterminated string (newline before closing quote)");
            } else {
                checkStringChar(c);
                out.append(c);
                pos++;
            }
        }
    }

    private String literalString() {
        int startLine = line;
        pos++;
        int start = pos;
        while (true) {
            if (eof()) {
                throw error(startLine, "unterminated string");
            }
            char c = text[pos];
            if (c == '\'') {
                String value = new String(text, start, pos - start);
                pos++;
                return value;
            }
            if (c == '\n' || c == '\r') {
                throw error(startLine, "unterminated string (newline before closing quote)");
            }
            checkStringChar(c);
            pos++;
        }
    }

    /**
     * A multi-line string ({@code """} basic or {@code '''} literal): the newline right after the opening delimiter is
     * dropped, up to two extra quotes may precede the closing delimiter, and in basic strings a backslash at the end
     * of a line removes the line break and the whitespace that follows.
     */
    private String multilineString(char quote) {
        boolean basic = quote == '"';
        int startLine = line;
        pos += 3;
        skipFirstNewline();
        StringBuilder out = new StringBuilder();
        while (true) {
            if (eof()) {
                throw error(startLine, "unterminated multi-line string");
            }
            char c = text[pos];
            if (c == quote && tripleQuote(quote)) {
                int quotes = countQuotes(quote);
                if (quotes > 5) {
                    throw error(line, "too many quotes at the end of a multi-line string");
                }
                out.repeat(quote, quotes - 3);
                pos += quotes;
                return out.toString();
            }
            if (basic && c == '\\') {
                int after = pos + 1;
                while (after < length && (text[after] == ' ' || text[after] == '\t')) {
                    after++;
                }
                if (after < length && (text[after] == '\n' || text[after] == '\r')) {
                    pos = after;
                    skipWhitespaceAndNewlines();
                } else {
                    escape(out);
                }
            } else if (c == '\n' || c == '\r') {
                newline();
                out.append('\n');
            } else {
                checkStringChar(c);
                out.append(c);
                pos++;
            }
        }
    }

    /** Whether three {@code quote} characters start at the current position (a multi-line string delimiter). */
    private boolean tripleQuote(char quote) {
        return pos + 2 < length && text[pos] == quote && text[pos + 1] == quote && text[pos + 2] == quote;
    }

    private int countQuotes(char quote) {
        int end = pos;
        while (end < length && text[end] == quote) {
            end++;
        }
        return end - pos;
    }

    private void skipFirstNewline() {
        if (!eof() && (peek() == '\n' || peek() == '\r')) {
            newline();
        }
    }

    private void escape(StringBuilder out) {
        int escapeLine = line;
        pos++;
        if (eof()) {
            throw error(escapeLine, "unterminated escape sequence");
        }
        char c = text[pos++];
        switch (c) {
            case 'b' -> out.append('\b');
            case 't' -> out.append('\t');
            case 'n' -> out.append('\n');
            case 'f' -> out.append('\f');
            case 'r' -> out.append('\r');
            case 'e' -> out.append('\u001B');
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case 'x' -> out.appendCodePoint(hexCodePoint(2, escapeLine));
            case 'u' -> out.appendCodePoint(hexCodePoint(4, escapeLine));
            case 'U' -> out.appendCodePoint(hexCodePoint(8, escapeLine));
            default -> throw error(escapeLine, "invalid escape sequence '\\" + c + "'");
        }
    }

    private int hexCodePoint(int digits, int escapeLine) {
        if (pos + digits > length) {
            throw error(escapeLine, "truncated unicode escape");
        }
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int digit = Character.digit(text[pos + i], 16);
            if (digit < 0) {
                throw error(escapeLine, "invalid hex digit in escape sequence");
            }
            value = value * 16 + digit;
        }
        pos += digits;
        if (value > 0x10FFFF || value >= 0xD800 && value <= 0xDFFF || value < 0) {
            throw error(escapeLine, "escape sequence is not a unicode scalar value");
        }
        return value;
    }

    private void checkStringChar(char c) {
        if (c < 0x20 && c != '\t' || c == 0x7F) {
            throw error(line, "control character U+" + String.format("%04X", (int) c) + " must be escaped");
        }
    }

    // ---------------------------------------------------------------------------------------------- numbers & dates

    private Object numberOrDate() {
        int start = pos;
        while (!eof()) {
            char c = peek();
            boolean timeSpace = c == ' ' && pos - start == 10 && looksLikeDate(start)
                    && pos + 1 < length && Character.isDigit(text[pos + 1]);
            if (isValueChar(c) || timeSpace) {
                pos++;
            } else {
                break;
            }
        }
        String token = new String(text, start, pos - start);
        if (token.isEmpty()) {
            throw error(line, "invalid value starting with " + describeChar(peek()));
        }
        if (token.length() >= 5 && looksLikeDate(start) || token.length() >= 5 && token.charAt(2) == ':') {
            return dateTime(token);
        }
        return number(token);
    }

    private boolean looksLikeDate(int start) {
        return start + 10 <= length && text[start + 4] == '-' && text[start + 7] == '-'
                && isDigit(text[start]) && isDigit(text[start + 3]);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isValueChar(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c == '_' || c == '+' || c == '-' || c == '.' || c == ':';
    }

    private Object number(String token) {
        String unsigned = token.startsWith("+") || token.startsWith("-") ? token.substring(1) : token;
        boolean negative = token.startsWith("-");
        if (unsigned.equals("inf")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (unsigned.isEmpty() || !isDigit(unsigned.charAt(0))) {
            throw error(line, "invalid value '" + token + "' (strings must be quoted)");
        }
        if (unsigned.startsWith("0x") || unsigned.startsWith("0o") || unsigned.startsWith("0b")) {
            if (unsigned != token) {
                throw error(line, "prefixed integers cannot have a sign: " + token);
            }
            int radix = switch (unsigned.charAt(1)) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            return parseInteger(unsigned.substring(2), radix, token, false);
        }
        boolean isFloat = unsigned.indexOf('.') >= 0 || unsigned.indexOf('e') >= 0 || unsigned.indexOf('E') >= 0;
        if (!isFloat) {
            if (unsigned.length() > 1 && unsigned.charAt(0) == '0') {
                throw error(line, "leading zeros are not allowed in integers: " + token);
            }
            return parseInteger(unsigned, 10, token, negative);
        }
        return parseFloat(token, unsigned);
    }

    private long parseInteger(String digits, int radix, String token, boolean negative) {
        String clean = underscores(digits, token);
        if (clean.isEmpty() || !clean.chars().allMatch(c -> c < 128 && Character.digit(c, radix) >= 0)) {
            throw error(line, "invalid integer: " + token);
        }
        try {
            return Long.parseLong((negative ? "-" : "") + clean, radix);
        } catch (NumberFormatException e) {
            throw error(line, "invalid or out-of-range integer: " + token);
        }
    }

    private double parseFloat(String token, String unsigned) {
        int exponentAt = Math.max(unsigned.indexOf('e'), unsigned.indexOf('E'));
        String mantissa = exponentAt >= 0 ? unsigned.substring(0, exponentAt) : unsigned;
        String exponent = exponentAt >= 0 ? unsigned.substring(exponentAt + 1) : null;
        int dot = mantissa.indexOf('.');
        String whole = dot >= 0 ? mantissa.substring(0, dot) : mantissa;
        String fraction = dot >= 0 ? mantissa.substring(dot + 1) : null;
        boolean valid = !whole.isEmpty() && allDigits(underscores(whole, token))
                && !(whole.length() > 1 && whole.charAt(0) == '0')
                && (fraction == null || !fraction.isEmpty() && allDigits(underscores(fraction, token)))
                && (exponent == null || validExponent(exponent, token));
        if (!valid) {
            throw error(line, "invalid number: " + token);
        }
        return Double.parseDouble(token.replace("_", ""));
    }

    private boolean validExponent(String exponent, String token) {
        String digits = exponent.startsWith("+") || exponent.startsWith("-") ? exponent.substring(1) : exponent;
        return !digits.isEmpty() && allDigits(underscores(digits, token));
    }

    private static boolean allDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Removes digit separators, which TOML allows only between two digits. */
    private String underscores(String digits, String token) {
        if (digits.startsWith("_") || digits.endsWith("_") || digits.contains("__")) {
            throw error(line, "underscores must sit between digits: " + token);
        }
        return digits.indexOf('_') < 0 ? digits : digits.replace("_", "");
    }

    private TomlDateTime dateTime(String token) {
        try {
            String normalized = token.replace(' ', 'T').replace('t', 'T').replace('z', 'Z');
            if (normalized.length() == 10) {
                return new TomlDateTime(token, LocalDate.parse(normalized));
            }
            if (normalized.charAt(2) == ':') {
                return new TomlDateTime(token, LocalTime.parse(normalized));
            }
            boolean hasOffset = normalized.endsWith("Z") || normalized.length() > 19
                    && (normalized.lastIndexOf('+') > 10 || normalized.lastIndexOf('-') > 10);
            return new TomlDateTime(token, hasOffset ? OffsetDateTime.parse(normalized) : LocalDateTime.parse(normalized));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw error(line, "invalid date-time: " + token);
        }
    }

    // ---------------------------------------------------------------------------------------------- lexing helpers

    private boolean eof() {
        return pos >= length;
    }

    /** The next character; past the end, the refusal every caller would otherwise have to remember to give. */
    private char peek() {
        if (pos >= length) {
            throw error(line, "unexpected end of file");
        }
        return text[pos];
    }

    private void expect(char c, String message) {
        if (eof()) {
            throw error(line, "unexpected end of file: " + message);
        }
        if (peek() != c) {
            throw error(line, message + ", found " + describeChar(peek()));
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < length && (text[pos] == ' ' || text[pos] == '\t')) {
            pos++;
        }
    }

    private void skipWhitespaceAndNewlines() {
        while (!eof()) {
            char c = peek();
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\n' || c == '\r') {
                newline();
            } else {
                return;
            }
        }
    }

    private void skipWhitespaceNewlinesAndComments() {
        while (true) {
            skipWhitespaceAndNewlines();
            if (!eof() && peek() == '#') {
                comment();
            } else {
                return;
            }
        }
    }

    private void comment() {
        pos++;
        while (!eof() && peek() != '\n' && peek() != '\r') {
            char c = peek();
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw error(line, "control character in comment");
            }
            pos++;
        }
    }

    private void newline() {
        if (peek() == '\r') {
            if (pos + 1 >= length || text[pos + 1] != '\n') {
                throw error(line, "bare carriage return (expected CRLF)");
            }
            pos++;
        }
        pos++;
        line++;
    }

    /** After a key/value or header only whitespace and a comment may follow on the same line. */
    private void endOfLine() {
        skipWhitespace();
        if (eof()) {
            return;
        }
        if (peek() == '#') {
            comment();
        }
        if (eof()) {
            return;
        }
        if (peek() != '\n' && peek() != '\r') {
            throw error(line, "expected a new line after the value, found " + describeChar(peek()));
        }
        newline();
    }

    private static String describeChar(char c) {
        if (c == '\n' || c == '\r') {
            return "end of line";
        }
        return c < 0x20 ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private WardenException error(int atLine, String message) {
        return WardenException.at(source, atLine, "invalid TOML: " + message);
    }
}
