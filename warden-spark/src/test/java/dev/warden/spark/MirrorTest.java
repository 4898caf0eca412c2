package dev.warden.spark;

import dev.warden.core.WardenException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MirrorTest {

    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    @Test
    void aDirectoryMirrorListsOnlyFilesNamedAfterTheirCrateAndAVersion() throws IOException {
        write("crates/serde/serde-1.0.0.crate", "x");
        write("crates/serde/serde-1.0.0-beta.1+build.5.crate", "x");
        write("crates/serde/serde_json-1.0.0.crate", "x");  // another crate's name
        write("crates/serde/serde-latest.crate", "x");      // not a version
        write("crates/serde.crate", "x");                   // not in a crate's directory
        write("crates/serde/README.md", "x");               // not an archive: not even mentioned

        Mirror.Listing listing = new Mirror.Directory(dir.toString()).list(hadoop);
        assertThat(listing.crates()).extracting(e -> e.name() + " " + e.version())
                .containsExactlyInAnyOrder("serde 1.0.0", "serde 1.0.0-beta.1+build.5");
        assertThat(listing.crates()).allSatisfy(e -> assertThat(e.checksum()).isNull());
        assertThat(listing.skipped()).hasSize(3).allSatisfy(s -> assertThat(s).endsWith(
                " (not crates/NAME/NAME-VERSION.crate)"));
    }

    @Test
    void anIndexListsItsEntriesWithTheirDownloadAndChecksumAndSkipsWhatIsNotAnEntryOfThatFile() throws IOException {
        write("index/config.json", "{\"dl\": \"https://static.example/{crate}/{crate}-{version}.crate\"}");
        write("index/se/rd/serde", """
                {"name":"serde","vers":"1.0.0","deps":[],"cksum":"ab12","features":{},"yanked":false}
                not json
                {"name":"tokio","vers":"1.0.0","deps":[],"cksum":"cd34","features":{},"yanked":false}

                {"name":"serde","vers":"1.0.1","deps":[],"cksum":"ef56","features":{},"yanked":true}
                """);
        write("index/.git/HEAD", "ref: refs/heads/master");

        Mirror.Listing listing = new Mirror.Index(dir.resolve("index").toString(), null).list(hadoop);
        assertThat(listing.crates()).containsExactly(
                new Mirror.Entry("serde", "1.0.0", "https://static.example/serde/serde-1.0.0.crate", -1, "ab12", false),
                new Mirror.Entry("serde", "1.0.1", "https://static.example/serde/serde-1.0.1.crate", -1, "ef56", true));
        assertThat(listing.skipped()).satisfiesExactly(
                s -> assertThat(s).endsWith("se/rd/serde:2 (not an index entry of serde)"),
                s -> assertThat(s).endsWith("se/rd/serde:3 (not an index entry of serde)"));
    }

    @Test
    void anIndexWithoutAUsableDownloadUrlIsRefusedBeforeAnythingIsScanned() throws IOException {
        write("index/3/f/foo", "{\"name\":\"foo\",\"vers\":\"0.1.0\",\"cksum\":\"00\"}");
        Mirror noConfig = new Mirror.Index(dir.resolve("index").toString(), null);
        assertThatThrownBy(() -> noConfig.list(hadoop)).isInstanceOf(WardenException.class)
                .hasMessageEndingWith("config.json: no such file, so no download URL (give --dl)");

        Mirror fileDownloads = new Mirror.Index(dir.resolve("index").toString(), "file:///srv/{crate}");
        assertThatThrownBy(() -> fileDownloads.list(hadoop)).isInstanceOf(WardenException.class)
                .hasMessage("download URL file:///srv/{crate}: not an http(s) URL");

        assertThatThrownBy(() -> new Mirror.Directory(dir.resolve("nowhere").toString()).list(hadoop))
                .isInstanceOf(WardenException.class).hasMessageEndingWith("nowhere/crates: no such directory "
                        + "(a mirror holds crates/NAME/NAME-VERSION.crate)");
    }

    private void write(String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
