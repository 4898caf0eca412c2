package dev.warden.fortify.gate;

import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.List;

/** What the gate itself decides, beyond the findings of the checks it runs. */
public final class GateRules {

    public static final Rule LOCKFILE_OUT_OF_DATE = new Rule("lockfile-out-of-date", Stage.FORTIFY, Severity.HIGH,
            "Cargo.lock does not match the manifests, so `cargo build --locked` would fail or re-resolve.");

    public static final List<Rule> ALL = List.of(LOCKFILE_OUT_OF_DATE);

    private GateRules() {
    }
}
