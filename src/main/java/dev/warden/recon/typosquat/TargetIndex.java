package dev.warden.recon.typosquat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The crates worth imitating, indexed under every {@link Form} the {@link TyposquatDetector} compares names in: a
 * table from (form, key) to the targets filed under it. The embedded popular list is packed into this form when
 * Warden is built ({@link #write}, {@link #read}), so a gate loads it as a few arrays instead of computing 120,000
 * name forms of 23,000 crates at every start (a quarter of a gate's time on a large lockfile); a user's list and the
 * project's direct dependencies are packed in memory the same way. Hand-written: no library offers an immutable
 * string multimap that loads without rehashing every key.
 *
 * <p>Layout (big-endian): magic, format, the settings it was built with, description, then int arrays — targets
 * (rank, name offset, name length, flags), keys (form, offset, length, first posting, posting count), an
 * open-addressing slot table (key number + 1, 0 = empty), postings (target ids) — and the ASCII text of names and keys.
 */
final class TargetIndex {

    /** The spellings a target is filed under; see {@link NameForms}. */
    enum Form {
        NORMALIZED, SKELETON, CONFUSABLE, COLLAPSED, VERSIONLESS, SORTED_WORDS, DELETION, FAMILY_BASE, SHORT_VARIANT
    }

    /**
     * One crate worth imitating.
     *
     * @param skeleton null when the target is indexed under its exact name only (too obscure to imitate)
     * @param direct   a direct dependency of the project, which is a target whatever its popularity
     */
    record Target(String name, String normalized, String skeleton, int rank, boolean direct) {
    }

    /** The most popular crates: the only targets for slips of four-letter names and for a version number added. */
    static final int TOP_TARGET_RANK = 100;
    /**
     * The compiler's own {@code proc_macro} crate is not on crates.io, yet {@code proc-macro-en} imitated it; it is a
     * target for padding only (as a word it names a whole family: {@code proc-macro-crate}, {@code proc-macro-error}).
     */
    static final String BUILT_IN = "proc_macro";
    /** Family affixes a squat may drop to claim the plain name: {@code core-foundation} → {@code foundation}. */
    private static final List<String> FAMILY_PREFIXES = List.of("core_", "lib");
    private static final List<String> FAMILY_SUFFIXES = List.of("_sys", "_rs");

    private static final int MAGIC = 0x57545158; // "WTQX"
    private static final int FORMAT = 1;
    private static final int TARGET_INTS = 4;
    private static final int KEY_INTS = 5;
    private static final int HAS_FORMS = 1;
    private static final int DIRECT = 2;
    private static final List<Target> NONE = List.of();

    private final int maxTargetRank;
    private final int wordTargetRank;
    private final String description;
    private final int[] targets;
    private final int[] keys;
    private final int[] slots;
    private final int[] postings;
    private final byte[] text;
    /** Targets decoded on first use: a gate looks at a few hundred of the 23,000. */
    private final Target[] decoded;

    private TargetIndex(int maxTargetRank, int wordTargetRank, String description, int[] targets, int[] keys,
                        int[] slots, int[] postings, byte[] text) {
        this.maxTargetRank = maxTargetRank;
        this.wordTargetRank = wordTargetRank;
        this.description = description;
        this.targets = targets;
        this.keys = keys;
        this.slots = slots;
        this.postings = postings;
        this.text = text;
        this.decoded = new Target[targets.length / TARGET_INTS];
    }

    static Builder builder(TyposquatDetector.Settings settings) {
        return new Builder(settings.maxTargetRank(), settings.wordTargetRank());
    }

    /** Whether this index was built with the forms {@code settings} asks for. */
    boolean builtFor(TyposquatDetector.Settings settings) {
        return settings.maxTargetRank() == maxTargetRank && settings.wordTargetRank() == wordTargetRank;
    }

    String description() {
        return description;
    }

    int size() {
        return decoded.length;
    }

    Target target(int id) {
        Target target = decoded[id];
        if (target == null) {
            int at = id * TARGET_INTS;
            String name = new String(text, targets[at + 1], targets[at + 2], StandardCharsets.ISO_8859_1);
            String normalized = NameForms.normalized(name);
            int flags = targets[at + 3];
            target = new Target(name, normalized, (flags & HAS_FORMS) != 0 ? NameForms.skeleton(normalized) : null,
                    targets[at], (flags & DIRECT) != 0);
            decoded[id] = target;
        }
        return target;
    }

    /** The targets filed under {@code key} as {@code form}. */
    List<Target> find(Form form, String key) {
        int mask = slots.length - 1;
        for (int slot = hash(form, key) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            int at = (slots[slot] - 1) * KEY_INTS;
            if (keys[at] == form.ordinal() && sameText(keys[at + 1], keys[at + 2], key)) {
                List<Target> found = new ArrayList<>(keys[at + 4]);
                for (int i = 0; i < keys[at + 4]; i++) {
                    found.add(target(postings[keys[at + 3] + i]));
                }
                return found;
            }
        }
        return NONE;
    }

    /** The target whose normalized name is {@code normalized}, or null. */
    Target named(String normalized) {
        List<Target> found = find(Form.NORMALIZED, normalized);
        return found.isEmpty() ? null : found.getFirst();
    }

    private boolean sameText(int offset, int length, String key) {
        if (length != key.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((text[offset + i] & 0xff) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Fixed here (not {@link String#hashCode}'s contract) because packed tables are read by later builds. */
    private static int hash(Form form, String key) {
        int h = form.ordinal() + 1;
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    byte[] write() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(maxTargetRank);
            out.writeInt(wordTargetRank);
            out.writeUTF(description);
            for (int[] array : List.of(targets, keys, slots, postings)) {
                out.writeInt(array.length);
                for (int value : array) {
                    out.writeInt(value);
                }
            }
            out.writeInt(text.length);
            out.write(text);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what {@link #write} wrote; null when {@code data} is not such an index (its caller then builds one). */
    static TargetIndex read(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        if (data.length < 20 || in.getInt() != MAGIC || in.getInt() != FORMAT) {
            return null;
        }
        int maxTargetRank = in.getInt();
        int wordTargetRank = in.getInt();
        byte[] utf = new byte[in.getShort() & 0xffff];
        in.get(utf);
        String description = new String(utf, StandardCharsets.UTF_8);
        int[][] arrays = new int[4][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new int[in.getInt()];
            in.asIntBuffer().get(arrays[i]);
            in.position(in.position() + arrays[i].length * Integer.BYTES);
        }
        byte[] text = new byte[in.getInt()];
        in.get(text);
        return new TargetIndex(maxTargetRank, wordTargetRank, description, arrays[0], arrays[1], arrays[2], arrays[3],
                text);
    }

    /** Collects targets and their forms, then packs them. */
    static final class Builder {

        private record Key(Form form, String text) {
        }

        private final int maxTargetRank;
        private final int wordTargetRank;
        private final List<Target> added = new ArrayList<>();
        private final Map<Key, List<Integer>> filed = new LinkedHashMap<>();
        private final Map<String, Integer> byNormalized = new HashMap<>();

        private Builder(int maxTargetRank, int wordTargetRank) {
            this.maxTargetRank = maxTargetRank;
            this.wordTargetRank = wordTargetRank;
        }

        /**
         * Files a target under its forms. A name already added (as crates.io compares names) is skipped, and so is
         * one that is not ASCII: crates.io allows no other names, so nobody can publish a crate imitating it.
         */
        Builder add(String name, int rank, boolean direct) {
            String normalized = NameForms.normalized(name);
            if (byNormalized.containsKey(normalized) || !name.chars().allMatch(c -> c < 0x80)) {
                return this;
            }
            int id = added.size();
            byNormalized.put(normalized, id);
            file(Form.NORMALIZED, normalized, id);
            if (rank > maxTargetRank && !direct) {
                // Only the exact name matters for crates nobody would bother to imitate (most of the list): no forms.
                added.add(new Target(name, normalized, null, rank, false));
                return this;
            }
            String skeleton = NameForms.skeleton(normalized);
            added.add(new Target(name, normalized, skeleton, rank, direct));
            file(Form.SKELETON, skeleton, id);
            file(Form.CONFUSABLE, NameForms.confusable(skeleton), id);
            file(Form.COLLAPSED, NameForms.skeleton(NameForms.collapsed(normalized)), id);
            String versionless = NameForms.versionless(normalized);
            file(Form.VERSIONLESS, versionless == null ? normalized : versionless, id);
            String sorted = NameForms.sortedWords(normalized);
            if (sorted != null) {
                file(Form.SORTED_WORDS, sorted, id);
            }
            if (skeleton.length() >= 5) {
                for (String deletion : NameForms.deletions(skeleton)) {
                    file(Form.DELETION, deletion, id);
                }
            } else if (skeleton.length() == 4 && rank <= TOP_TARGET_RANK) {
                for (String variant : shortVariants(skeleton)) {
                    file(Form.SHORT_VARIANT, variant, id);
                }
            }
            String base = familyBase(normalized);
            if (base != null && (direct || rank <= wordTargetRank)) {
                file(Form.FAMILY_BASE, base, id);
            }
            return this;
        }

        private void file(Form form, String key, int id) {
            List<Integer> ids = filed.computeIfAbsent(new Key(form, key), k -> new ArrayList<>(1));
            if (ids.isEmpty() || ids.getLast() != id) {
                ids.add(id);
            }
        }

        TargetIndex build(String description) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int[] targets = new int[added.size() * TARGET_INTS];
            for (int id = 0; id < added.size(); id++) {
                Target target = added.get(id);
                int at = id * TARGET_INTS;
                targets[at] = target.rank();
                targets[at + 1] = text.size();
                targets[at + 2] = target.name().length();
                targets[at + 3] = (target.skeleton() != null ? HAS_FORMS : 0) | (target.direct() ? DIRECT : 0);
                text.writeBytes(target.name().getBytes(StandardCharsets.ISO_8859_1));
            }
            int[] keys = new int[filed.size() * KEY_INTS];
            int[] slots = new int[Math.max(2, Integer.highestOneBit(Math.max(1, filed.size())) << 2)];
            int[] postings = new int[filed.values().stream().mapToInt(List::size).sum()];
            int key = 0;
            int posted = 0;
            for (Map.Entry<Key, List<Integer>> entry : filed.entrySet()) {
                Key k = entry.getKey();
                int at = key * KEY_INTS;
                keys[at] = k.form().ordinal();
                keys[at + 1] = text.size();
                keys[at + 2] = k.text().length();
                keys[at + 3] = posted;
                keys[at + 4] = entry.getValue().size();
                text.writeBytes(k.text().getBytes(StandardCharsets.ISO_8859_1));
                for (int id : entry.getValue()) {
                    postings[posted++] = id;
                }
                int mask = slots.length - 1;
                int slot = hash(k.form(), k.text()) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = ++key;
            }
            return new TargetIndex(maxTargetRank, wordTargetRank, description, targets, keys, slots, postings,
                    text.toByteArray());
        }
    }

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

    @Override
    public String toString() {
        return description + " (" + size() + " targets, " + keys.length / KEY_INTS + " keys)";
    }

    /** Every target, in the order they were added. */
    List<Target> targets() {
        List<Target> all = new ArrayList<>(size());
        for (int id = 0; id < size(); id++) {
            all.add(target(id));
        }
        return all;
    }
}
