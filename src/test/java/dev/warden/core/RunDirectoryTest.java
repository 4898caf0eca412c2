package dev.warden.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RunDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void onlyDirectoriesOfDeadOwnersAreSwept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        long started = gone.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        Path abandoned = marked("build-abandoned", gone.pid() + " " + started);
        Path reused = marked("build-reused", ProcessHandle.current().pid() + " 1"); // this pid, another start
        ProcessHandle self = ProcessHandle.current();
        Path live = marked("build-live", self.pid() + " " + self.info().startInstant().orElseThrow().toEpochMilli());
        Path foreign = Files.createDirectories(tmp.resolve("build-someone-elses"));
        Path kept = marked("build-kept", gone.pid() + " " + started);
        RunDirectory.keep(kept);
        Path otherKind = marked("warden-fetch-x", gone.pid() + " " + started);

        RunDirectory.sweep(tmp, "build-");

        assertThat(abandoned).doesNotExist();
        assertThat(reused).doesNotExist();
        assertThat(live).exists();
        assertThat(foreign).as("no marker: not Warden's").exists();
        assertThat(kept).exists();
        assertThat(otherKind).exists();
    }

    private Path marked(String name, String owner) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("trace"), "…");
        Files.writeString(dir.resolve(".warden-owner"), owner);
        return dir;
    }
}
