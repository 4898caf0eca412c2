package dev.warden.recon.typosquat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the popular crate a name imitates. Every target is indexed once under each of its {@link NameForms}, and
 * under every one-character deletion of its skeleton (a symmetric-deletion index: two names within one or two
 * edits share a deletion), so checking a name is a handful of hash lookups — no loop over the popular list.
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
     * The compiler's own {@code proc_macro} crate is not on crates.io, yet {@code proc-macro-en} imitated it; it is a
     * target for padding only (as a word it names a whole family: {@code proc-macro-crate}, {@code proc-macro-error}).
     */
    private static final String BUILT_IN = "proc_macro";
    /**
     * Words that add nothing to a name. A popular name plus one of these is a combosquat candidate; a popular name
     * plus a real word ({@code serde_json}, {@code tokio-tungstenite}) is how crate families are named.
     */
    private static final Set<String> FILLER_WORDS = Set.of("parse", "parser", "parsing", "util", "utils", "helper",
            "helpers", "tool", "tools", "sdk", "cli", "api", "rs", "rust", "ext", "extra", "plus", "pro",
            "new", "next", "fixed", "fork", "official", "main", "check", "checks", "update", "updater", "installer",
            "loader", "setup", "v2", "v3", "dev", "master");

    private record Target(String name, String normalized, String skeleton, int rank, boolean direct) {
    }

    private final Settings settings;
    private final List<Target> targets = new ArrayList<>();
    private final Map<String, Integer> byNormalized = new HashMap<>();
    private final Map<String, int[]> bySkeleton = new HashMap<>();
    private final Map<String, int[]> byConfusable = new HashMap<>();
    private final Map<String, int[]> byCollapsed = new HashMap<>();
    private final Map<String, int[]> byVersionless = new HashMap<>();
    private final Map<String, int[]> bySortedWords = new HashMap<>();
    private final Map<String, int[]> byDeletion = new HashMap<>();
    private final Map<String, int[]> byFamilyBase = new HashMap<>();
    private final Map<String, int[]> byShortVariant = new HashMap<>();

    /** @param direct the project's direct dependencies, which are targets too whatever their popularity */
    public TyposquatDetector(PopularCrates popular, Collection<String> direct, Settings settings) {
        this.settings = settings;
        Set<String> directNames = new HashSet<>();
        for (String name : direct) {
            directNames.add(NameForms.normalized(name));
        }
        for (PopularCrates.Entry entry : popular.entries()) {
            add(entry.name(), entry.rank(), directNames.remove(entry.normalized()));
        }
        for (String name : direct) {
            if (directNames.remove(NameForms.normalized(name))) {
                add(name, PopularCrates.UNRANKED, true);
            }
        }
        add(BUILT_IN, 1, false);
    }

    private void add(String name, int rank, boolean direct) {
        String normalized = NameForms.normalized(name);
        if (byNormalized.containsKey(normalized)) {
            return;
        }
        int id = targets.size();
        if (rank > settings.maxTargetRank() && !direct) {
            // Only the exact name matters for crates nobody would bother to imitate (most of the list): no forms.
            targets.add(new Target(name, normalized, null, rank, false));
            byNormalized.put(normalized, id);
            return;
        }
        String skeleton = NameForms.skeleton(normalized);
        targets.add(new Target(name, normalized, skeleton, rank, direct));
        byNormalized.put(normalized, id);
        post(bySkeleton, skeleton, id);
        post(byConfusable, NameForms.confusable(skeleton), id);
        post(byCollapsed, NameForms.skeleton(NameForms.collapsed(normalized)), id);
        String versionless = NameForms.versionless(normalized);
        post(byVersionless, versionless == null ? normalized : versionless, id);
        String sorted = NameForms.sortedWords(normalized);
        if (sorted != null) {
            post(bySortedWords, sorted, id);
        }
        if (skeleton.length() >= 5) {
            for (String deletion : NameForms.deletions(skeleton)) {
                post(byDeletion, deletion, id);
            }
        } else if (skeleton.length() == 4 && rank <= TOP_TARGET_RANK) {
            for (String variant : shortVariants(skeleton)) {
                post(byShortVariant, variant, id);
            }
        }
        String base = familyBase(normalized);
        if (base != null && (direct || rank <= settings.wordTargetRank())) {
            post(byFamilyBase, base, id);
        }
    }

    /** Family affixes a squat may drop to claim the plain name: {@code core-foundation} → {@code foundation}. */
    private static final List<String> FAMILY_PREFIXES = List.of("core_", "lib");
    private static final List<String> FAMILY_SUFFIXES = List.of("_sys", "_rs");
    /**
     * The most popular crates: the only targets for slips of four-letter names (short names collide by chance) and
     * for a version number added to a name.
     */
    private static final int TOP_TARGET_RANK = 100;

    private static String familyBase(String normalized) {
        for (String prefix : FAMILY_PREFIXES) {
            if (normalized.startsWith(prefix) && normalized.length() - prefix.length() >= 4
                    && (prefix.endsWith("_") || normalized.charAt(prefix.length()) != '_')) {
                return normalized.substring(prefix.length());
            }
        }
        for (String suffix : FAMILY_SUFFIXES) {
            if (normalized.endsWith(suffix) && normalized.length() - suffix.length() >= 3) {
                return normalized.substring(0, normalized.length() - suffix.length());
            }
        }
        return null;
    }

    /**
     * The slips a four-letter name allows without becoming another word: two letters after the first swapped
     * ({@code rnad}, {@code lbic}), the last letter replaced ({@code ranf}); keyed as the slipped name's skeleton,
     * or its first three letters plus '?' for the replaced last letter.
     */
    private static List<String> shortVariants(String skeleton) {
        List<String> variants = new ArrayList<>();
        for (int i = 1; i + 1 < skeleton.length(); i++) {
            char[] swapped = skeleton.toCharArray();
            char c = swapped[i];
            swapped[i] = swapped[i + 1];
            swapped[i + 1] = c;
            if (swapped[i] != swapped[i + 1]) {
                variants.add(new String(swapped));
            }
        }
        variants.add(skeleton.substring(0, 3) + '?');
        return variants;
    }

    private static void post(Map<String, int[]> index, String key, int id) {
        index.merge(key, new int[] {id}, (old, one) -> {
            int[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = id;
            return grown;
        });
    }

    /** The crate {@code name} most likely imitates, if any; names equal to a target are never matches. */
    public Optional<SquatMatch> check(String name) {
        String normalized = NameForms.normalized(name);
        Integer self = byNormalized.get(normalized);
        int rank = self == null ? PopularCrates.UNRANKED : targets.get(self).rank();
        boolean direct = self != null && targets.get(self).direct();
        String skeleton = NameForms.skeleton(normalized);
        List<SquatMatch> found = new ArrayList<>();

        for (int id : ids(bySkeleton, skeleton)) {
            consider(found, name, rank, id, Technique.SEPARATOR, targets.get(id).name() + " with other separators");
        }
        for (int id : ids(byConfusable, NameForms.confusable(skeleton))) {
            if (!targets.get(id).skeleton().equals(skeleton)) {
                consider(found, name, rank, id, Technique.HOMOGLYPH, targets.get(id).name() + " with look-alike letters");
            }
        }
        String sorted = NameForms.sortedWords(normalized);
        if (sorted != null) {
            for (int id : ids(bySortedWords, sorted)) {
                consider(found, name, rank, id, Technique.WORD_ORDER, targets.get(id).name() + " with its words swapped");
            }
        }
        for (int id : ids(byCollapsed, NameForms.skeleton(NameForms.collapsed(normalized)))) {
            if (!targets.get(id).skeleton().equals(skeleton)) {
                consider(found, name, rank, id, Technique.DOUBLING, targets.get(id).name() + " with a letter doubled");
            }
        }
        for (String suffix : List.of("es", "s")) {
            String singular = skeleton.endsWith(suffix) ? skeleton.substring(0, skeleton.length() - suffix.length()) : "";
            if (singular.length() >= 3) {
                for (int id : ids(bySkeleton, singular)) {
                    consider(found, name, rank, id, Technique.PLURAL, targets.get(id).name() + " in the plural");
                }
            }
        }
        String versionless = NameForms.versionless(normalized);
        if (versionless != null) {
            int number = NameForms.versionNumber(normalized);
            for (int id : ids(byVersionless, versionless)) {
                // foo2 after foo, or foo3 after foo2, is how Rust names successors; foo1 next to foo2 is not.
                int targetNumber = NameForms.versionNumber(targets.get(id).normalized());
                if (number >= 0 && targetNumber > number && targetNumber - number <= 2) {
                    consider(found, name, rank, id, Technique.VERSION, targets.get(id).name()
                            + " with an older version number");
                } else if (number >= 0 && targetNumber < 0 && rank >= PopularCrates.UNRANKED
                        && targets.get(id).rank() <= TOP_TARGET_RANK) {
                    // tokio2, serde2 (typomania's version check). Successors of less central crates are how Rust
                    // renames forks of abandoned ones (adler2, yaml-rust2, proc-macro-error2): not counted.
                    consider(found, name, rank, id, Technique.VERSION, targets.get(id).name()
                            + " with a version number added");
                }
            }
        }
        typos(found, name, rank, normalized, skeleton);
        affixes(found, name, rank, normalized);
        for (int id : ids(byFamilyBase, normalized)) {
            consider(found, name, rank, id, Technique.AFFIX, targets.get(id).name() + " without its "
                    + affix(targets.get(id).normalized(), normalized) + " affix");
        }
        combos(found, name, rank, normalized);

        // Two direct dependencies that look alike were both chosen by the project's authors, unless the one imitated
        // is a popular crate (a `serd` next to `serde` is the classic slip).
        return found.stream().filter(m -> !(direct && m.direct() && m.targetRank() >= PopularCrates.UNRANKED)).min(Comparator.comparing(SquatMatch::technique)
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
            Set<Integer> short4 = new HashSet<>();
            for (int id : ids(byShortVariant, skeleton)) {
                short4.add(id);
            }
            for (int id : ids(byShortVariant, skeleton.substring(0, 3) + '?')) {
                if (targets.get(id).skeleton().length() == 4) {
                    short4.add(id);
                }
            }
            for (int id : short4) {
                if (!targets.get(id).skeleton().equals(skeleton)) {
                    consider(found, name, rank, id, Technique.TYPO, targets.get(id).name() + " with 1 edit");
                }
            }
        }
        Set<Integer> seen = new HashSet<>();
        for (String deletion : NameForms.deletions(skeleton)) {
            for (int id : ids(byDeletion, deletion)) {
                Target target = targets.get(id);
                if (!seen.add(id) || target.skeleton().equals(skeleton) || successor(normalized, target.normalized())
                        || target.skeleton().charAt(0) != skeleton.charAt(0)) {
                    continue;
                }
                int limit = target.skeleton().length() >= 12 ? 2 : 1;
                int distance = NameForms.distance(skeleton, target.skeleton(), limit);
                // Plain typos of a direct dependency that is not popular itself are chance resemblances
                // (revm-inspector next to revm_inspectors): only its close tricks (separators, look-alikes) count.
                if (distance <= limit && target.rank() <= settings.typoTargetRank()) {
                    consider(found, name, rank, id, Technique.TYPO, target.name() + " with " + distance + " edit"
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
            Integer id = base == null || base.isEmpty() ? null : byNormalized.get(base);
            // Padding is the plainest imitation: any ranked crate can be its target.
            if (id != null && withinRank(targets.get(id), PopularCrates.UNRANKED - 1)) {
                consider(found, name, rank, id, Technique.AFFIX, targets.get(id).name() + " + "
                        + affix(normalized, base));
            }
        }
    }

    /** A popular crate's name plus filler words: {@code url} in {@code url-parse}. */
    private void combos(List<SquatMatch> found, String name, int rank, String normalized) {
        String[] words = normalized.split("_+");
        for (int length = words.length - 1; length >= 1; length--) {
            for (int start = 0; start + length <= words.length; start++) {
                if (!allFiller(words, 0, start) || !allFiller(words, start + length, words.length)) {
                    continue;
                }
                String part = String.join("_", Arrays.copyOfRange(words, start, start + length));
                Integer id = byNormalized.get(part);
                if (id != null && withinRank(targets.get(id), settings.wordTargetRank())) {
                    consider(found, name, rank, id, Technique.COMBO, targets.get(id).name() + " + "
                            + affix(normalized, part));
                }
            }
        }
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
    private void consider(List<SquatMatch> found, String name, int rank, int id, Technique technique, String detail) {
        Target target = targets.get(id);
        boolean padding = technique == Technique.AFFIX;
        if (target.normalized().equals(NameForms.normalized(name))
                || !padding && (target.normalized().equals(BUILT_IN) || !withinRank(target, settings.maxTargetRank()))) {
            return;
        }
        int gap = technique.closeVariant() ? settings.closeGap() : settings.wordGap();
        boolean obscure = rank >= PopularCrates.UNRANKED || (long) rank >= (long) gap * target.rank();
        if (obscure) {
            found.add(new SquatMatch(name, target.name(), target.rank(), rank, target.direct(), technique, detail));
        }
    }

    private static int[] ids(Map<String, int[]> index, String key) {
        int[] ids = index.get(key);
        return ids == null ? new int[0] : ids;
    }
}
