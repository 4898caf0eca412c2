package dev.warden.testing;

import dev.warden.exercise.DrillCrates;

import java.nio.file.Path;

/** The attack's crates for tests: the drill's own sources ({@link DrillCrates}), so tests and drill agree. */
public final class AttackCrates {

    private AttackCrates() {
    }

    public static final String ENCODER = DrillCrates.ENCODER;
    public static final String EXFILTRATING_BUILD_SCRIPT = DrillCrates.EXFILTRATING_BUILD_SCRIPT;
    public static final String CONCATENATING_BUILD_SCRIPT = DrillCrates.CONCATENATING_BUILD_SCRIPT;
    public static final String PROC_MACRO_PAYLOAD = DrillCrates.PROC_MACRO_PAYLOAD;

    public static void urlParse(Path dir, String buildScript) {
        DrillCrates.urlParse(dir, buildScript);
    }

    public static void urlParseMacro(Path dir) {
        DrillCrates.urlParseMacro(dir);
    }

    public static void rustUtilities(Path dir, String version, boolean withUrlParse) {
        DrillCrates.rustUtilities(dir, version, withUrlParse);
    }
}
