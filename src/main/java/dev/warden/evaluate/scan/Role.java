package dev.warden.evaluate.scan;

import java.util.Locale;

/** Where a source file's code runs, which decides how much its capabilities matter. */
public enum Role {
    /** The build script and the modules it includes: runs on every machine that builds a dependent. */
    BUILD_SCRIPT("build script"),
    /** A procedural macro: runs inside the compiler on every machine that builds a dependent. */
    PROC_MACRO("proc macro"),
    /** Library code: runs only when the dependent's own program runs. */
    LIBRARY("library"),
    /** Tests, examples and benchmarks: not built for dependents at all. */
    TEST("tests/examples");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the code runs during {@code cargo build} of a project that depends on the crate. */
    public boolean runsAtBuildTime() {
        return this == BUILD_SCRIPT || this == PROC_MACRO;
    }
}
