package dev.warden.recon.freshness;

import dev.warden.cargo.index.IndexEntry;
import dev.warden.cargo.index.RegistryIndex;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.semver.Version;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.recon.ReconPolicy;
import dev.warden.recon.ReconRules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Freshness of every registry crate: how far behind the newest release it is (version delta and libyears), when it
 * was published and when its crate last released anything. Reads whatever {@link RegistryIndex} it is given: Cargo's
 * local index cache by default (offline), a sparse index over HTTP when asked. Crates the index cannot answer for
 * are counted as unknown, never guessed.
 */
public final class FreshnessCheck implements Check {

    /**
     * Freshness of the whole project.
     *
     * @param crates  one entry per registry crate the index knew
     * @param unknown registry crates the index could not answer for
     */
    public record Assessment(List<Freshness> crates, int unknown, List<Finding> findings) {

        public Assessment {
            crates = List.copyOf(crates);
            findings = List.copyOf(findings);
        }

        /** 0–100: each crate counts 1 when current, ½ when a compatible update exists, 0 when behind a breaking one. */
        public int score() {
            return crates.isEmpty() ? 100
                    : (int) Math.round(100 * crates.stream().mapToDouble(Freshness::score).average().orElse(1));
        }

        public double libyears() {
            return crates.stream().map(Freshness::libyears).filter(Objects::nonNull).mapToDouble(Double::doubleValue).sum();
        }

        public long currentCount() {
            return crates.stream().filter(Freshness::current).count();
        }

        public String summary() {
            if (crates.isEmpty()) {
                return "unknown: no index knows these crates (run `cargo fetch`, or give --index-url)";
            }
            return String.format(Locale.ROOT, "score %d/100: %d of %d crates on their newest release, %.1f libyears "
                    + "behind%s", score(), currentCount(), crates.size(), libyears(),
                    unknown == 0 ? "" : "; " + unknown + " crates unknown to the index");
        }
    }

    private static final double YEAR_SECONDS = 365.25 * 24 * 3600;

    private final RegistryIndex index;
    private final ReconPolicy policy;

    public FreshnessCheck(RegistryIndex index, ReconPolicy policy) {
        this.index = index;
        this.policy = policy;
    }

    @Override
    public String name() {
        return "freshness";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        return assess(context).findings();
    }

