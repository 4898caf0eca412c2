package dev.warden.check;

import dev.warden.core.Finding;
import dev.warden.core.Severity;

import java.util.List;

/**
 * Findings together with the policy's decision about them: {@code blocking} are those at or above the fail level
 * (or of a kind the policy denies). The CLI turns a non-empty blocking list into exit status 1.
 */
public record Verdict(List<Finding> findings, List<Finding> blocking, List<String> notes) {

    public Verdict {
        findings = List.copyOf(findings);
        blocking = List.copyOf(blocking);
        notes = List.copyOf(notes);
    }

    /** The plain policy: findings at or above {@code failLevel} block. */
    public static Verdict atOrAbove(List<Finding> findings, Severity failLevel) {
        return new Verdict(findings, findings.stream().filter(f -> f.severity().atLeast(failLevel)).toList(), List.of());
    }

    public boolean blocked() {
        return !blocking.isEmpty();
    }

    public boolean isBlocking(Finding finding) {
        return blocking.contains(finding);
    }
}
