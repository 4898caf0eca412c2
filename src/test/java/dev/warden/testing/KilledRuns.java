package dev.warden.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a Warden process killed with SIGKILL may leave behind: processes it started, its working directories. */
public final class KilledRuns {

    private KilledRuns() {
    }

    /** The command lines of processes still running something under {@code root}, after up to five seconds. */
    public static List<String> processesUnder(String root) throws InterruptedException {
        List<String> left = List.of();
        for (int wait = 0; wait < 50; wait++) {
            left = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                    .filter(line -> line.contains(root)).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return left;
    }

    /** Warden's working directories {@code prefix*} in the temporary directory whose owner mark names {@code pid}. */
    public static List<Path> runDirectories(String prefix, long pid) throws IOException {
        List<Path> owned = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
                prefix + "*")) {
            for (Path candidate : dirs) {
                Path marker = candidate.resolve(".warden-owner");
                if (Files.isRegularFile(marker) && Files.readString(marker).startsWith(pid + " ")) {
                    owned.add(candidate);
                }
            }
        }
        return owned;
    }
}
