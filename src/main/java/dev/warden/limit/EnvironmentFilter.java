package dev.warden.limit;

import dev.warden.core.SecretNames;
import dev.warden.core.SecretValues;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which of the caller's environment variables untrusted build steps may see: an allowlist of what builds need
 * (PATH, locale, compiler flags, CARGO_*, …), minus anything whose name or value looks like a credential even there
 * ({@code CARGO_HTTP_PROXY=http://user:password@…}), plus what the user names explicitly. Registry tokens never
 * pass: an offline build has no use for them.
 */
public final class EnvironmentFilter {

    /** What passes and what does not. */
    public record Result(Map<String, String> kept, List<String> removed) {

        public Result {
            kept = Map.copyOf(kept);
            removed = List.copyOf(removed);
        }
    }

    private static final Set<String> ALLOWED = Set.of("PATH", "USER", "LOGNAME", "LANG", "LANGUAGE", "TERM", "TZ",
            "RUSTFLAGS", "RUSTDOCFLAGS", "RUSTC", "RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "RUSTUP_TOOLCHAIN",
            "RUST_BACKTRACE", "RUST_LOG", "CC", "CXX", "AR", "LD", "CFLAGS", "CXXFLAGS", "LDFLAGS", "PKG_CONFIG",
            "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR", "SOURCE_DATE_EPOCH", "NUM_JOBS", "MAKEFLAGS", "HOME",
            "CARGO_HOME", "RUSTUP_HOME");
    private static final List<String> ALLOWED_PREFIXES = List.of("CARGO_", "LC_", "CC_", "CXX_", "AR_", "CFLAGS_",
            "CXXFLAGS_", "TARGET_", "HOST_");

    private EnvironmentFilter() {
    }

    /** @param explicitlyAllowed names the user lets through as they are, secret-looking or not */
    public static Result filter(Map<String, String> caller, Collection<String> explicitlyAllowed) {
        Map<String, String> kept = new TreeMap<>();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(caller).entrySet()) {
            String name = variable.getKey();
            boolean allowed = ALLOWED.contains(name) || ALLOWED_PREFIXES.stream().anyMatch(name::startsWith);
            boolean secret = SecretNames.looksSecret(name) || SecretValues.looksSecret(variable.getValue());
            if (!registryToken(name) && (explicitlyAllowed.contains(name) || allowed && !secret)) {
                kept.put(name, variable.getValue());
            } else {
                removed.add(name);
            }
        }
        return new Result(kept, removed);
    }

    /** {@code CARGO_REGISTRY_TOKEN}, {@code CARGO_REGISTRIES_<NAME>_TOKEN}. */
    static boolean registryToken(String name) {
        return name.equals("CARGO_REGISTRY_TOKEN") || name.startsWith("CARGO_REGISTRIES_") && name.endsWith("_TOKEN");
    }
}
