package dev.warden.fortify.gate;

import dev.warden.core.Finding;

import java.time.LocalDate;
import java.util.List;

/**
 * {@code [gate]} in {@code warden.toml}: findings of any check that a reviewer accepted, each with a reason and
 * optionally an expiry — {@code ignore = [{ rule = "typosquat", crate = "toml_parser", reason = "…" }]}. An ignored
 * finding no longer blocks; past its expiry it blocks again, and an ignore that matches nothing is reported so the
 * policy does not rot.
 *
 * @param unverified what a crate the change brings but nobody could read does to the decision
 * @param offline    never download crate sources; what is not on this machine stays unverified
 */
public record GatePolicy(List<Ignore> ignores, Unverified unverified, boolean offline) {

    /** {@code unverified = "block" | "warn"}. */
    public enum Unverified {
        BLOCK, WARN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param crate   the crate it applies to, or null for every crate
     * @param version the version it applies to, or null for every version
     */
    public record Ignore(String rule, String crate, String version, String reason, LocalDate expires, String file,
                         int line) {

        public boolean matches(Finding finding) {
            return finding.id().equals(rule) && (crate == null || crate.equals(finding.crate()))
                    && (version == null || version.equals(finding.version()));
        }

        public boolean expired(LocalDate today) {
            return expires != null && today.isAfter(expires);
        }

        public String describe() {
            return rule + (crate == null ? "" : " of " + crate + (version == null ? "" : " " + version));
        }
    }

    public GatePolicy {
        ignores = List.copyOf(ignores);
    }

    public static GatePolicy defaults() {
        return new GatePolicy(List.of(), Unverified.BLOCK, false);
    }
}
