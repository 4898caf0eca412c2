package dev.warden.evaluate.diff;

import dev.warden.cargo.change.Change;
import dev.warden.cargo.change.PackageChange;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.scan.Capability;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.Role;
import dev.warden.evaluate.scan.ScannedCrates;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reviews a dependency update the way a security reviewer would: for each changed crate, where it now comes from,
 * which new crates it pulls in, and — when the old and new sources are on this machine — what the new code can do
 * that the old code could not ("2.1.1 adds build.rs: reads AWS_SECRET_ACCESS_KEY, resolves hostnames").
 */
public final class SecurityDiff {

    /**
     * The review of one change.
     *
     * @param beforeScan   the old version's scan, when its source was available
     * @param afterScan    the new version's scan, when its source was available
     * @param gained       capabilities the new version has and the old did not (all of them for a new crate)
     * @param lost         capabilities the old version had and the new does not
     * @param pulledIn     crates new to the graph that this change brought in
     * @param introducedBy for a new crate: the existing crates (changed or not) through which it entered
     * @param findings     the diff's own findings about this change
     * @param related      other checks' findings about the version it brings (advisories, unverified source),
     *                     shown with it and counted in the risk
     */
    public record Review(PackageChange change, CrateScan beforeScan, CrateScan afterScan, Set<Capability> gained,
                         Set<Capability> lost, List<PackageChange> pulledIn, List<PackageId> introducedBy,
                         List<Finding> findings, List<Finding> related) {

        public Review {
            gained = Set.copyOf(gained);
            lost = Set.copyOf(lost);
            pulledIn = List.copyOf(pulledIn);
            introducedBy = List.copyOf(introducedBy);
            findings = List.copyOf(findings);
            related = List.copyOf(related);
        }

        /** Everything known about this change: the diff's findings, then the related ones. */
        public List<Finding> allFindings() {
            List<Finding> all = new ArrayList<>(findings);
            all.addAll(related);
            return all;
        }

        /**
         * The data-flow chains the new version has that the old did not (every chain of a new crate, or of an
         * update whose old code could not be read).
         */
        public List<CrateScan.Flow> newFlows() {
            if (afterScan == null) {
                return List.of();
            }
            Set<String> known = beforeScan == null ? Set.of()
                    : beforeScan.flows().stream().map(CrateScan.Flow::shape).collect(Collectors.toSet());
            return afterScan.flows().stream().filter(f -> !known.contains(f.shape())).toList();
        }

        /**
         * One line per new chain: "2.1.1 adds (build script): env AWS_SECRET_ACCESS_KEY → key → host →
         * to_socket_addrs (DNS lookup), build.rs:14-22"; "has" when there is no old version to compare with.
         */
        public List<String> flowStories() {
            String verb = change.before() != null && beforeScan != null ? change.after().version() + " adds" : "has";
            return newFlows().stream().map(f -> verb + " (" + f.role().label() + "): " + f.chain().outline() + ", "
                    + f.chain().places()).toList();
        }

        /** Whether old and new code could both be read, so the capability delta is exact. */
        public boolean compared() {
            return afterScan != null && (change.before() == null || beforeScan != null);
        }

        /**
         * The one-line story of what the new code can do that the old could not: "2.1.1 adds build script: reads
         * AWS_SECRET_ACCESS_KEY, resolves hostnames", "build script now: runs curl", or for a new crate
         * "build script: …". Reads come first, then what could carry them out.
         */
        public String capabilitySummary() {
            if (gained.isEmpty()) {
                return "";
            }
            Map<Role, List<String>> byRole = new EnumMap<>(Role.class);
            gained.stream().sorted(Comparator.comparing((Capability c) -> verbRank(c.description()))
                            .thenComparing(Capability::description))
                    .forEach(c -> byRole.computeIfAbsent(c.role(), r -> new ArrayList<>()).add(c.description()));
            String story = byRole.entrySet().stream()
                    .map(e -> roleIntro(e.getKey()) + ": " + String.join(", ", e.getValue()))
                    .collect(Collectors.joining("; "));
            return change.before() == null ? story : change.after().version() + " " + story;
        }

        private String roleIntro(Role role) {
            if (change.before() == null || beforeScan == null) {
                return role.label();
            }
            boolean appears = role == Role.BUILD_SCRIPT && !beforeScan.hasBuildScript()
                    || role == Role.PROC_MACRO && !beforeScan.procMacro();
            return appears ? "adds " + role.label() : role.label() + " now";
        }

        private static int verbRank(String description) {
            for (int i = 0; i < VERBS.size(); i++) {
                if (description.startsWith(VERBS.get(i))) {
                    return i;
                }
            }
            return VERBS.size();
        }
    }

