package dev.warden.recon.publishers;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Printable;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who stands behind each release the change brings, from the registry data (and crates.io's API for what it does
 * not list): a version published by an account that
 * never published the crate before (how long crates.io has known it), a release after a long dormancy, owners added
 * lately, and a new dependency that is itself young and little used. These are the signs of a hijacked maintainer
 * account or a handed-over crate — arrayref 0.3.10's new publisher, event-stream's new owner.
 */
public final class PublisherDriftCheck implements Check {

    public static final Rule NEW_PUBLISHER = new Rule("new-publisher", Stage.RECONNAISSANCE, Severity.MEDIUM,
            "A release is the first of its crate published by this account.");
    public static final Rule DORMANT_RELEASE = new Rule("dormant-crate-release", Stage.RECONNAISSANCE, Severity.LOW,
            "A release comes after the crate was dormant for a long time.");
    public static final Rule OWNERS_ADDED = new Rule("owners-added", Stage.RECONNAISSANCE, Severity.LOW,
            "Owners were added to the crate recently.");
    public static final Rule YOUNG_DEPENDENCY = new Rule("young-dependency", Stage.RECONNAISSANCE, Severity.MEDIUM,
            "A new dependency is itself new on crates.io and little used.");
    public static final Rule TRUSTED_PUBLISHING_STOPPED = new Rule("trusted-publishing-stopped", Stage.RECONNAISSANCE,
            Severity.MEDIUM, "A release was published with a token after earlier ones came through trusted publishing.");
    public static final Rule NOT_IN_REGISTRY_DATA = new Rule("not-in-registry-data", Stage.RECONNAISSANCE,
            Severity.LOW, "The registry data does not list this version, so who published it is unverified.");
    public static final List<Rule> RULES = List.of(NEW_PUBLISHER, DORMANT_RELEASE, OWNERS_ADDED, YOUNG_DEPENDENCY,
            TRUSTED_PUBLISHING_STOPPED, NOT_IN_REGISTRY_DATA);

    /** A publisher crates.io has known for less than this is young. */
    static final Duration YOUNG_ACCOUNT = Duration.ofDays(30);
    /** A gap between releases longer than this is dormancy. */
    static final Duration DORMANCY = Duration.ofDays(540);
    /** Owners added within this of now are recent. */
    static final Duration RECENT_OWNERS = Duration.ofDays(90);
    static final Duration YOUNG_CRATE = Duration.ofDays(30);
    static final long FEW_DOWNLOADS = 1_000;

    private final RegistryData data;
    private final CrateHistories live;

    public PublisherDriftCheck(RegistryData data) {
        this(data, null);
    }

    /**
     * @param data the snapshot, or null when there is none here
     * @param live crates.io's API for crates and versions the snapshot does not list, or null (offline)
     */
    public PublisherDriftCheck(RegistryData data, CrateHistories live) {
        this.data = data;
        this.live = live;
    }

