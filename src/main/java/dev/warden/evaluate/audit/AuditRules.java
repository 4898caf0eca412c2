package dev.warden.evaluate.audit;

import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.List;

/** The findings {@code warden audit} can report. */
public final class AuditRules {

    public static final Rule VULNERABLE = new Rule("vulnerable-crate", Stage.EVALUATION, Severity.HIGH,
            "A locked crate version has a published security advisory.");
    public static final Rule MALICIOUS = new Rule("malicious-crate", Stage.EVALUATION, Severity.CRITICAL,
            "A locked crate is known to be malicious (removed from its registry for malware).");
    public static final Rule MALICIOUS_NAME = new Rule("malicious-crate-name", Stage.EVALUATION, Severity.CRITICAL,
            "A locked crate has the name of a crate removed from crates.io as malicious.");
    public static final Rule UNMAINTAINED = new Rule("unmaintained-crate", Stage.EVALUATION, Severity.LOW,
            "A locked crate is reported unmaintained.");
    public static final Rule UNSOUND = new Rule("unsound-crate", Stage.EVALUATION, Severity.LOW,
            "A locked crate has an unsoundness advisory (safe code can cause undefined behaviour).");
    public static final Rule NOTICE = new Rule("advisory-notice", Stage.EVALUATION, Severity.INFO,
            "A locked crate has an informational advisory.");
    public static final Rule YANKED = new Rule("yanked-crate", Stage.EVALUATION, Severity.MEDIUM,
            "A locked crate version was yanked from its registry.");
    public static final Rule IGNORE_EXPIRED = new Rule("advisory-ignore-expired", Stage.EVALUATION, Severity.HIGH,
            "An advisory ignore in warden.toml is past its expiry date.");
    public static final Rule IGNORE_UNUSED = new Rule("advisory-ignore-unused", Stage.EVALUATION, Severity.INFO,
            "An advisory ignore matches nothing in the lockfile and can be removed.");
    public static final Rule DATABASE_STALE = new Rule("advisory-db-stale", Stage.EVALUATION, Severity.LOW,
            "The advisory data is older than the staleness limit.");

    public static final List<Rule> ALL = List.of(VULNERABLE, MALICIOUS, MALICIOUS_NAME, UNMAINTAINED, UNSOUND,
            NOTICE, YANKED, IGNORE_EXPIRED, IGNORE_UNUSED, DATABASE_STALE);

    private AuditRules() {
    }
}
