package dev.warden.limit.egress;

import dev.warden.core.Directories;
import dev.warden.core.Environment;
import dev.warden.core.RunDirectory;
import dev.warden.core.WardenException;
import dev.warden.limit.SandboxProbe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The fetch stage, watched: {@code cargo fetch --locked} with the network but without secrets, under strace when it
 * is installed, so what it contacted becomes the baseline {@code warden egress-policy} allows. No dependency code
 * runs here, so the trace is the fetch's own.
 */
public final class MonitoredFetch {

    /**
     * @param status the exit status of cargo fetch
     * @param trace  what it contacted, or empty when strace is not installed (then nothing was learned)
     */
    public record Result(int status, Optional<FetchTrace> trace) {
    }

    private MonitoredFetch() {
    }

    public static Result run(Path projectRoot, Environment env, Map<String, String> environment,
                             Consumer<String> output) {
        Optional<String> strace = SandboxProbe.which(env, "strace");
        Path runDir = null;
        try {
            List<String> command = new ArrayList<>(SandboxProbe.dieWithWarden(env));
            Path trace = null;
            if (strace.isPresent()) {
                runDir = RunDirectory.create("warden-fetch-");
                trace = runDir.resolve("trace");
                command.addAll(List.of(strace.get(), "-f", "-qq", "-ttt", "-xx", "-s", "1024", "-e", FetchTrace.CALLS,
                        "-o", trace.toString()));
            }
            command.addAll(List.of("cargo", "fetch", "--locked"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(projectRoot.toFile())
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.accept(line);
                }
            }
            int status = process.waitFor();
            return new Result(status, trace != null && Files.isRegularFile(trace) ? Optional.of(FetchTrace.read(trace))
                    : Optional.empty());
        } catch (IOException e) {
            throw new WardenException("cannot run cargo fetch: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardenException("interrupted while fetching");
        } finally {
            Directories.deleteQuietly(runDir);
        }
    }
}
