package dev.warden.fortify;

import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.List;

/** What the policy and the gate decide, beyond the findings of the checks the gate runs. */
public final class FortifyRules {

    private static Rule rule(String code, Severity severity, String description) {
        return new Rule(code, Stage.FORTIFY, severity, description);
    }

    public static final Rule LOCKFILE_MISSING = rule("lockfile-missing", Severity.HIGH,
            "The project has no Cargo.lock, so every build resolves its dependencies afresh and cannot be --locked.");
    public static final Rule LOCKFILE_OUT_OF_DATE = rule("lockfile-out-of-date", Severity.HIGH,
            "Cargo.lock does not match the manifests, so `cargo build --locked` would fail or re-resolve.");
    public static final Rule REGISTRY_NOT_ALLOWED = rule("registry-not-allowed", Severity.HIGH,
            "A crate comes from a registry the policy does not allow.");
    public static final Rule GIT_SOURCE_NOT_ALLOWED = rule("git-source-not-allowed", Severity.HIGH,
            "A crate comes from a git repository the policy does not allow.");
    public static final Rule GIT_WITHOUT_REV = rule("git-source-without-rev", Severity.HIGH,
            "A git dependency is locked from a branch or tag, and the policy requires a fixed rev.");
    public static final Rule INTERNAL_WRONG_SOURCE = rule("internal-crate-wrong-source", Severity.HIGH,
            "A crate named like an internal crate comes from somewhere other than the internal registry.");
    public static final Rule BUILD_CODE_NOT_ALLOWED = rule("build-code-not-allowed", Severity.HIGH,
            "A crate runs code at build time (build script or proc macro) and is not on the policy's allow-list.");
    public static final Rule BUILD_CODE_PIN_MISMATCH = rule("build-code-pin-mismatch", Severity.HIGH,
            "A crate allowed to run build-time code differs from the version or checksum the policy pinned.");
    public static final Rule UNSAFE_OVER_BUDGET = rule("unsafe-over-budget", Severity.MEDIUM,
            "A crate uses more unsafe code than the policy's budget for it.");

    public static final Rule GATE_IGNORE_EXPIRED = rule("gate-ignore-expired", Severity.MEDIUM,
            "A [gate] ignore in warden.toml is past its expiry date, so the findings it covered block again.");
    public static final Rule GATE_IGNORE_UNUSED = rule("gate-ignore-unused", Severity.INFO,
            "A [gate] ignore in warden.toml matches no blocking finding and can be removed.");

    public static final List<Rule> ALL = List.of(LOCKFILE_MISSING, LOCKFILE_OUT_OF_DATE, REGISTRY_NOT_ALLOWED, GIT_SOURCE_NOT_ALLOWED,
            GIT_WITHOUT_REV, INTERNAL_WRONG_SOURCE, BUILD_CODE_NOT_ALLOWED, BUILD_CODE_PIN_MISMATCH,
            UNSAFE_OVER_BUDGET, GATE_IGNORE_EXPIRED, GATE_IGNORE_UNUSED);

    private FortifyRules() {
    }
}
