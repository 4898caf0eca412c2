package dev.warden.recon.typosquat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The spellings under which two crate names are "the same" for a human reader. Each form erases one kind of
 * difference a squatter exploits; two names with equal forms but different normalized names differ only by that trick.
 * Names are ASCII ({@code [A-Za-z0-9_-]}, as crates.io requires).
 */
final class NameForms {

    private NameForms() {
    }

    /** How crates.io compares names: case and {@code -}/{@code _} do not matter. */
    static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Without separators: {@code lazy_static} and {@code lazystatic} meet here. */
    static String skeleton(String normalized) {
        return normalized.replace("_", "");
    }

    /**
     * Look-alike characters folded together ({@code rn}→{@code m}, {@code vv}→{@code w}, {@code cl}→{@code d},
     * {@code 1}/{@code i}→{@code l}, {@code 0}→{@code o}, {@code 5}→{@code s}), on the skeleton.
     */
    static String confusable(String skeleton) {
        String folded = skeleton.replace("rn", "m").replace("vv", "w").replace("cl", "d");
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            out.append(switch (c) {
                case '1', 'i' -> 'l';
                case '0' -> 'o';
                case '5' -> 's';
                default -> c;
            });
        }
        return out.toString();
    }

    /** Runs of one letter collapsed: {@code postgress} → {@code postgres}, {@code lazzy} → {@code lazy}. */
    static String collapsed(String skeleton) {
        StringBuilder out = new StringBuilder(skeleton.length());
        for (int i = 0; i < skeleton.length(); i++) {
            if (i == 0 || skeleton.charAt(i) != skeleton.charAt(i - 1)) {
                out.append(skeleton.charAt(i));
            }
        }
        return out.toString();
    }

    /**
     * Without a trailing version number: {@code proc_macro2} and {@code proc_macro1} → {@code proc_macro},
     * {@code foo_v2} → {@code foo}. Null when the name has none.
     */
    static String versionless(String normalized) {
        int end = normalized.length();
        while (end > 0 && Character.isDigit(normalized.charAt(end - 1))) {
            end--;
        }
        if (end == normalized.length() || end == 0) {
            return null;
        }
        if (normalized.charAt(end - 1) == 'v' && end >= 2 && normalized.charAt(end - 2) == '_') {
            end--;
        }
        while (end > 0 && normalized.charAt(end - 1) == '_') {
            end--;
        }
        return end == 0 ? null : normalized.substring(0, end);
    }

    /** The trailing number of a name when it is a short one (1–2 digits, a version), else -1. */
    static int versionNumber(String normalized) {
        int end = normalized.length();
        int start = end;
        while (start > 0 && Character.isDigit(normalized.charAt(start - 1))) {
            start--;
        }
        return start == end || end - start > 2 || start == 0 ? -1 : Integer.parseInt(normalized.substring(start, end));
    }

    /**
     * The words of a normalized name, split at runs of {@code _} as {@code split("_+")} would (a leading separator
     * gives an empty first word, trailing ones none) — by hand, because the regular expression was a visible part of
     * checking every crate of a large lockfile.
     */
    static String[] words(String normalized) {
        if (normalized.isEmpty()) {
            return new String[] {""};
        }
        List<String> words = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= normalized.length(); i++) {
            if (i == normalized.length() || normalized.charAt(i) == '_') {
                if (i > start || words.isEmpty() && i == 0 && i < normalized.length()) {
                    words.add(normalized.substring(start, i));
                }
                start = i + 1;
            }
        }
        return words.size() == 1 && words.getFirst().isEmpty() ? new String[0] : words.toArray(String[]::new);
    }

    /** The words in alphabetical order: {@code if_cfg} and {@code cfg_if} meet here. Null for one-word names. */
    static String sortedWords(String normalized) {
        String[] words = words(normalized);
        if (words.length < 2) {
            return null;
        }
        Arrays.sort(words);
        return String.join("_", words);
    }

    /** The name itself and every string one character shorter, for the symmetric-deletion edit-distance index. */
    static List<String> deletions(String skeleton) {
        List<String> out = new ArrayList<>(skeleton.length() + 1);
        out.add(skeleton);
        for (int i = 0; i < skeleton.length(); i++) {
            if (i > 0 && skeleton.charAt(i) == skeleton.charAt(i - 1)) {
                continue; // deleting either of two equal letters gives the same string
            }
            out.add(skeleton.substring(0, i) + skeleton.substring(i + 1));
        }
        return out;
    }

    /**
     * Optimal-string-alignment distance (edits: insert, delete, substitute, swap two neighbours), giving up once it
     * exceeds {@code limit}: returns {@code limit + 1} then.
     */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] previous2 = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    value = Math.min(value, previous2[j - 2] + 1);
                }
                current[j] = value;
                rowMin = Math.min(rowMin, value);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return Math.min(previous[b.length()], limit + 1);
    }
}
