package dev.warden.cargo.lock;

import dev.warden.cargo.semver.Version;
import dev.warden.core.WardenException;
import dev.warden.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockfileParserTest {

    private static final Path FILE = Path.of("Cargo.lock");
    private static final String CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

    private static Lockfile parse(String text) {
        return LockfileParser.parse(text, FILE);
    }

    private static LockedPackage only(Lockfile lockfile, String name) {
        List<LockedPackage> named = lockfile.named(name);
        assertThat(named).hasSize(1);
        return named.getFirst();
    }

    @Test
    void version1WithRootTableAndNoChecksums() {
        Lockfile lock = LockfileParser.parse(Corpus.bundled(
                "lockfiles-oldformat/rust-lang__cargo/2014-08-04_07b9c7028a_v1-root-nochecksum.lock"));
        assertThat(lock.version()).isEqualTo(1);
        assertThat(lock.packages()).hasSize(8);
        LockedPackage root = only(lock, "cargo");
        assertThat(root.source()).isNull();
        assertThat(root.version()).isEqualTo(Version.parse("0.0.1-pre"));
        assertThat(root.dependencies()).extracting(PackageId::name)
                .containsExactly("docopt", "docopt_macros", "hamcrest", "semver", "toml", "url");
        LockedPackage url = only(lock, "url");
        assertThat(url.source().isGit()).isTrue();
        assertThat(url.source().precise()).isEqualTo("3d54552e06062835edf8b8e3a8664272e2fdab61");
        assertThat(url.source().reference()).isEqualTo(GitReference.DEFAULT);
        assertThat(url.dependencies()).extracting(PackageId::name).containsExactly("encoding");
        assertThat(lock.packages()).allMatch(p -> p.checksum() == null);
    }

    @Test
    void version1TakesChecksumsFromTheMetadataTable() {
        Lockfile lock = LockfileParser.parse(Corpus.bundled(
                "lockfiles-oldformat/rust-lang__cargo/2017-10-15_2e615644c8_v1-root.lock"));
        assertThat(lock.version()).isEqualTo(1);
        assertThat(only(lock, "advapi32-sys").checksum())
                .isEqualTo("e06588080cb19d0acb6739808aafa5f26bfb2ca015b2b6370028b44cf7cb8a9a");
        assertThat(lock.packages().stream().filter(p -> p.source() != null && p.source().isCratesIo()))
                .allMatch(p -> p.checksum() != null && p.checksum().length() == 64);
        assertThat(only(lock, "cargo").checksum()).isNull();
    }

    @Test
    void version1ReplaceEntriesResolveToTheReplacementPackage() {
        Lockfile lock = LockfileParser.parse(Corpus.bundled(
                "lockfiles-oldformat/tikv__tikv/2019-09-11_a55605294b_v1.lock"));
        LockedPackage replaced = lock.named("protobuf").stream()
                .filter(p -> p.replace() != null).findFirst().orElseThrow();
        assertThat(replaced.source().isCratesIo()).isTrue();
        assertThat(replaced.replace().source().isGit()).isTrue();
        assertThat(replaced.replace().source().reference())
                .isEqualTo(new GitReference(GitReference.Kind.BRANCH, "v2.8"));
        assertThat(lock.find(replaced.replace())).isPresent();
    }

    @Test
    void version2ShortFormsAndInlineChecksums() {
        Lockfile lock = LockfileParser.parse(Corpus.bundled(
                "lockfiles-oldformat/BurntSushi__ripgrep/2021-01-25_7899a4b931_v2.lock"));
        assertThat(lock.version()).isEqualTo(2);
        assertThat(only(lock, "aho-corasick").checksum()).hasSize(64);
        assertThat(only(lock, "aho-corasick").dependencies())
                .containsExactly(new PackageId("memchr", Version.parse("2.3.4"), SourceId.parse(CRATES_IO)));
    }

    @Test
    void versions3And4AreDeclared() {
        assertThat(LockfileParser.parse(Corpus.bundled(
                "lockfiles-oldformat/BurntSushi__ripgrep/2025-09-19_53279db414_v3.lock")).version()).isEqualTo(3);
        Lockfile foundry = LockfileParser.parse(Corpus.bundled("lockfiles/foundry-rs__foundry/Cargo.lock"));
        assertThat(foundry.version()).isEqualTo(4);
        assertThat(foundry.packages()).hasSize(1209);
        assertThat(foundry.packages().stream().filter(p -> p.source() != null && p.source().isGit())).hasSize(62);
        assertThat(foundry.packages().stream().filter(p -> p.source() == null)).hasSize(39);
    }

    @Test
    void resolvesAmbiguousShortFormsTheWayCargoDoes() {
        Lockfile lock = parse("""
                version = 3

                [[package]]
                name = "app"
                version = "0.1.0"
                dependencies = [
                 "rand 0.7.3",
                 "rand 0.8.5",
                 "log",
                 "dup 1.0.0 (git+https://github.com/o/dup?branch=main#abc)",
                 "local 1.0.0",
                ]

                [[package]]
                name = "rand"
                version = "0.7.3"
                source = "registry+https://github.com/rust-lang/crates.io-index"

                [[package]]
                name = "rand"
                version = "0.8.5"
                source = "registry+https://github.com/rust-lang/crates.io-index"

                [[package]]
                name = "log"
                version = "0.4.0"
                source = "sparse+https://index.crates.io/"

                [[package]]
                name = "dup"
                version = "1.0.0"
                source = "registry+https://github.com/rust-lang/crates.io-index"

                [[package]]
                name = "dup"
                version = "1.0.0"
                source = "git+https://github.com/o/dup?branch=main#abc"

                [[package]]
                name = "local"
                version = "1.0.0"

                [[package]]
                name = "local"
                version = "1.0.0"
                source = "registry+https://github.com/rust-lang/crates.io-index"
                """);
        LockedPackage app = only(lock, "app");
        assertThat(app.dependencies()).extracting(PackageId::toString).containsExactly(
                "rand 0.7.3 (" + CRATES_IO + ")",
                "rand 0.8.5 (" + CRATES_IO + ")",
                "log 0.4.0 (sparse+https://index.crates.io/)",
                "dup 1.0.0 (git+https://github.com/o/dup?branch=main#abc)",
                "local 1.0.0");
        assertThat(only(lock, "log").source().isCratesIo()).isTrue();
        // Cargo's own sort: by name, then version, then source.
        assertThat(lock.packages()).extracting(p -> p.name()).containsExactly(
                "app", "dup", "dup", "local", "local", "log", "rand", "rand");
    }

    @Test
    void gitSourcesMatchIgnoringTheLockedCommitAndDecodeVersion4Escapes() {
        Lockfile lock = parse("""
                version = 4

                [[package]]
                name = "app"
                version = "0.1.0"
                dependencies = ["lib 0.1.0 (git+https://github.com/Org/Lib.git?branch=feature%2Fx)"]

                [[package]]
                name = "lib"
                version = "0.1.0"
                source = "git+https://github.com/org/lib?branch=feature%2Fx#0123456789abcdef"
                """);
        LockedPackage lib = only(lock, "lib");
        assertThat(lib.source().reference()).isEqualTo(new GitReference(GitReference.Kind.BRANCH, "feature/x"));
        assertThat(lib.source().reference().isPinned()).isFalse();
        assertThat(only(lock, "app").dependencies()).containsExactly(lib.id());
    }

    @Test
    void recordsUnusedPatches() {
        Lockfile lock = parse("""
                version = 3
                [[package]]
                name = "a"
                version = "1.0.0"

                [[patch.unused]]
                name = "b"
                version = "2.0.0"
                source = "git+https://example.com/b#1234"
                """);
        assertThat(lock.unusedPatches()).extracting(PackageId::nameAndVersion).containsExactly("b 2.0.0");
    }

    private static void rejects(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(WardenException.class).hasMessage(message);
    }

    @Test
    void refusesLockfileVersionsNewerThanItKnows() {
        rejects("# generated\nversion = 5\n", "Cargo.lock:2: lock file version 5 is not supported: Warden reads versions"
                + " 1 to 4 (a newer Cargo wrote it; update Warden)");
    }

    /**
     * Cargo reads a lockfile whose dependency names no package (or several) by dropping the reference and
     * re-resolving (cargo's EncodableResolve::into_resolve skips what lookup_id cannot find); Warden reads it the
     * same way and records each drop, which makes the lockfile out of date — `cargo build --locked` would fail.
     */
    @Test
    void danglingDependenciesAreDroppedAsCargoDropsThemAndRecorded() {
        Lockfile lockfile = parse("""
                version = 3
                [[package]]
                name = "a"
                version = "1.0.0"
                dependencies = [
                 "b",
                 "c 1.0.0",
                ]
                [[package]]
                name = "b"
                version = "1.0.0"
                """);
        assertThat(lockfile.named("a").getFirst().dependencies()).extracting(PackageId::name).containsExactly("b");
        assertThat(lockfile.dropped()).singleElement().asString().startsWith("Cargo.lock:7: 'a 1.0.0' depends on "
                + "'c 1.0.0', which is not a package in this lockfile (truncated or edited by hand?); Cargo drops the "
                + "reference").endsWith("(cargo build --locked would fail)");
    }

    @Test
    void ambiguousReferencesAreDroppedToo() {
        Lockfile lockfile = parse("""
                version = 3
                [[package]]
                name = "a"
                version = "1.0.0"
                dependencies = ["b"]
                [[package]]
                name = "b"
                version = "1.0.0"
                [[package]]
                name = "b"
                version = "2.0.0"
                """);
        assertThat(lockfile.named("a").getFirst().dependencies()).isEmpty();
        assertThat(lockfile.dropped()).singleElement().asString()
                .startsWith("Cargo.lock:5: dependency 'b' of 'a 1.0.0' is ambiguous: several versions of 'b' are locked");
    }

    @Test
    void refusesDuplicatesBadVersionsAndMissingFields() {
        rejects("version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n",
                "Cargo.lock:5: package 'a 1.0.0' is listed twice (also at line 2)");
        rejects("version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0\"\n",
                "Cargo.lock:4: invalid version '1.0': unexpected end of input while parsing minor version number");
        rejects("version = 3\n[[package]]\nversion = \"1.0.0\"\n", "Cargo.lock:2: package entry is missing 'name'");
        rejects("version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"svn+https://x\"\n",
                "Cargo.lock:5: unsupported source kind 'svn' in 'svn+https://x'");
        rejects("[package]\nname = \"a\"\n", "Cargo.lock:1: 'package' must be an array, found a table");
    }

    @Test
    void truncatedFilesFailWithTheLineWhereTheyStop() {
        String full = """
                version = 4

                [[package]]
                name = "a"
                version = "1.0.0"
                dependencies = [
                 "b",
                ]

                [[package]]
                name = "b"
                version = "1.0.0"
                """;
        assertThatThrownBy(() -> parse(full.substring(0, full.indexOf("\"b\","))))
                .hasMessageStartingWith("Cargo.lock:6: invalid TOML: unterminated array");
        // Cut at a package boundary the file is valid TOML: read as Cargo reads it, with the loss recorded.
        assertThat(parse(full.substring(0, full.indexOf("[[package]]\nname = \"b\""))).dropped()).singleElement()
                .asString().contains("depends on 'b', which is not a package in this lockfile");
        assertThatThrownBy(() -> parse(full.substring(0, full.lastIndexOf("1.0.0") + 3)))
                .hasMessageStartingWith("Cargo.lock:12: invalid TOML: unterminated string");
    }

    /** Cargo before 2020 sorted a name's git source before its registry source; later Cargo (v2+) after it. */
    @Test
    void sortsPackagesExactlyAsCargoWritesThem() {
        for (Path file : Corpus.files(Corpus.bundled(), ".lock")) {
            Lockfile lock = LockfileParser.parse(file);
            if (lock.version() >= 2) {
                assertThat(lock.packages()).as(file.toString()).isSortedAccordingTo(
                        (a, b) -> Integer.compare(a.line(), b.line()));
            }
        }
    }

    @Test
    void everyBundledCorpusLockfileParsesWithEveryEntry() {
        for (Path file : Corpus.files(Corpus.bundled(), ".lock")) {
            Lockfile lock = LockfileParser.parse(file);
            assertThat(lock.packages()).as(file.toString()).hasSize(CargoLockOracle.countEntries(file));
        }
    }
}