    @Override
    public String name() {
        return "publishers";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        List<LockedPackage> judged = context.project().lockfile().packages().stream()
                .filter(p -> p.source() != null && p.source().isCratesIo() && context.change().brings(p)).toList();
        Set<String> names = new LinkedHashSet<>();
        judged.forEach(p -> names.add(p.name()));
        Map<String, RegistryData.CrateHistory> histories = new LinkedHashMap<>(data == null ? Map.of()
                : data.crates(names));
        Instant now = context.env().clock().instant();
        String lockfile = context.project().display(context.project().lockfile().path());
        List<Finding> findings = new ArrayList<>();
        Set<String> ownersReported = new LinkedHashSet<>();
        for (LockedPackage pkg : judged) {
            RegistryData.CrateHistory history = histories.get(pkg.name());
            Evidence at = new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion());
            String version = pkg.version().toString();
            int index = indexOf(history, version);
            if (index < 0 && live != null) {
                // Published after the dump, or no dump here: ask crates.io about this one crate.
                RegistryData.CrateHistory asked = live.crates(List.of(pkg.name())).get(pkg.name());
                if (indexOf(asked, version) >= 0) {
                    history = asked;
                    histories.put(pkg.name(), asked);
                    index = indexOf(asked, version);
                }
            }
            if (index < 0) {
                findings.add(finding(NOT_IN_REGISTRY_DATA, NOT_IN_REGISTRY_DATA.defaultSeverity(), pkg,
                        (data == null ? "crates.io's API does not list " + pkg.name() + " " + version
                                : "the registry data of " + day(data.dumpedAt()) + " does not list " + pkg.name()
                                + " " + version + (history == null ? " (nor the crate)" : "")
                                + (live == null ? "" : ", nor does crates.io's API"))
                                + ": who published it is unverified; run `warden registry-data update`", at));
                continue;
            }
            RegistryData.Release release = history.releases().get(index);
            List<RegistryData.Release> earlier = history.releases().subList(0, index);
            boolean young = youngDependency(context, pkg, history, now, at, findings);
            boolean newPublisher = publisher(pkg, release, earlier, at, findings);
            boolean wasTrusted = earlier.stream().anyMatch(r -> Boolean.TRUE.equals(r.trusted()));
            if (Boolean.FALSE.equals(release.trusted()) && wasTrusted) {
                // A workflow's OIDC identity published before; a token did now — stolen tokens publish this way.
                findings.add(finding(TRUSTED_PUBLISHING_STOPPED, newPublisher ? Severity.HIGH
                        : TRUSTED_PUBLISHING_STOPPED.defaultSeverity(), pkg, pkg.name() + " " + version + " was "
                        + "published with an API token, while earlier releases came through trusted publishing from "
                        + "CI", at));
            }
            if (!newPublisher && !earlier.isEmpty() && release.at() != null && earlier.getLast().at() != null) {
                Duration gap = Duration.between(earlier.getLast().at(), release.at());
                if (gap.compareTo(DORMANCY) > 0) { // with a new publisher, the dormancy is part of that finding
                    findings.add(finding(DORMANT_RELEASE, DORMANT_RELEASE.defaultSeverity(), pkg, pkg.name() + " "
                            + version + " came " + months(gap) + " months after " + earlier.getLast().version()
                            + ": a dormant crate waking up is worth a look at what changed", at));
                }
            }
            if (ownersReported.add(pkg.name()) && !young) {
                owners(pkg, history, now, at, findings);
            }
        }
        return findings;
    }

    private static int indexOf(RegistryData.CrateHistory history, String version) {
        if (history == null) {
            return -1;
        }
        for (int i = 0; i < history.releases().size(); i++) {
            if (history.releases().get(i).version().equals(version)) {
                return i;
            }
        }
        return -1;
    }

    /** Reports a release by an account that never published the crate before; whether it did. */
    private static boolean publisher(LockedPackage pkg, RegistryData.Release release,
                                     List<RegistryData.Release> earlier, Evidence at, List<Finding> findings) {
        RegistryData.Account by = release.publisher();
        if (by == null || earlier.isEmpty()) {
            return false; // the crate's first release, or a publisher the dump does not name: nothing to compare with
        }
        Set<String> before = new LinkedHashSet<>();
        for (RegistryData.Release old : earlier) {
            if (old.publisher() != null) {
                before.add(old.publisher().login());
            }
        }
        if (before.isEmpty() || before.contains(by.login())) {
            return false;
        }
        Duration known = by.firstSeen() == null || release.at() == null ? null
                : Duration.between(by.firstSeen(), release.at());
        Duration gap = earlier.getLast().at() == null || release.at() == null ? Duration.ZERO
                : Duration.between(earlier.getLast().at(), release.at());
        boolean youngAccount = known != null && known.compareTo(YOUNG_ACCOUNT) < 0;
        boolean dormant = gap.compareTo(DORMANCY) > 0;
        String version = pkg.version().toString();
        findings.add(finding(NEW_PUBLISHER, youngAccount || dormant ? Severity.HIGH : NEW_PUBLISHER.defaultSeverity(),
                pkg, pkg.name() + " " + version + " is the first release by `" + Printable.of(by.login()) + "`"
                        + (known == null ? "" : " (on crates.io " + age(known) + " before it)")
                        + "; earlier releases were published by " + String.join(", ", before.stream()
                        .map(l -> "`" + Printable.of(l) + "`").toList())
                        + (dormant ? "; the crate was dormant " + months(gap) + " months" : ""), at));
        return true;
    }

    private static boolean youngDependency(CheckContext context, LockedPackage pkg,
                                           RegistryData.CrateHistory history, Instant now, Evidence at,
                                           List<Finding> findings) {
        boolean added = context.change().hasBase() && context.change().previous(pkg).isEmpty()
                && context.change().brings(pkg);
        if (!added || history.created() == null) {
            return false;
        }
        Duration age = Duration.between(history.created(), now);
        if (age.compareTo(YOUNG_CRATE) >= 0 || history.downloads() >= FEW_DOWNLOADS) {
            return false;
        }
        boolean buildScript = context.crates().scan(pkg).map(s -> s.hasBuildScript()).orElse(false);
        findings.add(finding(YOUNG_DEPENDENCY, buildScript ? Severity.HIGH : YOUNG_DEPENDENCY.defaultSeverity(), pkg,
                "the change adds " + pkg.name() + ", a crate first published " + age(age) + " ago with "
                        + history.downloads() + " downloads" + (buildScript ? " and a build script that runs on "
                        + "every build" : ""), at));
        return true;
    }

    private static void owners(LockedPackage pkg, RegistryData.CrateHistory history, Instant now, Evidence at,
                               List<Finding> findings) {
        Map<LocalDate, List<RegistryData.Owner>> byDay = new LinkedHashMap<>();
        Instant created = history.created();
        for (RegistryData.Owner owner : history.owners()) {
            boolean original = owner.added() != null && created != null
                    && Duration.between(created, owner.added()).abs().compareTo(Duration.ofDays(1)) < 0;
            boolean recent = owner.added() != null && Duration.between(owner.added(), now).compareTo(RECENT_OWNERS) < 0;
            if (recent && !original) {
                byDay.computeIfAbsent(LocalDate.ofInstant(owner.added(), ZoneOffset.UTC), d -> new ArrayList<>())
                        .add(owner);
            }
        }
        if (byDay.isEmpty()) {
            return;
        }
        int count = byDay.values().stream().mapToInt(List::size).sum();
        boolean many = byDay.values().stream().anyMatch(l -> l.size() >= 3);
        List<String> described = new ArrayList<>();
        byDay.forEach((day, owners) -> described.add(String.join(", ", owners.stream().map(o -> "`"
                + Printable.of(o.login()) + "`" + (o.team() ? " (team)" : "")).toList()) + " on " + day
                + (owners.getFirst().addedBy() == null ? "" : " by `" + Printable.of(owners.getFirst().addedBy())
                + "`")));
        findings.add(finding(OWNERS_ADDED, many ? Severity.MEDIUM : OWNERS_ADDED.defaultSeverity(), pkg, pkg.name()
                + " got " + count + " new owner" + (count == 1 ? "" : "s") + " in the last " + RECENT_OWNERS.toDays()
                + " days: " + String.join("; ", described), at));
    }

    private static Finding finding(Rule rule, Severity severity, LockedPackage pkg, String message, Evidence at) {
        return new Finding(rule, severity, pkg.name(), pkg.version().toString(), message, List.of(at), Map.of());
    }

    private static String age(Duration duration) {
        long days = duration.toDays();
        if (days < 1) {
            return duration.toHours() + " hours";
        }
        return days < 60 ? days + " day" + (days == 1 ? "" : "s") : months(duration) + " months";
    }

    private static long months(Duration duration) {
        return Math.round(duration.toDays() / 30.44);
    }

    private static String day(Instant at) {
        return at == null ? "an unknown date" : LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }
}
