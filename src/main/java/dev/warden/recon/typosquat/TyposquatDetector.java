package dev.warden.recon.typosquat;

import dev.warden.recon.typosquat.TargetIndex.Form;
import dev.warden.recon.typosquat.TargetIndex.Target;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the popular crate a name imitates. Every target is indexed once ({@link TargetIndex}) under each of its
 * {@link NameForms}, and under every one-character deletion of its skeleton (a symmetric-deletion index: two names
 * within one or two edits share a deletion), so checking a name is a handful of hash lookups — no loop over the
 * popular list. The list's index is shared; the project's direct dependencies are indexed per detector.
 *
 * <p>A similar name alone proves nothing ({@code rand}/{@code rand_core}, {@code tokio}/{@code tokio-util}); the
 * signal is an obscure name next to a far more popular one. A match is reported only when the name is not popular
 * itself or is far less popular than its target ({@link Settings#closeGap}, {@link Settings#wordGap}).
 */
public final class TyposquatDetector {

    /**
     * @param maxTargetRank   only crates at or above this rank are worth imitating
     * @param typoTargetRank  for one- and two-character typos, which legitimate names make by chance, only crates at or
     *                        above this rank
     * @param wordTargetRank  for affixes and combosquats (which add a word), only crates at or above this rank
     * @param closeGap        how many times less popular a popular name must be than a target it closely resembles
     * @param wordGap         the same for a name that adds a word to its target
     */
    public record Settings(int maxTargetRank, int typoTargetRank, int wordTargetRank, int closeGap, int wordGap) {

        public static final Settings DEFAULT = new Settings(5_000, 1_000, 1_000, 50, 200);
    }

    private static final List<String> PREFIXES = List.of("rust_", "rs_", "lib_", "crate_");
    /**
     * Prefixes and suffixes that only pad a name. Family suffixes ({@code -core}, {@code -derive}, {@code -sys},
     * {@code -macros}, {@code -utils}) are not here: {@code serde_core} or {@code ratatui-core} is how families grow.
     */
    private static final List<String> SUFFIXES = List.of("_rs", "_rust", "_rst", "_main", "_official",
            "_new", "_fixed", "_fork", "_dev", "_en", "_check", "_checks");
    /**
     * Words that add nothing to a name. A popular name plus one of these is a combosquat candidate; a popular name
     * plus a real word ({@code serde_json}, {@code tokio-tungstenite}) is how crate families are named.
     */
    private static final Set<String> FILLER_WORDS = Set.of("parse", "parser", "parsing", "util", "utils", "helper",
            "helpers", "tool", "tools", "sdk", "cli", "api", "rs", "rust", "ext", "extra", "plus", "pro",
            "new", "next", "fixed", "fork", "official", "main", "check", "checks", "update", "updater", "installer",
            "loader", "setup", "v2", "v3", "dev", "master");

    private final Settings settings;
    /** The popular list, shared by every detector. */
    private final TargetIndex popular;
    /** The project's direct dependencies (and the compiler's built-in crate): these shadow the list's entries. */
    private final TargetIndex direct;

    /** @param direct the project's direct dependencies, which are targets too whatever their popularity */
    public TyposquatDetector(PopularCrates popular, Collection<String> direct, Settings settings) {
        this.settings = settings;
        this.popular = popular.index(settings);
        TargetIndex.Builder own = TargetIndex.builder(settings);
        for (String name : direct) {
            PopularCrates.Entry known = popular.find(name);
            own.add(known == null ? name : known.name(), known == null ? PopularCrates.UNRANKED : known.rank(), true);
        }
        if (this.popular.named(TargetIndex.BUILT_IN) == null) {
            own.add(TargetIndex.BUILT_IN, 1, false);
        }
        this.direct = own.build("direct dependencies");
    }

    /** The crate {@code name} most likely imitates, if any; names equal to a target are never matches. */
    public Optional<SquatMatch> check(String name) {
        String normalized = NameForms.normalized(name);
        Target self = named(normalized);
        int rank = self == null ? PopularCrates.UNRANKED : self.rank();
        boolean direct = self != null && self.direct();
        String skeleton = NameForms.skeleton(normalized);
        List<SquatMatch> found = new ArrayList<>();

        for (Target target : find(Form.SKELETON, skeleton)) {
            consider(found, name, rank, target, Technique.SEPARATOR, target.name() + " with other separators");
        }
        for (Target target : find(Form.CONFUSABLE, NameForms.confusable(skeleton))) {
            if (!target.skeleton().equals(skeleton)) {
                consider(found, name, rank, target, Technique.HOMOGLYPH, target.name() + " with look-alike letters");
            }
        }
        String sorted = NameForms.sortedWords(normalized);
        if (sorted != null) {
            for (Target target : find(Form.SORTED_WORDS, sorted)) {
                consider(found, name, rank, target, Technique.WORD_ORDER, target.name() + " with its words swapped");
            }
        }
        for (Target target : find(Form.COLLAPSED, NameForms.skeleton(NameForms.collapsed(normalized)))) {
            if (!target.skeleton().equals(skeleton)) {
                consider(found, name, rank, target, Technique.DOUBLING, target.name() + " with a letter doubled");
            }
        }
        for (String suffix : List.of("es", "s")) {
            String singular = skeleton.endsWith(suffix) ? skeleton.substring(0, skeleton.length() - suffix.length()) : "";
            if (singular.length() >= 3) {
                for (Target target : find(Form.SKELETON, singular)) {
                    consider(found, name, rank, target, Technique.PLURAL, target.name() + " in the plural");
                }
            }
        }
        String versionless = NameForms.versionless(normalized);
        if (versionless != null) {
            int number = NameForms.versionNumber(normalized);
            for (Target target : find(Form.VERSIONLESS, versionless)) {
                // foo2 after foo, or foo3 after foo2, is how Rust names successors; foo1 next to foo2 is not.
                int targetNumber = NameForms.versionNumber(target.normalized());
                if (number >= 0 && targetNumber > number && targetNumber - number <= 2) {
                    consider(found, name, rank, target, Technique.VERSION, target.name()
                            + " with an older version number");
                } else if (number >= 0 && targetNumber < 0 && rank >= PopularCrates.UNRANKED
                        && target.rank() <= TargetIndex.TOP_TARGET_RANK) {
                    // tokio2, serde2 (typomania's version check). Successors of less central crates are how Rust
                    // renames forks of abandoned ones (adler2, yaml-rust2, proc-macro-error2): not counted.
                    consider(found, name, rank, target, Technique.VERSION, target.name()
                            + " with a version number added");
                }
            }
        }
        typos(found, name, rank, normalized, skeleton);
        affixes(found, name, rank, normalized);
        for (Target target : find(Form.FAMILY_BASE, normalized)) {
            consider(found, name, rank, target, Technique.AFFIX, target.name() + " without its "
                    + affix(target.normalized(), normalized) + " affix");
        }
        combos(found, name, rank, normalized);

        // Two direct dependencies that look alike were both chosen by the project's authors, unless the one imitated
        // is a popular crate (a `serd` next to `serde` is the classic slip).
        return found.stream().filter(m -> !(direct && m.direct() && m.targetRank() >= PopularCrates.UNRANKED))
                .min(Comparator.comparing(SquatMatch::technique)
                        .thenComparing(m -> m.direct() ? 0 : 1)
                        .thenComparingInt(SquatMatch::targetRank));
    }

    /**
     * Up to two edits, found through shared one-character deletions and confirmed by the real distance. A name that
     * is popular itself is no typo of another ({@code hypher}, {@code manyhow}), nor one whose first letter differs
     * ({@code wincode}/{@code bincode}, {@code unty}/{@code funty}: people mistype inside a name, not its start).
     */
    private void typos(List<SquatMatch> found, String name, int rank, String normalized, String skeleton) {
        if (skeleton.length() < 4 || rank < PopularCrates.UNRANKED) {
            return;
        }
        if (skeleton.length() == 4) {
            Map<String, Target> short4 = new LinkedHashMap<>();
            for (Target target : find(Form.SHORT_VARIANT, skeleton)) {
                short4.putIfAbsent(target.normalized(), target);
            }
            for (Target target : find(Form.SHORT_VARIANT, skeleton.substring(0, 3) + '?')) {
                if (target.skeleton().length() == 4) {
                    short4.putIfAbsent(target.normalized(), target);
                }
            }
            for (Target target : short4.values()) {
                if (!target.skeleton().equals(skeleton)) {
                    consider(found, name, rank, target, Technique.TYPO, target.name() + " with 1 edit");
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (String deletion : NameForms.deletions(skeleton)) {
            for (Target target : find(Form.DELETION, deletion)) {
                if (!seen.add(target.normalized()) || target.skeleton().equals(skeleton)
                        || successor(normalized, target.normalized())
                        || target.skeleton().charAt(0) != skeleton.charAt(0)) {
                    continue;
                }
                int limit = target.skeleton().length() >= 12 ? 2 : 1;
                int distance = NameForms.distance(skeleton, target.skeleton(), limit);
                // Plain typos of a direct dependency that is not popular itself are chance resemblances
                // (revm-inspector next to revm_inspectors): only its close tricks (separators, look-alikes) count.
                if (distance <= limit && target.rank() <= settings.typoTargetRank()) {
                    consider(found, name, rank, target, Technique.TYPO, target.name() + " with " + distance + " edit"
                            + (distance == 1 ? "" : "s"));
                }
            }
        }
    }

    private void affixes(List<SquatMatch> found, String name, int rank, String normalized) {
        List<String> bases = new ArrayList<>();
        for (String prefix : PREFIXES) {
            bases.add(normalized.startsWith(prefix) ? normalized.substring(prefix.length()) : null);
        }
        for (String suffix : SUFFIXES) {
            bases.add(normalized.endsWith(suffix) ? normalized.substring(0, normalized.length() - suffix.length()) : null);
        }
        if (!normalized.contains("_") && normalized.endsWith("rs") && normalized.length() > 5) {
            bases.add(normalized.substring(0, normalized.length() - 2));
        }
        for (String base : bases) {
            Target target = base == null || base.isEmpty() ? null : named(base);
            // Padding is the plainest imitation: any ranked crate can be its target.
            if (target != null && withinRank(target, PopularCrates.UNRANKED - 1)) {
                consider(found, name, rank, target, Technique.AFFIX, target.name() + " + " + affix(normalized, base));
            }
        }
    }

    /** A popular crate's name plus filler words: {@code url} in {@code url-parse}. */
    private void combos(List<SquatMatch> found, String name, int rank, String normalized) {
        String[] words = NameForms.words(normalized);
        for (int length = words.length - 1; length >= 1; length--) {
            for (int start = 0; start + length <= words.length; start++) {
                if (!allFiller(words, 0, start) || !allFiller(words, start + length, words.length)) {
                    continue;
                }
                String part = String.join("_", Arrays.copyOfRange(words, start, start + length));
                Target target = named(part);
                if (target != null && withinRank(target, settings.wordTargetRank())) {
                    consider(found, name, rank, target, Technique.COMBO, target.name() + " + "
                            + affix(normalized, part));
                }
            }
        }
    }

    /** The targets filed under {@code key}: the project's own first, then the list's not shadowed by them. */
    private List<Target> find(Form form, String key) {
        List<Target> own = direct.find(form, key);
        List<Target> listed = popular.find(form, key);
        if (listed.isEmpty()) {
            return own;
        }
        List<Target> all = new ArrayList<>(own);
        for (Target target : listed) {
            if (direct.named(target.normalized()) == null) {
                all.add(target);
            }
        }
        return all;
    }

    private Target named(String normalized) {
        Target own = direct.named(normalized);
        return own != null ? own : popular.named(normalized);
    }

    /** {@code foo2} next to {@code foo}, or {@code foo3} next to {@code foo2}: names that differ in a version only. */
    private static boolean successor(String name, String target) {
        String base = NameForms.versionless(name);
        String targetBase = NameForms.versionless(target);
        return base != null && (base.equals(target) || base.equals(targetBase))
                || targetBase != null && targetBase.equals(name);
    }

    private static boolean allFiller(String[] words, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!FILLER_WORDS.contains(words[i])) {
                return false;
            }
        }
        return true;
    }

    private static String affix(String name, String base) {
        int at = name.indexOf(base);
        String rest = (name.substring(0, at) + name.substring(at + base.length())).replaceAll("^_+|_+$", "");
        return "'" + rest.replaceAll("_+", "_") + "'";
    }

    private boolean withinRank(Target target, int maxRank) {
        return target.direct() || target.rank() <= maxRank;
    }

    /** Keeps a candidate when the target is worth imitating and the name is far less popular than it. */
    private void consider(List<SquatMatch> found, String name, int rank, Target target, Technique technique,
                          String detail) {
        boolean padding = technique == Technique.AFFIX;
        if (target.normalized().equals(NameForms.normalized(name)) || !padding
                && (target.normalized().equals(TargetIndex.BUILT_IN) || !withinRank(target, settings.maxTargetRank()))) {
            return;
        }
        int gap = technique.closeVariant() ? settings.closeGap() : settings.wordGap();
        boolean obscure = rank >= PopularCrates.UNRANKED || (long) rank >= (long) gap * target.rank();
        if (obscure) {
            found.add(new SquatMatch(name, target.name(), target.rank(), rank, target.direct(), technique, detail));
        }
    }
}
