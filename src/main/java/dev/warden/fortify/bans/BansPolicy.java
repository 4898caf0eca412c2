package dev.warden.fortify.bans;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.Severity;

import java.util.List;

/**
 * {@code [bans]} in {@code warden.toml}, with cargo-deny's keys and meanings: crates denied (with the wrappers that
 * may still use them), an allow list, more than one version of a crate, wildcard requirements.
 *
 * @param multipleVersions  what two versions of one crate are
 * @param wildcards         what a {@code *} requirement in a workspace manifest is
 * @param allowWildcardPaths path dependencies without a version are not wildcards
 * @param allow             when not empty, the only crates allowed
 * @param skip              versions left out of the duplicate check
 * @param skipTree          crates whose whole dependency tree (to a depth) is left out of it
 */
public record BansPolicy(Level multipleVersions, Level wildcards, boolean allowWildcardPaths, List<Spec> allow,
                         List<Ban> deny, List<Spec> skip, List<SkipTree> skipTree, List<Features> features,
                         Level externalDefaultFeatures, Level workspaceDefaultFeatures) {

    public BansPolicy {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        skip = List.copyOf(skip);
        skipTree = List.copyOf(skipTree);
        features = List.copyOf(features);
    }

    /**
     * {@code [[bans.features]]}: features a crate must not have enabled ({@code deny}), the only ones it may have
     * ({@code allow}, when given), and with {@code exact} every allowed one enabled too.
     */
    public record Features(Spec crate, List<String> allow, List<String> deny, boolean exact) {
        public Features {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }
    }

    /** cargo-deny's lint levels. */
    public enum Level {
        ALLOW, WARN, DENY;

        /** A finding at this level: one that blocks for deny, one that shows for warn. */
        public Severity severity() {
            return this == DENY ? Severity.HIGH : Severity.LOW;
        }
    }

    /**
     * A crate and optionally which versions: {@code "name"}, {@code "name@1.2.3"} (that version), {@code
     * "name:<0.2"} (a requirement), or a table with {@code name} and {@code version}.
     *
     * @param line where it is written in the policy
     */
    public record Spec(String name, VersionReq versions, String written, int line) {
        public boolean matches(LockedPackage pkg) {
            return pkg.name().equals(name) && (versions == null || versions.matches(pkg.version()));
        }
    }

    public record Ban(Spec crate, String reason, List<String> wrappers) {
        public Ban {
            wrappers = List.copyOf(wrappers);
        }
    }

    public record SkipTree(Spec root, int depth) {
    }

    /** cargo-deny's defaults: duplicates warn, wildcards and default features are allowed, nothing denied. */
    public static BansPolicy defaults() {
        return new BansPolicy(Level.WARN, Level.ALLOW, false, List.of(), List.of(), List.of(), List.of(), List.of(),
                Level.ALLOW, Level.ALLOW);
    }
}
