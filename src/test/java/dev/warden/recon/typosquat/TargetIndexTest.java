package dev.warden.recon.typosquat;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.recon.typosquat.TargetIndex.Form;
import dev.warden.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class TargetIndexTest {

    private static final Path SOURCE = Path.of("src/main/resources/dev/warden/recon/typosquat/popular-crates.tsv");

    /**
     * The index packed at build time answers exactly as one built from the list at run time would: for every crate
     * name in the bundled lockfiles, and for slips of each (a letter dropped, doubled, swapped; a suffix; a digit).
     */
    @Test
    void thePackedBuiltInListDecidesAsTheListItself() throws IOException {
        PopularCrates packed = PopularCrates.embedded();
        PopularCrates parsed = PopularCrates.builtInSource(SOURCE);
        assertThat(packed.description()).isEqualTo(parsed.description()).contains("23,");
        assertThat(packed.entries()).isEqualTo(parsed.entries());

        Set<String> names = new TreeSet<>();
        for (Path lockfile : Corpus.files(Path.of("src/test/resources/corpus/lockfiles"), "Cargo.lock")) {
            for (LockedPackage pkg : LockfileParser.parse(lockfile).packages()) {
                String name = pkg.name();
                names.add(name);
                names.add(name + "2");
                names.add(name + "-rs");
                names.add(name.substring(1));
                names.add(name.substring(0, name.length() - 1));
                names.add(name.charAt(0) + name.substring(0, name.length() - 1));
                if (name.length() > 3) {
                    names.add(name.charAt(0) + "" + name.charAt(2) + name.charAt(1) + name.substring(3));
                }
            }
        }
        List<String> direct = List.of("serde_derive", "quux_sys", "acme-billing");
        TyposquatDetector fromPacked = new TyposquatDetector(packed, direct, TyposquatDetector.Settings.DEFAULT);
        TyposquatDetector fromParsed = new TyposquatDetector(parsed, direct, TyposquatDetector.Settings.DEFAULT);
        int matches = 0;
        for (String name : names) {
            assertThat(fromPacked.check(name)).as(name).isEqualTo(fromParsed.check(name));
            matches += fromPacked.check(name).isPresent() ? 1 : 0;
        }
        assertThat(names).hasSizeGreaterThan(5_000);
        assertThat(matches).as("the slips are caught").isGreaterThan(1_000);
    }

    @Test
    void aWrittenIndexReadsBackWithEveryFormAndFlag() {
        TargetIndex built = TargetIndex.builder(TyposquatDetector.Settings.DEFAULT)
                .add("Serde-Json", 3, false).add("serde_json", 9, false).add("obscure-thing", 90_000, false)
                .add("my-direct", PopularCrates.UNRANKED, true).build("three crates");
        TargetIndex read = TargetIndex.read(built.write());

        assertThat(read).isNotNull();
        assertThat(read.description()).isEqualTo("three crates");
        assertThat(read.targets()).isEqualTo(built.targets()).extracting(TargetIndex.Target::name)
                .as("one entry per name as crates.io compares them, the first kept")
                .containsExactly("Serde-Json", "obscure-thing", "my-direct");
        assertThat(read.named("serde_json").rank()).isEqualTo(3);
        assertThat(read.find(Form.DELETION, "serdejon")).extracting(TargetIndex.Target::name)
                .containsExactly("Serde-Json");
        assertThat(read.find(Form.SKELETON, "obscurething")).as("too obscure to imitate: exact name only").isEmpty();
        assertThat(read.named("obscure_thing").skeleton()).isNull();
        assertThat(read.named("my_direct").direct()).isTrue();
        assertThat(read.find(Form.SORTED_WORDS, "direct_my")).extracting(TargetIndex.Target::name)
                .containsExactly("my-direct");
        assertThat(read.find(Form.SKELETON, "nothing")).isEmpty();
        assertThat(read.builtFor(TyposquatDetector.Settings.DEFAULT)).isTrue();
    }

    @Test
    void anythingElseIsNotAnIndex() {
        assertThat(TargetIndex.read(new byte[0])).isNull();
        assertThat(TargetIndex.read("rank\tname\n1\tserde\n".getBytes())).isNull();
    }

    @Test
    void namesCratesIoCannotHoldAreNoTargets() {
        TargetIndex index = TargetIndex.builder(TyposquatDetector.Settings.DEFAULT).add("séerde", 1, true)
                .build("non-ASCII");
        assertThat(index.size()).isZero();
    }
}
