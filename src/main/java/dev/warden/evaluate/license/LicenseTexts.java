package dev.warden.evaluate.license;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells which SPDX licence a licence file holds, with a confidence from 0 to 1, the way askalono (cargo-deny's
 * detector) scores it: the Sørensen–Dice coefficient of the word pairs of the normalised text and of each listed
 * licence's text. The SPDX library can say whether a text matches a licence's template, but only yes or no and in
 * seconds per file over the whole list, so the scoring is done here over the texts it ships.
 */
public final class LicenseTexts {

    /**
     * The best match and the closest other text; {@code id} is null when no listed text shares a word pair with it.
     * Texts that differ only in their name (GPL-3.0 and GPL-3.0-only) score the same and are not rivals.
     */
    public record Match(String id, double confidence, String rival, double rivalConfidence) {

        /**
         * Two different licences fit about equally well (an ISC-style text with its attribution clause is 0.81 like
         * 0BSD, which has none, and 0.78 like ISC): the text does not say which, so it must not be taken as either.
         * Near-twins of a licence (JSON is MIT plus one sentence) score close to it even for an exact copy, so the
         * test is relative: the best match must be at least twice as close to a perfect fit as the rival.
         */
        public boolean ambiguous() {
            return rival != null && 1 - rivalConfidence < 2 * (1 - confidence);
        }
    }
    private static final Pattern WORD = Pattern.compile("[a-z0-9]+");
    private static final Pattern COPYRIGHT_LINE = Pattern.compile("(?m)^[\\s#/*!-]*(copyright\\b|\\(c\\)|\u00a9).*$");

    /** @param pairs the distinct word pairs, sorted, so two texts are compared by one merge */
    private record Reference(String id, boolean deprecated, long[] pairs) {
    }

    private static volatile List<Reference> references;

    private LicenseTexts() {
    }

    public static Match identify(String text) {
        long[] pairs = pairs(text);
        List<Reference> references = references();
        double[] scores = new double[references.size()];
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = dice(pairs, references.get(i).pairs());
            if (scores[i] > 0
                    && (best < 0 || better(references.get(i), scores[i], references.get(best), scores[best]))) {
                best = i;
            }
        }
        if (best < 0) {
            return new Match(null, 0, null, 0);
        }
        // Pixar's licence is Apache-2.0 without its appendix, so a plain Apache-2.0 file without the appendix
        // scores higher for Pixar; only a file titled as Pixar's is Pixar's (cargo-deny makes the same correction).
        if ("Pixar".equals(references.get(best).id()) && !text.strip().startsWith("Modified Apache 2.0 License")) {
            int pixar = best;
            for (int i = 0; i < scores.length; i++) {
                if (references.get(i).id().equals("Apache-2.0")) {
                    best = i;
                }
            }
            scores[pixar] = 0;
        }
        int rival = -1;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < scores[best] - 1e-9 && (rival < 0 || scores[i] > scores[rival])) {
                rival = i;
            }
        }
        return new Match(references.get(best).id(), scores[best], rival < 0 ? null : references.get(rival).id(),
                rival < 0 ? 0 : scores[rival]);
    }

    /**
     * On a tie the current identifier wins over a deprecated one, and GNU's "-or-later" over "-only": the text cannot
     * tell the two apart (the notice in the sources does) and cargo-deny reports "-or-later".
     */
    private static boolean better(Reference candidate, double score, Reference best, double bestScore) {
        if (Math.abs(score - bestScore) > 1e-9) {
            return score > bestScore;
        }
        return best.deprecated() && !candidate.deprecated() || best.deprecated() == candidate.deprecated()
                && candidate.id().endsWith("-or-later") && best.id().endsWith("-only");
    }

    private static double dice(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        int shared = 0;
        for (int i = 0, j = 0; i < a.length && j < b.length; ) {
            if (a[i] == b[j]) {
                shared++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return 2.0 * shared / (a.length + b.length);
    }

    private static List<Reference> references() {
        List<Reference> loaded = references;
        if (loaded == null) {
            synchronized (LicenseTexts.class) {
                loaded = references;
                if (loaded == null) {
                    loaded = Spdx.texts().entrySet().stream().map(LicenseTexts::reference).toList();
                    references = loaded;
                }
            }
        }
        return loaded;
    }

    private static Reference reference(Map.Entry<String, String> text) {
        return new Reference(text.getKey(), Spdx.deprecated(text.getKey()), pairs(text.getValue()));
    }

    /**
     * Word pairs of the text, lower-cased, without copyright notices (they name the author, not the licence). Only a
     * line that starts with the notice is one: a licence sentence mentioning "the above copyright notice" is not.
     */
    static long[] pairs(String text) {
        String lower = COPYRIGHT_LINE.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        Set<Long> pairs = new HashSet<>();
        var words = WORD.matcher(lower);
        long previous = 0;
        boolean first = true;
        while (words.find()) {
            long word = words.group().hashCode();
            if (!first) {
                pairs.add(previous << 32 | (word & 0xffffffffL));
            }
            previous = word;
            first = false;
        }
        return pairs.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