    /** The order capabilities are told in: what is taken, then how it could leave, then the rest. */
    private static final List<String> VERBS = List.of("reads", "refers", "looks up", "resolves", "opens", "runs",
            "encodes", "hides");

    /**
     * The whole review: every change, the diff's own findings (for the verdict), and the risk of the change as a
     * whole (with the related findings of other checks).
     */
    public record Result(List<Review> reviews, List<Finding> findings, Risk risk) {

        public Result {
            reviews = List.copyOf(reviews);
            findings = List.copyOf(findings);
        }

        /**
         * Attaches other checks' findings to the change whose crate and version they are about, for reports and the
         * risk; the diff's own findings stay as they are, so each finding still belongs to one check.
         */
        public Result withRelated(List<Finding> others) {
            List<Review> attached = reviews.stream().map(r -> {
                if (r.change().after() == null) {
                    return r;
                }
                String name = r.change().name();
                String version = r.change().after().version().toString();
                List<Finding> related = others.stream()
                        .filter(f -> name.equals(f.crate()) && version.equals(f.version())).toList();
                return new Review(r.change(), r.beforeScan(), r.afterScan(), r.gained(), r.lost(), r.pulledIn(),
                        r.introducedBy(), r.findings(), related);
            }).toList();
            return new Result(attached, findings, Risk.of(attached.stream().flatMap(r -> r.allFindings().stream())
                    .toList()));
        }
    }

    private SecurityDiff() {
    }

    /**
     * Reviews the context's change, reading code from the crates scanned for it.
     *
     * @param display how evidence names the new lockfile ({@code Cargo.lock}, {@code HEAD:app/Cargo.lock})
     */
    public static Result review(CheckContext context, String display) {
        Change change = context.change();
        List<PackageChange> changes = change.changes();
        Map<PackageId, PackageChange> added = new HashMap<>();
        for (PackageChange one : changes) {
            if (one.before() == null) {
                added.put(one.after().id(), one);
            }
        }
        Map<PackageId, List<PackageId>> introducers = change.introducers();
        ScannedCrates crates = context.crates();
        List<Review> reviews = changes.stream().map(one -> {
            List<PackageChange> pulledIn = one.after() == null ? List.of()
                    : added.entrySet().stream()
                            .filter(e -> introducers.getOrDefault(e.getKey(), List.of()).contains(one.after().id()))
                            .map(Map.Entry::getValue).sorted(Comparator.comparing(c -> c.after().id()))
                            .toList();
            List<PackageId> introducedBy = one.before() == null
                    ? introducers.getOrDefault(one.after().id(), List.of()) : List.of();
            return review(one, display, crates, pulledIn, introducedBy);
        }).toList();
        List<Finding> findings = reviews.stream().flatMap(r -> r.findings().stream()).toList();
        return new Result(reviews, findings, Risk.of(findings));
    }

    private static Review review(PackageChange change, String display, ScannedCrates crates,
                                 List<PackageChange> pulledIn, List<PackageId> introducedBy) {
        LockedPackage before = change.before();
        LockedPackage after = change.after();
        List<Finding> findings = new ArrayList<>();
        if (after == null) {
            return new Review(change, null, null, Set.of(), Set.of(), List.of(), List.of(), List.of(), List.of());
        }
        String name = change.name();
        String version = after.version().toString();
        List<Evidence> where = List.of(new Evidence(display, after.line(), after.id().nameAndVersion()));
        CrateScan afterScan = crates.scan(after).orElse(null);
        CrateScan beforeScan = before == null ? null : crates.scan(before).orElse(null);

        if (before == null) {
            findings.add(new Finding(DiffRules.ADDED, name, version, name + " " + version + " is new"
                    + (introducedBy.isEmpty() ? "" : ", pulled in by " + names(introducedBy)), where));
        } else {
            describeMove(change, where, findings);
        }
        if (!pulledIn.isEmpty() && change.patchRelease()) {
            findings.add(new Finding(DiffRules.PATCH_ADDS_DEPENDENCIES, name, version, name + " "
                    + change.versions() + " is a patch release but pulls in " + pulledIn.size() + " new crate"
                    + (pulledIn.size() == 1 ? "" : "s") + ": " + names(pulledIn.stream().map(c -> c.after().id())
                            .toList()), where));
        }

        Set<Capability> gained = new TreeSet<>();
        Set<Capability> lost = new TreeSet<>();
        // A source that could not be read is the coverage check's finding; here it only means no code delta.
        if (afterScan != null) {
            gained.addAll(afterScan.capabilities());
            if (beforeScan != null) {
                gained.removeAll(beforeScan.capabilities());
                lost.addAll(beforeScan.capabilities());
                lost.removeAll(afterScan.capabilities());
                codeDelta(change, beforeScan, afterScan, where, findings);
            }
            findings.addAll(newFindings(beforeScan, afterScan));
        }
        return new Review(change, beforeScan, afterScan, gained, lost, pulledIn, introducedBy, findings, List.of());
    }

