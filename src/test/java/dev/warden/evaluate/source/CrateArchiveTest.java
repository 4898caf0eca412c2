package dev.warden.evaluate.source;

import dev.warden.core.WardenException;
import dev.warden.testing.CrateFiles;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.warden.testing.CrateFiles.file;
import static dev.warden.testing.CrateFiles.link;
import static dev.warden.testing.CrateFiles.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrateArchiveTest {

    @TempDir
    Path dir;

    private Path crate(String name, Consumer<TarArchiveOutputStream> body) {
        return CrateFiles.write(dir.resolve(name), body);
    }

    private void refused(Path crate, String why) {
        assertThatThrownBy(() -> CrateArchive.read(crate, TreeLimits.DEFAULT))
                .isInstanceOf(WardenException.class)
                .hasMessageStartingWith(crate + ": refused: ")
                .hasMessageContaining(why);
    }

    @Test
    void readsAWellFormedCrateWithoutWritingAnything() throws IOException {
        Path crate = crate("ok-1.0.0.crate", tar -> {
            file(tar, "ok-1.0.0/Cargo.toml", "[package]\nname = \"ok\"\nversion = \"1.0.0\"\n");
            file(tar, "ok-1.0.0/src/lib.rs", "pub fn f() {}\n");
            link(tar, "ok-1.0.0/src/alias.rs", "lib.rs", false);
        });
        CrateTree tree = CrateArchive.read(crate, TreeLimits.DEFAULT);
        assertThat(tree.entries()).extracting(CrateTree.Entry::path)
                .containsExactly("Cargo.toml", "src/lib.rs", "src/alias.rs");
        assertThat(tree.find("src/alias.rs").orElseThrow().type()).isEqualTo(CrateTree.Type.SYMLINK);
        assertThat(new String(tree.read(tree.find("src/lib.rs").orElseThrow()), StandardCharsets.UTF_8))
                .isEqualTo("pub fn f() {}\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(crate);
        }
    }

    @Test
    void refusesPathTraversalAbsolutePathsAndStrayEntries() throws IOException {
        refused(crate("a.crate", tar -> file(tar, "a-1.0.0/../../x", "owned")), "escapes the crate directory");
        refused(crate("b.crate", tar -> file(tar, "/etc/cron.d/x", "owned")), "absolute or malformed path");
        refused(crate("c.crate", tar -> {
            file(tar, "c-1.0.0/Cargo.toml", "");
            file(tar, "other/x", "");
        }), "outside the crate directory 'c-1.0.0/'");
        refused(crate("d.crate", tar -> file(tar, "d-1.0.0\\..\\x", "")), "absolute or malformed path");
        refused(crate("e.crate", tar -> {
            file(tar, "e-1.0.0/a", "1");
            file(tar, "e-1.0.0/a", "2");
        }), "appears twice");
    }

    @Test
    void refusesLinksOutOfTheCrate() throws IOException {
        refused(crate("s.crate", tar -> link(tar, "s-1.0.0/etc", "/etc", false)), "symbolic link 'etc' points outside");
        refused(crate("t.crate", tar -> link(tar, "t-1.0.0/src/up", "../../../home", false)), "points outside");
        refused(crate("h.crate", tar -> link(tar, "h-1.0.0/passwd", "/etc/passwd", true)), "hard link 'passwd'");
        // issue 20: tar names a hard link's target by archive path; only the crate's own top directory is inside
        refused(crate("u.crate", tar -> link(tar, "u-1.0.0/passwd", "../etc/passwd", true)), "hard link 'passwd'");
        refused(crate("v.crate", tar -> {
            file(tar, "v-1.0.0/src/lib.rs", "");
            link(tar, "v-1.0.0/theirs.rs", "other-2.0.0/src/lib.rs", true);
        }), "hard link 'theirs.rs' points outside");
        refused(crate("w.crate", tar -> link(tar, "w-1.0.0/up", "w-1.0.0/../../etc/passwd", true)), "points outside");
        Path inside = crate("x.crate", tar -> {
            file(tar, "x-1.0.0/src/lib.rs", "");
            link(tar, "x-1.0.0/src/same.rs", "x-1.0.0/src/lib.rs", true);
        });
        assertThat(CrateArchive.read(inside, TreeLimits.DEFAULT).entries()).hasSize(2);
    }

    /** Issue 20: a 150 KB crate declaring a 300 MB path in a PAX header ran the heap out before any check. */
    @Test
    void refusesAHugePaxHeaderWithoutReadingIt() throws IOException {
        // written by hand: commons-compress takes minutes to write so long a name
        byte[] header = new byte[512];
        put(header, 0, "././@PaxHeader");
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", 300L << 20));
        put(header, 136, "00000000000");
        header[156] = 'x';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        stream.write(header);
        stream.write(("314572800 path=pax-1.0.0/" + "a".repeat(64 << 10)).getBytes(StandardCharsets.US_ASCII));
        Path pax = dir.resolve("pax.crate");
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(Files.newOutputStream(pax))) {
            gzip.write(stream.toByteArray());
        }
        refused(pax, "tar metadata entry (PAX header or long name) of 314572800 bytes");
        Path longName = crate("long.crate", tar -> file(tar, "long-1.0.0/" + "b/".repeat(150) + "lib.rs", "x"));
        assertThat(CrateArchive.read(longName, TreeLimits.DEFAULT).entries()).extracting(CrateTree.Entry::path)
                .contains("b/".repeat(150) + "lib.rs");
    }

    private static void put(byte[] block, int at, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, block, at, bytes.length);
    }

    @Test
    void refusesDeviceFilesAndFifos() throws IOException {
        for (byte type : new byte[] {TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO}) {
            refused(crate("dev" + type + ".crate", tar -> {
                try {
                    tar.putArchiveEntry(new TarArchiveEntry("dev-1.0.0/node", type, true));
                    tar.closeArchiveEntry();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }), type == TarConstants.LF_FIFO ? "is a FIFO" : "is a device file");
        }
    }

    @Test
    @Timeout(60)
    void stopsGzipBombsWithoutInflatingThem() throws IOException {
        refused(crate("bomb.crate", tar -> zeros(tar, "bomb-1.0.0/zeros", 1L << 30)), "over the 67108864-byte limit");
        Path many = crate("many.crate", tar -> {
            for (int i = 0; i < 9; i++) {
                zeros(tar, "many-1.0.0/part" + i, 40L << 20);
            }
        });
        refused(many, "unpacks to more than 268435456 bytes");
        assertThat(Files.size(many)).isLessThan(2L << 20);
    }

    @Test
    void refusesCorruptArchives() throws IOException {
        Path garbage = dir.resolve("garbage.crate");
        Files.writeString(garbage, "this is not gzip");
        assertThatThrownBy(() -> CrateArchive.read(garbage, TreeLimits.DEFAULT))
                .isInstanceOf(WardenException.class).hasMessageStartingWith(garbage + ": ");
    }

    @Test
    void extractsOnlyRegularFilesBelowTheTarget() throws IOException {
        Path crate = crate("x-1.0.0.crate", tar -> {
            file(tar, "x-1.0.0/Cargo.toml", "[package]\nname = \"x\"\n");
            file(tar, "x-1.0.0/src/lib.rs", "");
            link(tar, "x-1.0.0/src/alias.rs", "lib.rs", false);
        });
        Path target = dir.resolve("out");
        CrateArchive.extract(CrateArchive.read(crate, TreeLimits.DEFAULT), target);
        List<String> written = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(target)) {
            walk.filter(Files::isRegularFile).forEach(p -> written.add(target.relativize(p).toString()));
        }
        assertThat(written).containsExactlyInAnyOrder("Cargo.toml", "src/lib.rs");
        assertThat(Files.exists(target.resolve("src/alias.rs"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThatThrownBy(() -> CrateArchive.extract(CrateArchive.read(crate, TreeLimits.DEFAULT), target))
                .hasMessageContaining("extraction target is not empty");
    }

    @Test
    void checksumsAreSha256OfTheFile() throws IOException {
        Path file = dir.resolve("f");
        Files.writeString(file, "abc");
        assertThat(CrateArchive.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