    public Assessment assess(CheckContext context) {
        Instant now = context.env().clock().instant();
        String lockfile = context.project().display(context.project().lockfile().path());
        List<Freshness> crates = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        int unknown = 0;
        for (LockedPackage pkg : context.project().lockfile().packages()) {
            if (pkg.source() == null || !pkg.source().isRegistry()) {
                continue;
            }
            Optional<List<IndexEntry>> entries = index.versions(pkg.source(), pkg.name());
            if (entries.isEmpty() || entries.get().isEmpty()) {
                unknown++;
                continue;
            }
            Freshness freshness = freshness(pkg, entries.get());
            crates.add(freshness);
            judge(freshness, now, new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion()), findings);
        }
        return new Assessment(crates, unknown, findings);
    }

    static Freshness freshness(LockedPackage pkg, List<IndexEntry> entries) {
        Version locked = pkg.version();
        boolean pre = locked.isPrerelease();
        Version latest = null;
        Version latestCompatible = null;
        Instant published = null;
        Instant lastRelease = null;
        Instant latestPublished = null;
        int yanked = 0;
        for (IndexEntry entry : entries) {
            Version v = entry.version();
            if (entry.pubtime() != null && (lastRelease == null || entry.pubtime().isAfter(lastRelease))) {
                lastRelease = entry.pubtime();
            }
            if (v.equals(locked)) {
                published = entry.pubtime();
            }
            if (entry.yanked()) {
                yanked++;
                continue;
            }
            if (v.isPrerelease() && !pre) {
                continue;
            }
            if (latest == null || v.compareTo(latest) > 0) {
                latest = v;
                latestPublished = entry.pubtime();
            }
            if (compatible(locked, v) && (latestCompatible == null || v.compareTo(latestCompatible) > 0)) {
                latestCompatible = v;
            }
        }
        Double libyears = published != null && latestPublished != null && latest.compareTo(locked) > 0
                ? Math.max(0, Duration.between(published, latestPublished).toSeconds() / YEAR_SECONDS) : null;
        return new Freshness(pkg, latest, latestCompatible, libyears, published, lastRelease, entries.size(), yanked);
    }

    /** Cargo's compatibility: same major, or same minor under 0.x, or the same 0.0.x. */
    private static boolean compatible(Version a, Version b) {
        if (a.major() != b.major()) {
            return false;
        }
        if (a.major() > 0) {
            return true;
        }
        return a.minor() == b.minor() && (a.minor() > 0 || a.patch() == b.patch());
    }

    private void judge(Freshness f, Instant now, Evidence at, List<Finding> findings) {
        LockedPackage pkg = f.pkg();
        String name = pkg.name();
        String version = pkg.version().toString();
        Map<String, String> facts = facts(f);
        if (f.published() != null && f.published().isAfter(now.minus(policy.minPublishAge()))) {
            findings.add(finding(ReconRules.RECENTLY_PUBLISHED, f, name + " " + version
                    + " was published " + age(Duration.between(f.published(), now)) + " ago, less than the minimum "
                    + "age of " + age(policy.minPublishAge()) + ": compromised releases are usually caught within days, "
                    + "so wait or lock the previous version", at, facts));
        }
        if (f.lastRelease() != null && f.lastRelease().isBefore(now.minus(policy.staleAfter()))) {
            findings.add(finding(ReconRules.STALE_CRATE, f, name + " has had no release for "
                    + age(Duration.between(f.lastRelease(), now)) + " (last on " + f.lastRelease().toString()
                    .substring(0, 10) + "): check that it is still maintained", at, facts));
        }
        if (f.breakingBehind() && (f.libyears() == null ? f.delta()[0] > 0 : f.libyears() >= 1)) {
            findings.add(finding(ReconRules.OUTDATED_CRATE, f, name + " " + version + " is behind "
                    + f.latest() + (f.libyears() == null ? "" : String.format(Locale.ROOT, " (%.1f libyears)",
                    f.libyears())), at, facts));
        }
    }

    private static Finding finding(Rule rule, Freshness f, String message, Evidence at, Map<String, String> facts) {
        return new Finding(rule, rule.defaultSeverity(), f.pkg().name(), f.pkg().version().toString(), message,
                List.of(at), facts);
    }

    /** The crate's freshness record, carried as attributes on each of its findings (JSON, SARIF properties). */
    private static Map<String, String> facts(Freshness f) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (f.latest() != null) {
            facts.put("latest", f.latest().toString());
        }
        if (f.latestCompatible() != null) {
            facts.put("latestCompatible", f.latestCompatible().toString());
        }
        int[] delta = f.delta();
        facts.put("behind", delta[0] + "." + delta[1] + "." + delta[2]);
        if (f.libyears() != null) {
            facts.put("libyears", String.format(Locale.ROOT, "%.2f", f.libyears()));
        }
        if (f.published() != null) {
            facts.put("published", f.published().toString());
        }
        if (f.lastRelease() != null) {
            facts.put("lastRelease", f.lastRelease().toString());
        }
        facts.put("yanked", f.yanked() + " of " + f.versions() + " versions");
        return facts;
    }

    /** "5 hours", "3 days", "2 years". */
    static String age(Duration duration) {
        long days = duration.toDays();
        if (days >= 730) {
            return days / 365 + " years";
        }
        if (days >= 2) {
            return days + " days";
        }
        long hours = duration.toHours();
        return hours == 1 ? "1 hour" : hours + " hours";
    }
}
