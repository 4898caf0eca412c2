package dev.warden.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code cargo} (from PATH or ~/.cargo/bin) for end-to-end tests; absent cargo skips them. */
public final class CargoTool {

    private CargoTool() {
    }

    public static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "cargo");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path home = Path.of(System.getProperty("user.home"), ".cargo/bin/cargo");
        return Files.isExecutable(home) ? Optional.of(home) : Optional.empty();
    }

    public record Result(int status, String output) {
    }

    /** Runs cargo in {@code dir} with extra environment variables; fails the test on a timeout. */
    public static Result run(Path cargo, Path dir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(cargo.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PATH", cargo.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("cargo timed out: " + output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
