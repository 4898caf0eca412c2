package dev.warden.fortify.code;

import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.Severity;

import java.util.List;
import java.util.Map;

/**
 * {@code [build-code]} and {@code [unsafe]} in {@code warden.toml}: which crates may run code at build time, and how
 * much unsafe code a crate may hold.
 *
 * @param buildCodeFailLevel {@code [build-code] fail-level}: build-code findings at or above this block
 * @param unsafeFailLevel    {@code [unsafe] fail-level}: budget overruns block at or above this (by default they do)
 * @param buildCode      crates allowed a build script or proc macro; null leaves build-time code unrestricted
 * @param procMacrosListed whether the list restricts proc macros too ({@code [build-code] allow}) or build scripts
 *                       only (cargo-deny's {@code [bans.build] allow-build-scripts})
 * @param unsafeBudget   unsafe items any crate may hold (functions, blocks, impls and traits); null for no limit
 * @param unsafePerCrate budgets for named crates, overriding {@code unsafeBudget}
 */
public record CodePolicy(Severity buildCodeFailLevel, Severity unsafeFailLevel, List<Allowed> buildCode,
                         boolean procMacrosListed, Integer unsafeBudget, Map<String, Integer> unsafePerCrate) {

    /**
     * A crate allowed to run build-time code, optionally only at a version requirement (write {@code =1.2.3} to pin
     * one release) or with one {@code .crate} checksum.
     */
    public record Allowed(String name, VersionReq version, String checksum, String reason, String file, int line) {
    }

    public CodePolicy {
        buildCode = buildCode == null ? null : List.copyOf(buildCode);
        unsafePerCrate = Map.copyOf(unsafePerCrate);
    }

    public static CodePolicy defaults() {
        return new CodePolicy(Severity.HIGH, Severity.MEDIUM, null, true, null, Map.of());
    }

    /** Whether the policy asks anything of the crates' code, so that the gate knows to scan them. */
    public boolean enforced() {
        return buildCode != null || unsafeBudget != null || !unsafePerCrate.isEmpty();
    }
}
