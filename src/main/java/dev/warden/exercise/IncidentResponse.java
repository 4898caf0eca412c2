package dev.warden.exercise;

import dev.warden.expose.DnsQuery;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers "this crate is malicious — what now?" from the project's store: which gate runs resolved it and what they
 * decided, which monitored builds ran its code and what that code did, which secrets it could have read, and the
 * response steps that follow from those facts.
 */
public final class IncidentResponse {

    /** What one build that ran the crate's code shows. */
    public record BuildFacts(EventStore.BuildRow build, Map<String, Long> eventsByKind, List<String> programs,
                             List<String> dnsNames, List<String> connections, List<String> files,
                             List<EventStore.AlertRow> alerts, Map<String, EventStore.Exposure> secrets) {

        /** Secret names whose real values the crate's code could read in this build. */
        public List<String> realSecrets() {
            return secrets.entrySet().stream().filter(e -> e.getValue() == EventStore.Exposure.REAL)
                    .map(Map.Entry::getKey).toList();
        }

        public boolean sandboxed() {
            return !build.sandbox().startsWith("NONE");
        }
    }

    /** One response step: what to do, and the facts that call for it. */
    public record Step(String action, String because) {
    }

    /** Everything known, and the checklist. */
    public record Report(String crate, String version, List<DecisionLog.Run> resolvedBy,
                         List<DecisionLog.Decision> decisions, List<BuildFacts> builds, List<Step> checklist) {

        public Set<String> secretsToRotate() {
            Set<String> names = new LinkedHashSet<>();
            builds.forEach(b -> names.addAll(b.realSecrets()));
            return names;
        }
    }

    private static final int EVENT_LIMIT = 100_000;

    private IncidentResponse() {
    }

    /**
     * @param version the version in question, or null for every version (build events name crates, not versions)
     */
    public static Report investigate(String crate, String version, DecisionLog gate, EventStore events) {
        List<DecisionLog.Run> resolvedBy = gate.runsResolving(crate, version);
        List<DecisionLog.Decision> decisions = gate.decisions(null, crate).stream()
                .filter(d -> version == null || d.version() == null || d.version().equals(version)).toList();
        Map<Long, List<EventStore.Row>> byBuild = new TreeMap<>();
        for (EventStore.Row row : events.events(null, crate, null, EVENT_LIMIT)) {
            byBuild.computeIfAbsent(row.build(), b -> new ArrayList<>()).add(row);
        }
        List<BuildFacts> builds = new ArrayList<>();
        List<EventStore.BuildRow> chronological = events.builds().stream()
                .sorted(Comparator.comparingLong(EventStore.BuildRow::id)).toList();
        for (EventStore.BuildRow build : chronological) {
            List<EventStore.Row> rows = byBuild.get(build.id());
            if (rows == null) {
                continue;
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            rows.forEach(r -> counts.merge(r.kind(), 1L, Long::sum));
            List<EventStore.AlertRow> alerts = events.alerts(build.id()).stream()
                    .filter(a -> crate.equals(a.crate())).toList();
            builds.add(new BuildFacts(build, counts, targets(rows, "exec"), targets(rows, "dns"),
                    targets(rows, "connect"), targets(rows, "file"), alerts, events.environment(build.id())));
        }
        String subject = crate + (version == null ? "" : " " + version);
        return new Report(crate, version, resolvedBy, decisions, builds, checklist(subject, resolvedBy, builds));
    }

    /** What the crate's code reached for; for programs only those that ran, not every PATH entry tried. */
    private static List<String> targets(List<EventStore.Row> rows, String kind) {
        return rows.stream().filter(r -> r.kind().equals(kind))
                .filter(r -> !kind.equals("exec") || r.error() == null)
                .map(EventStore.Row::target).distinct().toList();
    }

    private static List<Step> checklist(String subject, List<DecisionLog.Run> resolvedBy, List<BuildFacts> builds) {
        List<Step> steps = new ArrayList<>();
        Set<String> projects = new LinkedHashSet<>();
        resolvedBy.forEach(r -> projects.add(r.project()));
        builds.forEach(b -> projects.add(b.build().project()));
        steps.add(new Step("remove " + subject + " from every lockfile: revert the change that brought it "
                + "(`git log -p -- Cargo.lock`) or `cargo update -p <dependent> --precise <last good version>`, "
                + "and keep `--locked` in CI so nothing re-resolves it",
                projects.isEmpty() ? "no recorded gate run or build involved it here; check the other projects"
                        : "resolved or built by: " + String.join(", ", projects)));
        Set<String> real = new LinkedHashSet<>();
        Set<String> decoys = new LinkedHashSet<>();
        for (BuildFacts build : builds) {
            build.secrets().forEach((name, exposure) -> {
                if (exposure == EventStore.Exposure.REAL) {
                    real.add(name);
                } else if (exposure == EventStore.Exposure.DECOY) {
                    decoys.add(name);
                }
            });
        }
        if (!real.isEmpty()) {
            steps.add(new Step("rotate now: " + String.join(", ", real) + "; then review what they can reach for "
                    + "use since the first build below", "a build ran its code where these real values were visible"));
        } else if (!builds.isEmpty()) {
            steps.add(new Step("rotate nothing from these builds" + (decoys.isEmpty() ? ""
                    : "; the decoys it saw (" + String.join(", ", decoys) + ") are marked fakes"),
                    "every build that ran its code was sandboxed: no real secret was visible to it"));
        } else {
            steps.add(new Step("rotate nothing from recorded builds", "no monitored build here ran its code; "
                    + "unmonitored machines that built it (laptops, other CI) must rotate what their environment held"));
        }
        // Hunt by registrable domain (the encoded labels change per victim) and by real remote addresses, not the
        // sandbox's own loopback resolver.
        Set<String> contacted = new LinkedHashSet<>();
        builds.forEach(b -> {
            b.dnsNames().forEach(name -> contacted.add(DnsQuery.ofName(name).domain()));
            b.connections().stream().filter(c -> !c.startsWith("127.") && !c.startsWith("[::1]") && !c.startsWith("::1"))
                    .forEach(contacted::add);
        });
        if (!contacted.isEmpty()) {
            steps.add(new Step("block and hunt for these destinations in DNS and proxy logs: "
                    + String.join(", ", contacted.stream().limit(10).toList())
                    + (contacted.size() > 10 ? " and " + (contacted.size() - 10) + " more" : ""),
                    "its code tried to reach them during a build"));
        }
        steps.add(new Step("purge cached copies: ~/.cargo/registry/cache/*/" + subject.replace(' ', '-')
                + "*.crate, ~/.cargo/registry/src/*/" + subject.replace(' ', '-') + "*/, the target/ directories "
                + "of the projects above, and CI caches", "cached sources and build outputs would let it run again"));
        steps.add(new Step("report it: an advisory to RustSec (github.com/rustsec/advisory-db) and the version to "
                + "crates.io (help@crates.io) so it is removed for everyone", "others are exposed too"));
        return steps;
    }
}
