package dev.warden.fortify.gate;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Stage;
import dev.warden.fortify.FortifyRules;
import dev.warden.report.RuleCatalog;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Applies {@code [gate] ignore}: accepted findings stop blocking until their ignore expires. */
final class AcceptedFindings {

    private final GatePolicy policy;
    private final LocalDate today;
    private final Set<GatePolicy.Ignore> used = new HashSet<>();
    private final List<String> notes = new ArrayList<>();

    AcceptedFindings(GatePolicy policy, LocalDate today) {
        this.policy = policy;
        this.today = today;
    }

    /** The check with findings that an unexpired ignore covers taken out of its blocking list. */
    Gate.CheckResult apply(Gate.CheckResult check) {
        List<Finding> blocking = new ArrayList<>();
        for (Finding finding : check.blocking()) {
            GatePolicy.Ignore ignore = policy.ignores().stream().filter(i -> i.matches(finding)).findFirst()
                    .orElse(null);
            if (ignore == null) {
                blocking.add(finding);
                continue;
            }
            used.add(ignore);
            if (ignore.expired(today)) {
                blocking.add(finding);
            } else {
                notes.add(check.check() + ": " + ignore.describe() + " accepted at " + ignore.file() + ":"
                        + ignore.line() + " (" + ignore.reason() + ")");
            }
        }
        return new Gate.CheckResult(check.check(), check.findings(), blocking);
    }

    /**
     * Expired ignores, and ignores of static checks that matched nothing (build alerts come later, so ignores of
     * Expose rules are not judged unused here).
     */
    List<Finding> policyFindings() {
        List<Finding> findings = new ArrayList<>();
        for (GatePolicy.Ignore ignore : policy.ignores()) {
            List<Evidence> at = List.of(new Evidence(ignore.file(), ignore.line(), ignore.describe()));
            if (ignore.expired(today)) {
                findings.add(new Finding(FortifyRules.GATE_IGNORE_EXPIRED, ignore.crate(), ignore.version(),
                        "the ignore of " + ignore.describe() + " expired on " + ignore.expires() + " (reason was: "
                                + ignore.reason() + "); its findings block again", at));
            } else if (!used.contains(ignore) && !buildAlert(ignore.rule())) {
                findings.add(new Finding(FortifyRules.GATE_IGNORE_UNUSED, ignore.crate(), ignore.version(),
                        "the ignore of " + ignore.describe() + " matches no blocking finding and can be removed", at));
            }
        }
        return findings;
    }

    List<String> notes() {
        return notes;
    }

    private static boolean buildAlert(String rule) {
        return RuleCatalog.ALL.stream().anyMatch(r -> r.code().equals(rule) && r.stage() == Stage.EXPOSE);
    }
}
