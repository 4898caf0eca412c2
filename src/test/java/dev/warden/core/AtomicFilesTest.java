package dev.warden.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aWriteReplacesTheFileWholeAndLeavesNothingElse() throws IOException {
        Path target = dir.resolve("sub/index.db");
        AtomicFiles.write(target, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertThat(target).hasContent("second");
        assertThat(files()).containsExactly(target);
    }

    @Test
    void aWriteThatFailsMidwayKeepsTheOldFileAndRemovesItsTemporaryFile() throws IOException {
        Path target = dir.resolve("report.json");
        Files.writeString(target, "the old report");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half a rep".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            throw new IllegalStateException("a bug in the writer");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(target).hasContent("the old report");
        assertThat(files()).containsExactly(target);
    }

    @Test
    void aCompleteFileWrittenElsewhereIsPutInPlace() throws IOException {
        Path download = Files.writeString(dir.resolve(".download.tmp"), "crate bytes");
        Path cached = dir.resolve("serde-1.0.0.crate");
        AtomicFiles.replace(download, cached);
        assertThat(cached).hasContent("crate bytes");
        assertThat(download).doesNotExist();
    }

    @Test
    void aNewFileIsCreatedOnlyWhereNoneIs() throws IOException {
        Path store = dir.resolve("store.db");
        assertThat(AtomicFiles.createNew(store, out -> out.write("mine".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(AtomicFiles.createNew(store, out -> out.write("theirs".getBytes(StandardCharsets.UTF_8))))
                .as("a file already there is left as it is").isFalse();
        assertThat(store).hasContent("mine");
        assertThat(files()).containsExactly(store);
    }

    private java.util.List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
