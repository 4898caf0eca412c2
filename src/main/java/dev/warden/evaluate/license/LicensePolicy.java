package dev.warden.evaluate.license;

import dev.warden.fortify.bans.BansPolicy;

import java.util.List;

/**
 * {@code [licenses]} in {@code warden.toml}, with cargo-deny's keys and meanings (version 2: whatever is not allowed
 * is rejected), plus {@code deny} (rejected even when an alternative is allowed elsewhere; on its own, a deny list)
 * and {@code copyleft} (what a copyleft licence in a binary's graph is).
 *
 * @param configured        whether the policy has a {@code [licenses]} section (the gate checks licences only then)
 * @param allow             licences accepted for every crate
 * @param deny              licences never accepted
 * @param exceptions        licences accepted for one crate only
 * @param clarify           expressions for crates whose own metadata cannot be read, valid while their files hash
 * @param confidence        how sure the text detection must be to count a licence file (0 to 1)
 * @param ignorePrivate     {@code private.ignore}: unpublished workspace members are not checked
 * @param privateRegistries {@code private.registries}: publishing only to these still counts as unpublished
 * @param ignoreSources     {@code private.ignore-sources}: registries whose crates are not checked
 * @param includeDev        check dev-dependencies too
 * @param includeBuild      check build-dependencies (default true)
 * @param unusedAllowed     what an allowed licence no crate uses is
 * @param unusedException   what an exception for a crate not in the graph is
 * @param copyleft          what a binary that must be distributed under a copyleft licence is
 */
public record LicensePolicy(boolean configured, List<Allowed> allow, List<Allowed> deny, List<Exception> exceptions,
                            List<Clarify> clarify, double confidence, boolean ignorePrivate,
                            List<String> privateRegistries, List<String> ignoreSources, boolean includeDev,
                            boolean includeBuild, BansPolicy.Level unusedAllowed, BansPolicy.Level unusedException,
                            BansPolicy.Level copyleft) {

    public LicensePolicy {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        exceptions = List.copyOf(exceptions);
        clarify = List.copyOf(clarify);
        privateRegistries = List.copyOf(privateRegistries);
        ignoreSources = List.copyOf(ignoreSources);
    }

    /** A licence as the policy writes it, where. */
    public record Allowed(LicenseExpression.Req req, String written, int line) {
    }

    public record Exception(BansPolicy.Spec crate, List<Allowed> allow, int line) {
        public Exception {
            allow = List.copyOf(allow);
        }
    }

    public record Clarify(BansPolicy.Spec crate, LicenseExpression expression, List<ClarifiedFile> files, int line) {
        public Clarify {
            files = List.copyOf(files);
        }
    }

    public record ClarifiedFile(String path, long hash) {
    }

    /** cargo-deny's defaults, with nothing allowed: only used once a {@code [licenses]} section exists. */
    public static LicensePolicy defaults() {
        return new LicensePolicy(false, List.of(), List.of(), List.of(), List.of(), 0.8, false, List.of(), List.of(),
                false, true, BansPolicy.Level.WARN, BansPolicy.Level.WARN, BansPolicy.Level.WARN);
    }
}
