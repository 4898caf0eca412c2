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

    /** The best match; {@code id} is null when no listed text shares a word pair with it. */
    public record Match(String id, double confidence) {
    }

    private static final Pattern WORD = Pattern.compile("[a-z0-9]+");
    private static final Pattern COPYRIGHT_LINE = Pattern.compile("(?m)^.*\\b(copyright|\\(c\\))\\b.*$");

    private record Reference(String id, boolean deprecated, Set<Long> pairs) {
    }

    private static volatile List<Reference> references;

    private LicenseTexts() {
    }

    public static Match identify(String text) {
        Set<Long> pairs = pairs(text);
        String best = null;
        double score = 0;
        boolean bestDeprecated = false;
        for (Reference reference : references()) {
            double dice = dice(pairs, reference.pairs());
            // On a tie the current identifier wins over a deprecated one, and GNU's "-or-later" over "-only": the
            // text cannot tell the two apart (the notice in the sources does) and cargo-deny reports "-or-later".
            boolean better = dice > score + 1e-9 || Math.abs(dice - score) <= 1e-9 && best != null
                    && (bestDeprecated && !reference.deprecated()
                    || bestDeprecated == reference.deprecated() && reference.id().endsWith("-or-later")
                    && best.endsWith("-only"));
            if (dice > 0 && better) {
                best = reference.id();
                score = dice;
                bestDeprecated = reference.deprecated();
            }
        }
        // Pixar's licence is Apache-2.0 without its appendix, so a plain Apache-2.0 file without the appendix
        // scores higher for Pixar; only a file titled as Pixar's is Pixar's (cargo-deny makes the same correction).
        if ("Pixar".equals(best) && !text.strip().startsWith("Modified Apache 2.0 License")) {
            best = "Apache-2.0";
            score = references().stream().filter(r -> r.id().equals("Apache-2.0")).mapToDouble(r -> dice(pairs,
                    r.pairs())).findFirst().orElse(score);
        }
        return new Match(best, score);
    }

    private static double dice(Set<Long> a, Set<Long> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        Set<Long> small = a.size() <= b.size() ? a : b;
        Set<Long> large = small == a ? b : a;
        long shared = small.stream().filter(large::contains).count();
        return 2.0 * shared / (a.size() + b.size());
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

    /** Word pairs of the text, lower-cased, without copyright lines (they name the author, not the licence). */
    static Set<Long> pairs(String text) {
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
        return pairs;
    }
}
