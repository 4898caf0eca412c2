package dev.warden.check;

import dev.warden.core.Finding;

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

    public boolean blocked() {
        return !blocking.isEmpty();
    }

    public boolean isBlocking(Finding finding) {
        return blocking.contains(finding);
    }
}
