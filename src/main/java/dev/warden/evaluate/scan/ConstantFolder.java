package dev.warden.evaluate.scan;

import dev.warden.evaluate.lexer.Tokens;
import dev.warden.evaluate.lexer.WordSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Works out, from the tokens alone, the strings a file builds instead of writing them: byte and char arrays
 * ({@code vec![71, 73, …]}, {@code &[0x47, …]}, {@code ['a', …]}), XOR with a constant key, {@code concat!},
 * {@code format!} of literal pieces, pieces joined by {@code +}, {@code push_str}, {@code concat()}/{@code join()},
 * path pieces joined by {@code .join(…)}, reversed strings, and names bound by {@code let}/{@code const} to literals.
 * What comes out is fed to the same rules as literals; how it was built goes in the evidence.
 */
public final class ConstantFolder {

    /** A string the code builds, where, and how. */
    public record Folded(String value, int line, String how, boolean obfuscated) {
    }

    /** The words that make a statement build a string; every other identifier is passed over unread. */
    private static final WordSet WORDS = new WordSet(Set.of("concat", "join", "push_str", "format", "to_owned",
            "to_string", "rev"));

    /** Fewer elements than this in an array is data, not a hidden string. */
    private static final int MIN_ARRAY = 4;

    private ConstantFolder() {
    }

