package dev.warden.evaluate.license;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An SPDX licence expression as a crate wrote it: the requirements ({@code MIT}, {@code GPL-2.0+}, {@code Apache-2.0
 * WITH LLVM-exception}) joined by {@code AND} and {@code OR}. Parsed by {@link Spdx}; this is the small tree the
 * checks evaluate, in the order the crate wrote its terms.
 *
 * @param written   the text as found
 * @param corrected the text after lax fixes ({@code /} for {@code OR}, names from before crates.io required SPDX),
 *                  or null when the text was a valid expression as written
 */
public record LicenseExpression(String written, String corrected, Node root) {

    /** A part of an expression. */
    public sealed interface Node {
    }

    /**
     * One licence: an SPDX identifier or a {@code LicenseRef-}, "or any later version" ({@code +}), and an exception.
     */
    public record Req(String id, boolean orLater, String exception) implements Node {
        @Override
        public String toString() {
            return id + (orLater ? "+" : "") + (exception == null ? "" : " WITH " + exception);
        }
    }

    public record All(List<Node> parts) implements Node {
        public All {
            parts = List.copyOf(parts);
        }
    }

    public record Any(List<Node> parts) implements Node {
        public Any {
            parts = List.copyOf(parts);
        }
    }

    /** Whether the expression can be met using only requirements {@code accepted} takes. */
    public boolean satisfiedBy(Predicate<Req> accepted) {
        return satisfied(root, accepted);
    }

    private static boolean satisfied(Node node, Predicate<Req> accepted) {
        return switch (node) {
            case Req req -> accepted.test(req);
            case All all -> all.parts().stream().allMatch(p -> satisfied(p, accepted));
            case Any any -> any.parts().stream().anyMatch(p -> satisfied(p, accepted));
        };
    }

    /** Every requirement, in the order written. */
    public List<Req> requirements() {
        List<Req> reqs = new ArrayList<>();
        collect(root, reqs);
        return reqs;
    }

    private static void collect(Node node, List<Req> into) {
        switch (node) {
            case Req req -> into.add(req);
            case All all -> all.parts().forEach(p -> collect(p, into));
            case Any any -> any.parts().forEach(p -> collect(p, into));
        }
    }

    /** The expression in canonical form (the parser's identifiers, the crate's order). */
    @Override
    public String toString() {
        return text(root, false);
    }

    private static String text(Node node, boolean nested) {
        return switch (node) {
            case Req req -> req.toString();
            case All all -> join(all.parts(), " AND ", nested);
            case Any any -> join(any.parts(), " OR ", nested);
        };
    }

    private static String join(List<Node> parts, String operator, boolean nested) {
        String joined = String.join(operator, parts.stream().map(p -> text(p, true)).toList());
        return nested ? "(" + joined + ")" : joined;
    }
}
