package dev.warden.recon.typosquat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The edit distance, the deletion index it relies on and the word split, over a small alphabet so that near misses are common. */
class NameFormsProperties {

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abc_1").ofMinLength(0).ofMaxLength(9);
    }

    /** Textbook optimal-string-alignment distance, without the early exit. */
    private static int reference(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    @Property
    void boundedDistanceAgreesWithTheTextbookOne(@ForAll("names") String a, @ForAll("names") String b) {
        int exact = reference(a, b);
        for (int limit = 0; limit <= 3; limit++) {
            assertThat(NameForms.distance(a, b, limit)).isEqualTo(Math.min(exact, limit + 1));
        }
        assertThat(NameForms.distance(a, b, 9)).isEqualTo(NameForms.distance(b, a, 9));
    }

    /** The index's promise: two names one edit apart always share an entry of their deletion lists. */
    @Property
    void namesOneEditApartShareADeletion(@ForAll("names") String a, @ForAll("names") String b) {
        Set<String> shared = new HashSet<>(NameForms.deletions(a));
        shared.retainAll(NameForms.deletions(b));
        if (reference(a, b) <= 1) {
            assertThat(shared).isNotEmpty();
        }
        if (!shared.isEmpty()) {
            assertThat(reference(a, b)).isLessThanOrEqualTo(2);
        }
    }

    @Property
    void formsForgetOnlyWhatTheyAreFor(@ForAll("names") String name) {
        String normalized = NameForms.normalized(name);
        assertThat(NameForms.skeleton(normalized)).doesNotContain("_");
        assertThat(NameForms.normalized(normalized.replace('_', '-'))).isEqualTo(normalized);
        assertThat(NameForms.collapsed(NameForms.collapsed(normalized))).isEqualTo(NameForms.collapsed(normalized));
        List<String> deletions = NameForms.deletions(normalized);
        assertThat(deletions.getFirst()).isEqualTo(normalized);
        assertThat(deletions.subList(1, deletions.size())).allMatch(d -> d.length() == normalized.length() - 1)
                .doesNotHaveDuplicates();
    }

    @Property
    void wordsSplitAsTheRegularExpressionWould(@ForAll("names") String name) {
        assertThat(NameForms.words(name)).containsExactly(name.split("_+"));
    }
}
