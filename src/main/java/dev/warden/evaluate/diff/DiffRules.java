package dev.warden.evaluate.diff;

import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.List;

/**
 * Findings about a dependency update itself. What the new code can do is reported with the source-scan rules
 * ({@code exfiltration-pattern}, {@code reads-secret-env}, …), limited to what the old version could not do,
 * and advisories with the audit rules, limited to the versions the change brings in.
 */
public final class DiffRules {

    private static Rule rule(String code, Severity severity, String description) {
        return new Rule(code, Stage.EVALUATION, severity, description);
    }

    public static final Rule ADDED = rule("crate-added", Severity.INFO,
            "A crate enters the dependency graph.");
    public static final Rule DOWNGRADED = rule("crate-downgraded", Severity.LOW,
            "A crate moves to an older version.");
    public static final Rule SOURCE_CHANGED = rule("source-changed", Severity.HIGH,
            "A crate now comes from a different source (another registry, a git repository or a local path).");
    public static final Rule GIT_COMMIT_CHANGED = rule("git-commit-changed", Severity.LOW,
            "A git dependency now points at another commit.");
    public static final Rule CHECKSUM_CHANGED = rule("checksum-changed", Severity.CRITICAL,
            "The same version from the same registry has a different checksum: the published file was replaced "
                    + "or the lockfile was edited by hand.");
    public static final Rule NEW_BUILD_SCRIPT = rule("adds-build-script", Severity.MEDIUM,
            "A new version of a crate starts running a build script on every machine that builds it.");
    public static final Rule NEW_PROC_MACRO = rule("becomes-proc-macro", Severity.MEDIUM,
            "A new version of a crate becomes a procedural macro, which runs inside the compiler.");
    public static final Rule PATCH_ADDS_DEPENDENCIES = rule("patch-adds-dependencies", Severity.MEDIUM,
            "A patch release pulls new crates into the graph, which a bug-fix release rarely needs.");
    public static final Rule UNSAFE_INCREASED = rule("unsafe-increased", Severity.LOW,
            "A new version of a crate has more unsafe code than the old one.");

    public static final List<Rule> ALL = List.of(ADDED, DOWNGRADED, SOURCE_CHANGED, GIT_COMMIT_CHANGED,
            CHECKSUM_CHANGED, NEW_BUILD_SCRIPT, NEW_PROC_MACRO, PATCH_ADDS_DEPENDENCIES, UNSAFE_INCREASED);

    private DiffRules() {
    }
}
