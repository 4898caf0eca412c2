package dev.warden.cargo.semver;

/**
 * Comparison of dot-separated pre-release and build-metadata identifiers, exactly as the Rust {@code semver} crate
 * (used by Cargo and RustSec) orders them.
 */
final class Identifier {

    private Identifier() {
    }

    /** Pre-release order: no pre-release sorts after any pre-release; numeric parts numerically, before text. */
    static int comparePrerelease(String left, String right) {
        if (left.isEmpty() || right.isEmpty()) {
            return Boolean.compare(left.isEmpty(), right.isEmpty());
        }
        return compareSegments(left, right, false);
    }

    /** Build-metadata order: empty first; numeric parts by value, then by length (so 1 < 01 < 001 < 2). */
    static int compareBuild(String left, String right) {
        return compareSegments(left, right, true);
    }

    private static int compareSegments(String left, String right, boolean leadingZerosAllowed) {
        int li = 0;
        int ri = 0;
        while (true) {
            int le = segmentEnd(left, li);
            if (ri > right.length()) {
                return 1;
            }
            int re = segmentEnd(right, ri);
            int order = compareSegment(left.substring(li, le), right.substring(ri, re), leadingZerosAllowed);
            if (order != 0) {
                return order;
            }
            li = le + 1;
            ri = re + 1;
            if (li > left.length()) {
                return ri > right.length() ? 0 : -1;
            }
        }
    }

    private static int segmentEnd(String s, int from) {
        int dot = s.indexOf('.', from);
        return dot < 0 ? s.length() : dot;
    }

    private static int compareSegment(String left, String right, boolean leadingZerosAllowed) {
        boolean leftNumeric = isNumeric(left);
        boolean rightNumeric = isNumeric(right);
        if (leftNumeric && rightNumeric) {
            if (!leadingZerosAllowed) {
                int byLength = Integer.compare(left.length(), right.length());
                return byLength != 0 ? byLength : left.compareTo(right);
            }
            String lv = stripLeadingZeros(left);
            String rv = stripLeadingZeros(right);
            int order = Integer.compare(lv.length(), rv.length());
            if (order == 0) {
                order = lv.compareTo(rv);
            }
            return order != 0 ? order : Integer.compare(left.length(), right.length());
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        return left.compareTo(right);
    }

    static boolean isNumeric(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