    public static List<Folded> fold(Tokens t) {
        Map<String, String> constants = new HashMap<>();
        List<Folded> folded = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= t.size(); i++) {
            if (i == t.size() || t.isPunct(i, ';') || t.isPunct(i, '{') || t.isPunct(i, '}')) {
                if (i > start) {
                    statement(t, start, i, constants, folded);
                }
                start = i + 1;
            }
        }
        return folded;
    }

    /** One statement, tokens {@code [from, to)}: a cheap look first, as most statements build no string. */
    private static void statement(Tokens t, int from, int to, Map<String, String> constants, List<Folded> out) {
        int line = t.line(from);
        int strings = 0;
        boolean joins = false;
        boolean paths = false;
        boolean reversed = false;
        Integer key = null;
        boolean arrays = false;
        for (int i = from; i < to; i++) {
            byte kind = t.kind(i);
            if (kind == Tokens.STRING) {
                strings++;
            } else if (kind == Tokens.PUNCT) {
                if (t.isPunct(i, '+') && (t.isString(i - 1) || t.isString(i + 1))) {
                    joins = true;
                } else if (t.isPunct(i, '^') && key == null && t.kind(i + 1) == Tokens.NUMBER) {
                    key = xorKey(t.text(i + 1));
                } else if (t.isPunct(i, '[') && (t.kind(i + 1) == Tokens.NUMBER || t.kind(i + 1) == Tokens.CHAR)) {
                    arrays = true;
                }
            }
        }
        // Identifiers are looked at only where there is something to build from.
        if (strings > 0 || !constants.isEmpty()) {
            for (int i = from; i < to; i++) {
                String word = t.kind(i) == Tokens.IDENT ? t.wordIn(i, WORDS) : null;
                if (word != null) {
                    reversed |= word.equals("rev");
                    joins |= !word.equals("rev");
                    paths |= word.equals("join") && t.isPunct(i - 1, '.') && t.isPunct(i + 1, '(') && t.isString(i + 2)
                            && t.isPunct(i + 3, ')');
                }
            }
        }
        for (int i = from; arrays && i < to; i++) {
            if (t.isPunct(i, '[') && (t.kind(i + 1) == Tokens.NUMBER || t.kind(i + 1) == Tokens.CHAR)) {
                i = array(t, i, to, key, out);
            }
        }
        if (strings == 0 && constants.isEmpty()) {
            return;
        }
        if (strings == 1) {
            bind(t, from, to, constants);
        }
        if (!joins && !reversed) {
            return;
        }
        List<String> pieces = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (t.isString(i)) {
                pieces.add(t.stringValue(i));
            } else if (!constants.isEmpty() && t.kind(i) == Tokens.IDENT && !t.isPunct(i + 1, '=')
                    && !t.isPunct(i + 1, ':')) {
                String constant = constants.get(t.text(i));
                if (constant != null) {
                    pieces.add(constant);
                }
            }
        }
        if (pieces.isEmpty()) {
            return;
        }
        if (reversed && pieces.size() == 1 && pieces.getFirst().length() >= MIN_ARRAY) {
            out.add(new Folded(new StringBuilder(pieces.getFirst()).reverse().toString(), line, "reversed", true));
        }
        if (pieces.size() < 2) {
            return;
        }
        if (paths) {
            out.add(new Folded(String.join("/", pieces), line, "joined as a path", false));
        } else if (joins) {
            String joined = formatted(t, from, to, pieces);
            out.add(new Folded(joined, line, "joined from " + pieces.size() + " pieces", false));
            String decoded = CapabilityScanner.decode(joined.trim());
            if (decoded != null) {
                out.add(new Folded(decoded, line, "decoded after joining " + pieces.size() + " pieces", true));
            }
        }
    }

    /** {@code format!("{}.{}", a, b)}: the pieces substituted into the first literal; else the pieces joined. */
    private static String formatted(Tokens t, int from, int to, List<String> pieces) {
        if (isMacro(t, from, to, "format") && pieces.getFirst().contains("{}")) {
            String template = pieces.getFirst();
            StringBuilder out = new StringBuilder();
            int next = 1;
            int at = 0;
            for (int hole = template.indexOf("{}"); hole >= 0; hole = template.indexOf("{}", at)) {
                out.append(template, at, hole).append(next < pieces.size() ? pieces.get(next++) : "");
                at = hole + 2;
            }
            return out.append(template.substring(at)).toString();
        }
        return String.join("", pieces);
    }

    private static boolean isMacro(Tokens t, int from, int to, String name) {
        for (int i = from; i + 1 < to; i++) {
            if (t.isIdent(i, name) && t.isPunct(i + 1, '!')) {
                return true;
            }
        }
        return false;
    }

    /** {@code let x = "…";} / {@code const X: &str = "…";} with one literal: later uses of the name are that literal. */
    private static void bind(Tokens t, int from, int to, Map<String, String> constants) {
        int at = from;
        if (t.isIdent(at, "pub")) {
            at++;
        }
        if (!(t.isIdent(at, "let") || t.isIdent(at, "const") || t.isIdent(at, "static"))) {
            return;
        }
        at++;
        if (t.isIdent(at, "mut")) {
            at++;
        }
        if (at >= to || t.kind(at) != Tokens.IDENT) {
            return;
        }
        String name = t.text(at);
        int literal = -1;
        for (int i = at + 1; i < to; i++) {
            if (t.isString(i)) {
                if (literal >= 0) {
                    return;
                }
                literal = i;
            }
        }
        if (literal >= 0 && t.isPunct(literal - 1, '=') || literal >= 0 && t.isPunct(literal - 1, '&')) {
            constants.put(name, t.stringValue(literal));
        }
    }

    /** {@code ^ 0x42} or {@code ^ 42}: the key a byte array is XOR-ed with, or null. */
    private static Integer xorKey(String number) {
        Integer key = number(number);
        return key != null && key > 0 && key < 256 ? key : null;
    }

    /**
     * An array of byte numbers or chars starting at {@code open}: folded when it decodes to text. Returns the index
     * of its closing bracket, or {@code open} when it is no such array.
     */
    private static int array(Tokens t, int open, int to, Integer key, List<Folded> out) {
        StringBuilder chars = new StringBuilder();
        List<Integer> bytes = new ArrayList<>();
        int i = open + 1;
        for (; i < to && !t.isPunct(i, ']'); i++) {
            if (t.isPunct(i, ',')) {
                continue;
            }
            if (t.kind(i) == Tokens.NUMBER) {
                Integer value = number(t.text(i));
                if (value == null || value < 0 || value > 255) {
                    return open;
                }
                bytes.add(value);
            } else if (t.kind(i) == Tokens.CHAR) {
                String text = t.text(i);
                if (text.length() != 3) {
                    return open;
                }
                chars.append(text.charAt(1));
            } else {
                return open;
            }
        }
        if (i >= to) {
            return open;
        }
        if (chars.length() >= MIN_ARRAY && bytes.isEmpty()) {
            out.add(new Folded(chars.toString(), t.line(open), "built from a char array", true));
        } else if (bytes.size() >= MIN_ARRAY && chars.isEmpty()) {
            byte[] raw = new byte[bytes.size()];
            for (int b = 0; b < raw.length; b++) {
                raw[b] = (byte) (key == null ? bytes.get(b) : bytes.get(b) ^ key);
            }
            if (printable(raw)) {
                out.add(new Folded(new String(raw, StandardCharsets.ISO_8859_1), t.line(open), key == null
                        ? "decoded from a byte array" : "decoded from a byte array XOR 0x" + Integer.toHexString(key),
                        true));
            }
        }
        return i;
    }

    /** Text, not data: printable ASCII throughout (a tab or newline allowed). */
    private static boolean printable(byte[] raw) {
        for (byte b : raw) {
            if ((b < 0x20 || b > 0x7E) && b != '\n' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** {@code 71}, {@code 0x47}, {@code 71u8}, {@code 0b1000111}: the value, or null. */
    static Integer number(String text) {
        String digits = text.replace("_", "");
        int radix = 10;
        if (digits.startsWith("0x")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.startsWith("0o")) {
            radix = 8;
            digits = digits.substring(2);
        }
        int end = 0;
        while (end < digits.length() && Character.digit(digits.charAt(end), radix) >= 0) {
            end++;
        }
        if (end == 0 || end > 9) {
            return null;
        }
        String suffix = digits.substring(end);
        if (!suffix.isEmpty() && !suffix.matches("[ui](8|16|32|64|size)")) {
            return null;
        }
        long value = Long.parseLong(digits, 0, end, radix);
        return value > Integer.MAX_VALUE ? null : (int) value;
    }
}