    /** Findings about where the crate now comes from. */
    private static void describeMove(PackageChange change, List<Evidence> where, List<Finding> findings) {
        String name = change.name();
        String version = change.after().version().toString();
        if (change.kind() == PackageChange.Kind.DOWNGRADED) {
            findings.add(new Finding(DiffRules.DOWNGRADED, name, version, name + " goes back from "
                    + change.versions(), where));
        }
        if (change.sourceChanged()) {
            Finding moved = new Finding(DiffRules.SOURCE_CHANGED, name, version, name + " " + version
                    + " now comes from " + origin(change.after()) + " instead of " + origin(change.before()), where);
            // Leaving git for crates.io trades a mutable repository for a published, checksummed release: still
            // worth a look (is the crates.io owner the same people?), but not the risk of the opposite move.
            boolean gitToCratesIo = change.before().source() != null && change.before().source().isGit()
                    && change.after().source() != null && change.after().source().isCratesIo();
            findings.add(gitToCratesIo ? moved.withSeverity(Severity.MEDIUM) : moved);
        }
        if (change.gitCommitChanged()) {
            findings.add(new Finding(DiffRules.GIT_COMMIT_CHANGED, name, version, name + " now builds git commit "
                    + shortCommit(change.after()) + " instead of " + shortCommit(change.before()), where));
        }
        if (change.checksumChanged()) {
            findings.add(new Finding(DiffRules.CHECKSUM_CHANGED, name, version, name + " " + version
                    + " has checksum " + change.after().checksum() + ", was " + change.before().checksum(), where));
        }
    }

    /** New build-time code and more unsafe, between two scanned versions. */
    private static void codeDelta(PackageChange change, CrateScan before, CrateScan after, List<Evidence> where,
                                  List<Finding> findings) {
        String name = change.name();
        String version = after.version();
        if (after.hasBuildScript() && !before.hasBuildScript()) {
            findings.add(new Finding(DiffRules.NEW_BUILD_SCRIPT, name, version, name + " " + change.versions()
                    + " adds a build script", where));
        }
        if (after.procMacro() && !before.procMacro()) {
            findings.add(new Finding(DiffRules.NEW_PROC_MACRO, name, version, name + " " + change.versions()
                    + " becomes a procedural macro", where));
        }
        int more = after.unsafeTotal().total() - before.unsafeTotal().total();
        if (more > 0) {
            findings.add(new Finding(DiffRules.UNSAFE_INCREASED, name, version, name + " " + change.versions()
                    + " has " + more + " more unsafe item" + (more == 1 ? "" : "s") + " ("
                    + before.unsafeTotal().total() + " → " + after.unsafeTotal().total() + ")", where));
        }
    }

    /**
     * The new version's scan findings that the old version did not already have (all of them for a new crate),
     * with evidence paths prefixed by {@code name-version/} since the diff spans many crates.
     */
    private static List<Finding> newFindings(CrateScan before, CrateScan after) {
        Set<String> known = new HashSet<>();
        if (before != null) {
            before.findings().forEach(f -> known.add(f.id() + '\0' + f.message()));
        }
        String prefix = after.name() + "-" + after.version() + "/";
        return after.findings().stream().filter(f -> !known.contains(f.id() + '\0' + f.message()))
                .map(f -> new Finding(f.rule(), f.severity(), f.crate(), f.version(), f.message(),
                        f.evidence().stream().map(e -> Path.of(e.file()).isAbsolute() ? e
                                : new Evidence(prefix + e.file(), e.line(), e.excerpt())).toList(),
                        f.attributes()))
                .toList();
    }

    private static String names(List<PackageId> ids) {
        return ids.stream().map(PackageId::nameAndVersion).collect(Collectors.joining(", "));
    }

    private static String origin(LockedPackage pkg) {
        return pkg.source() == null ? "a local path" : pkg.source().describe();
    }

    private static String shortCommit(LockedPackage pkg) {
        String precise = pkg.source().precise();
        return precise == null ? "(unpinned)" : precise.substring(0, Math.min(12, precise.length()));
    }
}
