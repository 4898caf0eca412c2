package dev.warden.evaluate.diff;

import dev.warden.core.Finding;
import dev.warden.core.Severity;

import java.util.List;

/**
 * When a dependency change should fail review ({@code [diff]} in {@code warden.toml}).
 *
 * @param failLevel findings at or above this severity block the change
 * @param failScore the change also blocks when its risk score reaches this (null: the score alone never blocks)
 */
public record DiffPolicy(Severity failLevel, Integer failScore) {

    public static DiffPolicy defaults() {
        return new DiffPolicy(Severity.HIGH, null);
    }

    /** Findings that block: those at the fail level, or all of them that carry weight once the score is reached. */
    public List<Finding> blocking(List<Finding> findings, Risk risk) {
        if (failScore != null && risk.score() >= failScore) {
            return findings.stream().filter(f -> Risk.weight(f.severity()) > 0).toList();
        }
        return findings.stream().filter(f -> f.severity().atLeast(failLevel)).toList();
    }
}
