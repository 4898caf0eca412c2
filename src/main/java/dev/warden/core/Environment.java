package dev.warden.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The one seam between Warden and the machine it runs on: clock, environment variables, working and home
 * directories. Library code never calls {@code System.getenv}, {@code Instant.now()} or reads {@code user.dir}
 * itself, so tests can run against any state without touching the real machine.
 */
public record Environment(Clock clock, Map<String, String> variables, Path workingDirectory, Path homeDirectory) {

    public Environment {
        variables = Map.copyOf(variables);
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
        homeDirectory = homeDirectory.toAbsolutePath().normalize();
    }

    /** The real machine. The home is {@code $HOME} when set, as Cargo takes it, else the account's. */
    public static Environment system() {
        String home = System.getenv("HOME");
        return new Environment(Clock.systemUTC(), System.getenv(), Path.of(""),
                Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home")));
    }

    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isEmpty());
    }

    /** Cargo's home: {@code $CARGO_HOME}, else {@code ~/.cargo}, as Cargo itself resolves it. */
    public Path cargoHome() {
        return variable("CARGO_HOME").map(this::resolve).orElse(homeDirectory.resolve(".cargo"));
    }

    /** Warden's own cache: {@code $WARDEN_CACHE_DIR}, else {@code $XDG_CACHE_HOME/warden}, else {@code ~/.cache/warden}. */
    public Path cacheDirectory() {
        return variable("WARDEN_CACHE_DIR").map(this::resolve)
                .or(() -> variable("XDG_CACHE_HOME").map(dir -> resolve(dir).resolve("warden")))
                .orElse(homeDirectory.resolve(".cache/warden"));
    }

    /**
     * Warden's own state (the stores of build events and gate decisions): {@code $WARDEN_STATE_DIR}, else
     * {@code $XDG_STATE_HOME/warden}, else {@code ~/.local/state/warden}. Outside every project on purpose: a build
     * writes its target directory, and must not be able to rewrite the record of what it did.
     */
    public Path stateDirectory() {
        return variable("WARDEN_STATE_DIR").map(this::resolve)
                .or(() -> variable("XDG_STATE_HOME").map(dir -> resolve(dir).resolve("warden")))
                .orElse(homeDirectory.resolve(".local/state/warden"));
    }

    /** Resolves a user-supplied path against the working directory. */
    public Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    /** The same machine with other variables: a child process's environment. */
    public Environment withVariables(Map<String, String> newVariables) {
        return new Environment(clock, newVariables, workingDirectory, homeDirectory);
    }

    public Environment withWorkingDirectory(Path directory) {
        return new Environment(clock, variables, directory, homeDirectory);
    }
}
