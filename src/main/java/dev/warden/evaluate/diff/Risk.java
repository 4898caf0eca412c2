package dev.warden.evaluate.diff;

import dev.warden.core.Finding;
import dev.warden.core.Severity;

import java.util.List;

/**
 * How risky a dependency change is as a whole, for a reviewer's first glance: {@code level} is the worst finding's
 * severity (null when there is none) and {@code score} adds up the findings, 0 to 100, so that one critical finding
 * outweighs several medium ones and informational notes count for nothing.
 */
public record Risk(int score, Severity level) {

    public static final int MAX = 100;

    public static Risk of(List<Finding> findings) {
        int score = 0;
        Severity level = null;
        for (Finding finding : findings) {
            score += weight(finding.severity());
            if (level == null || finding.severity().compareTo(level) > 0) {
                level = finding.severity();
            }
        }
        return new Risk(Math.min(MAX, score), level);
    }

    static int weight(Severity severity) {
        return switch (severity) {
            case CRITICAL -> 60;
            case HIGH -> 25;
            case MEDIUM -> 8;
            case LOW -> 2;
            case INFO -> 0;
        };
    }

    /** {@code none}, or the level's label. */
    public String label() {
        return level == null ? "none" : level.label();
    }
}
