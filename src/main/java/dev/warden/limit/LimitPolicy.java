package dev.warden.limit;

import java.util.List;

/**
 * {@code [limit]} in {@code warden.toml}: what the build sandbox hides and lets through.
 *
 * @param hide     more paths to hide from the build (absolute, or {@code ~/…}), besides the built-in credential paths
 * @param allowEnv environment variables to pass into the sandbox besides the built-in allowlist
 * @param show     project files the build needs although they look like secrets (globs relative to the project
 *                 root, as {@code tests/fixtures/*.pem}): left visible
 */
public record LimitPolicy(List<String> hide, List<String> allowEnv, List<String> show) {

    public LimitPolicy {
        hide = List.copyOf(hide);
        allowEnv = List.copyOf(allowEnv);
        show = List.copyOf(show);
    }

    public static LimitPolicy defaults() {
        return new LimitPolicy(List.of(), List.of(), List.of());
    }
}
