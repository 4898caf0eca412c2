package dev.warden.cargo.change;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.lock.PackageId;
import dev.warden.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class LockDiffTest {

    private static final String CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

    /** A v4 lockfile from {@code name version [source] [checksum] [-> deps]} lines. */
    private static Lockfile lock(String... entries) {
        StringBuilder text = new StringBuilder("version = 4\n");
        for (String entry : entries) {
            String[] parts = entry.split(" -> ");
            String[] fields = parts[0].split(" ");
            text.append("\n[[package]]\nname = \"").append(fields[0]).append("\"\nversion = \"").append(fields[1])
                    .append("\"\n");
            if (fields.length > 2 && !fields[2].equals("path")) {
                text.append("source = \"").append(fields[2].equals("io") ? CRATES_IO : fields[2]).append("\"\n");
            }
            if (fields.length > 3) {
                text.append("checksum = \"").append(fields[3].repeat(64 / fields[3].length())).append("\"\n");
            }
            if (parts.length > 1) {
                text.append("dependencies = [\n");
                for (String dep : parts[1].split(",")) {
                    text.append(" \"").append(dep.trim()).append("\",\n");
                }
                text.append("]\n");
            }
        }
        return LockfileParser.parse(text.toString(), Path.of("Cargo.lock"));
    }

    private static String describe(List<PackageChange> changes) {
        return changes.stream().map(c -> c.name() + " " + c.versions() + " " + c.kind().label())
                .collect(Collectors.joining("; "));
    }

    @Test
    void identicalLockfilesHaveNoChanges() {
        Lockfile lock = lock("app 0.1.0 path -> serde", "serde 1.0.0 io a");
        assertThat(LockDiff.compare(lock, lock)).isEmpty();
    }

    @Test
    void addedRemovedUpgradedDowngraded() {
        Lockfile before = lock("app 0.1.0 path -> a,b,c", "a 1.0.0 io a", "b 2.3.0 io b", "c 0.4.1 io c");
        Lockfile after = lock("app 0.1.0 path -> a,b,d", "a 1.2.0 io d", "b 2.2.9 io e", "d 0.1.0 io f");
        assertThat(describe(LockDiff.compare(before, after)))
                .isEqualTo("a 1.0.0 → 1.2.0 upgraded; b 2.3.0 → 2.2.9 downgraded; c 0.4.1 (removed) removed; "
                        + "d 0.1.0 (new) added");
    }

    @Test
    void severalVersionsOfOneCratePairWithinTheirCompatibilityRange() {
        Lockfile before = lock("app 0.1.0 path", "syn 1.0.100 io a", "syn 2.0.10 io b");
        Lockfile after = lock("app 0.1.0 path", "syn 1.0.109 io c", "syn 2.0.50 io d", "syn 3.0.0 io e");
        assertThat(describe(LockDiff.compare(before, after)))
                .isEqualTo("syn 1.0.100 → 1.0.109 upgraded; syn 2.0.10 → 2.0.50 upgraded; syn 3.0.0 (new) added");
    }

    @Test
    void aLoneVersionReplacedByAnotherMajorIsAnUpgrade() {
        assertThat(describe(LockDiff.compare(lock("rand 0.7.3 io a"), lock("rand 0.8.5 io b"))))
                .isEqualTo("rand 0.7.3 → 0.8.5 upgraded");
    }

    @Test
    void sourceAndChecksumChanges() {
        String git = "git+https://github.com/evil/serde?branch=main#0123456789abcdef0123456789abcdef01234567";
        Lockfile before = lock("serde 1.0.0 io a", "log 0.4.20 io b", "other 1.0.0 io c");
        Lockfile after = lock("serde 1.0.0 " + git, "log 0.4.20 io f",
                "other 1.0.0 sparse+https://index.crates.io/ c");
        List<PackageChange> changes = LockDiff.compare(before, after);
        assertThat(describe(changes)).isEqualTo("log 0.4.20 checksum-changed; serde 1.0.0 source-changed");
        assertThat(changes.get(0).checksumChanged()).isTrue();
        assertThat(changes.get(1).sourceChanged()).isTrue();
    }

    @Test
    void gitCommitMovesAreTheirOwnKind() {
        String repo = "git+https://github.com/org/dep?rev=";
        Lockfile before = lock("dep 0.1.0 " + repo + "aaaa#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Lockfile after = lock("dep 0.1.0 " + repo + "aaaa#bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        List<PackageChange> changes = LockDiff.compare(before, after);
        assertThat(describe(changes)).isEqualTo("dep 0.1.0 git-commit-changed");
        assertThat(changes.getFirst().gitCommitChanged()).isTrue();
        assertThat(changes.getFirst().sourceChanged()).isFalse();
    }

    @Test
    void patchReleasesFollowCargosCompatibilityRules() {
        assertThat(change("2.1.0", "2.1.1").patchRelease()).isTrue();
        assertThat(change("0.3.9", "0.3.10").patchRelease()).isTrue();
        assertThat(change("1.2.3", "1.3.0").patchRelease()).isFalse();
        assertThat(change("0.0.1", "0.0.2").patchRelease()).isFalse();
        assertThat(change("2.1.1", "2.1.0").patchRelease()).isFalse();
    }

    private static PackageChange change(String from, String to) {
        return LockDiff.compare(lock("x " + from + " io a"), lock("x " + to + " io b")).getFirst();
    }

    @Test
    void newCratesAreTracedToTheExistingCratesThatPulledThemIn() {
        Lockfile before = lock("app 0.1.0 path -> util", "util 2.1.0 io a");
        Lockfile after = lock("app 0.1.0 path -> util", "util 2.1.1 io b -> helper", "helper 0.1.0 io c -> payload",
                "payload 0.1.0 io d");
        Map<PackageId, List<PackageId>> introducers = Change.between(new Base(before, "before"), after).introducers();
        assertThat(introducers).hasSize(2);
        introducers.values().forEach(by -> assertThat(by).extracting(PackageId::nameAndVersion)
                .containsExactly("util 2.1.1"));
    }

    /**
     * On every consecutive pair of real lockfiles: each package only in the old file is the old side of exactly one
     * change, each package only in the new file the new side of exactly one, and unchanged packages of none.
     */
    @Test
    void realHistoriesAccountForEveryPackageExactlyOnce() {
        for (String project : List.of("BurntSushi__ripgrep", "alacritty__alacritty")) {
            List<Path> files = Corpus.files(Corpus.bundled("lockfiles-history/" + project), ".lock");
            assertThat(files).hasSize(10);
            for (int i = 1; i < files.size(); i++) {
                Lockfile before = LockfileParser.parse(files.get(i - 1));
                Lockfile after = LockfileParser.parse(files.get(i));
                List<PackageChange> changes = LockDiff.compare(before, after);
                assertAccounted(before, after, changes, files.get(i).getFileName().toString());
                List<PackageChange> reverse = LockDiff.compare(after, before);
                assertThat(reverse).hasSameSizeAs(changes);
                assertThat(reverse.stream().filter(c -> c.before() == null).count())
                        .isEqualTo(changes.stream().filter(c -> c.after() == null).count());
            }
        }
    }

    private static void assertAccounted(Lockfile before, Lockfile after, List<PackageChange> changes, String name) {
        Set<PackageId> oldIds = ids(before);
        Set<PackageId> newIds = ids(after);
        Map<PackageId, Integer> oldSides = new HashMap<>();
        Map<PackageId, Integer> newSides = new HashMap<>();
        for (PackageChange change : changes) {
            if (change.before() != null) {
                oldSides.merge(change.before().id(), 1, Integer::sum);
            }
            if (change.after() != null) {
                newSides.merge(change.after().id(), 1, Integer::sum);
            }
        }
        Set<PackageId> onlyOld = new HashSet<>(oldIds);
        onlyOld.removeAll(newIds);
        Set<PackageId> onlyNew = new HashSet<>(newIds);
        onlyNew.removeAll(oldIds);
        assertThat(oldSides.values()).as(name).allMatch(n -> n == 1);
        assertThat(newSides.values()).as(name).allMatch(n -> n == 1);
        assertThat(oldSides.keySet()).as(name).containsAll(onlyOld);
        assertThat(newSides.keySet()).as(name).containsAll(onlyNew);
        // A package on both sides is only reported when its checksum moved.
        for (PackageChange change : changes) {
            if (change.before() != null && change.after() != null && change.before().id().equals(change.after().id())) {
                assertThat(change.checksumChanged()).as(name + " " + change.name()).isTrue();
            }
        }
    }

    private static Set<PackageId> ids(Lockfile lockfile) {
        return lockfile.packages().stream().map(LockedPackage::id).collect(Collectors.toSet());
    }

    @Test
    void realUpdatesReadAsTheirCommitSubjectsSay() {
        Path ripgrep = Corpus.bundled("lockfiles-history/BurntSushi__ripgrep");
        // "deps: bump crossbeam-channel from 0.5.13 to 0.5.15"
        assertThat(describe(LockDiff.compare(LockfileParser.parse(ripgrep.resolve("2025-02-27_de4baa1002.lock")),
                LockfileParser.parse(ripgrep.resolve("2025-04-10_6dfaec03e8.lock")))))
                .isEqualTo("crossbeam-channel 0.5.13 → 0.5.15 upgraded");
        // "deps: switch to tikv-jemallocator"
        assertThat(describe(LockDiff.compare(LockfileParser.parse(ripgrep.resolve("2025-09-19_52115ab633.lock")),
                LockfileParser.parse(ripgrep.resolve("2025-09-19_53279db414.lock")))))
                .contains("tikv-jemallocator", "added").contains("jemallocator", "removed");
        // The v3 → v4 format switch alone ("deps: update to PCRE2 10.46") changes only the pcre2 crates.
        assertThat(LockDiff.compare(LockfileParser.parse(ripgrep.resolve("2025-09-19_53279db414.lock")),
                LockfileParser.parse(ripgrep.resolve("2025-09-21_81bed78654.lock"))))
                .extracting(PackageChange::name).allMatch(n -> n.contains("pcre2"));
    }
}
