package dev.warden.spark;

import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.exercise.DrillCrates;
import dev.warden.fortify.registry.LocalRegistry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Packs unpacked crates into a mirror as a registry would hold them, and writes the archives an attack uses. */
final class MirrorBuilder {

    /** Debian's crate sources (librust-*-dev), unpacked as Cargo's registry would hold them. */
    static final Path DEBIAN_REGISTRY = Path.of("/usr/share/cargo/registry");

    private MirrorBuilder() {
    }

    /** Packs the crate in {@code dir} into {@code mirror/crates/NAME/NAME-VERSION.crate}; returns that file. */
    static Path pack(Path dir, Path mirror) {
        Manifest manifest = ManifestParser.parse(dir.resolve("Cargo.toml"));
        String name = manifest.pkg().name();
        String version = manifest.pkg().version();
        Path crate = mirror.resolve("crates").resolve(name).resolve(name + "-" + version + ".crate");
        LocalRegistry.pack(dir, crate, name + "-" + version);
        return crate;
    }

    /** Every crate directory Debian installed here (none when librust-*-dev packages are absent). */
    static List<Path> debianCrates() throws IOException {
        if (!Files.isDirectory(DEBIAN_REGISTRY)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(DEBIAN_REGISTRY)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("Cargo.toml"))).sorted().toList();
        }
    }

    /** url-parse 0.1.0, a plain library, and 0.1.1, the same with the DNS-exfiltrating build script. */
    static void attackPair(Path work, Path mirror) throws IOException {
        Path before = work.resolve("url-parse-0.1.0");
        DrillCrates.library(before, "url-parse", "0.1.0", "",
                "pub fn parse(url: &str) -> Option<&str> { url.split(\"://\").nth(1) }\n");
        MirrorBuilder.pack(before, mirror);
        Path after = work.resolve("url-parse-0.1.1");
        DrillCrates.urlParse(after, DrillCrates.EXFILTRATING_BUILD_SCRIPT);
        Path manifest = after.resolve("Cargo.toml");
        Files.writeString(manifest, Files.readString(manifest).replace("version = \"0.1.0\"", "version = \"0.1.1\""));
        MirrorBuilder.pack(after, mirror);
    }

    /** A crate whose entry climbs out of its directory: refused by the archive reader. */
    static void hostileArchive(Path crate) throws IOException {
        Files.createDirectories(crate.getParent());
        try (OutputStream out = Files.newOutputStream(crate);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            byte[] body = "fn main() {}\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("evil-0.1.0/../../escape.rs", true);
            entry.setSize(body.length);
            tar.putArchiveEntry(entry);
            tar.write(body);
            tar.closeArchiveEntry();
        }
    }
}
