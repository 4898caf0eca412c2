package dev.warden.core;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One thing a check found. Every stage emits findings of this one shape and every output format renders it.
 *
 * @param rule       what kind of finding this is (its code is the stable id)
 * @param severity   how bad it is here (usually the rule's default; checks may raise or lower it)
 * @param crate      the crate concerned, or null when the finding is about the project as a whole
 * @param version    the crate's version, or null
 * @param message    one human sentence
 * @param evidence   file:line locations supporting the finding, most relevant first
 * @param attributes extra structured facts (for example {@code target} for a typosquat), rendered as JSON fields
 */
public record Finding(Rule rule, Severity severity, String crate, String version, String message,
                      List<Evidence> evidence, Map<String, String> attributes) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        evidence = List.copyOf(evidence);
        attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes)); // sorted: stable output
    }

    public Finding(Rule rule, String crate, String version, String message, List<Evidence> evidence) {
        this(rule, rule.defaultSeverity(), crate, version, message, evidence, Map.of());
    }

    public String id() {
        return rule.code();
    }

    public Stage stage() {
        return rule.stage();
    }

    public Finding withSeverity(Severity newSeverity) {
        return new Finding(rule, newSeverity, crate, version, message, evidence, attributes);
    }
}
