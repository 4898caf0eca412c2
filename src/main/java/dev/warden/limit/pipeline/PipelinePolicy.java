package dev.warden.limit.pipeline;

import dev.warden.core.Severity;

import java.time.Duration;

/**
 * {@code [ci]} in {@code warden.toml}: how {@code warden ci-audit} and the gate judge the project's CI definitions.
 *
 * @param failLevel        findings at or above this block
 * @param maxCredentialTtl credentials a job holds may live at most this long (the framework: minutes, not hours)
 */
public record PipelinePolicy(Severity failLevel, Duration maxCredentialTtl) {

    public static PipelinePolicy defaults() {
        return new PipelinePolicy(Severity.HIGH, Duration.ofHours(1));
    }
}
