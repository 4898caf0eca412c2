package dev.warden.evaluate.license;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.project.Project;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.fortify.bans.BansPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [licenses]}, as cargo-deny's licence check: every crate's SPDX expression (from its manifest, else from its
 * licence files by text detection, else from a clarification whose files still hash the same) must be satisfiable
 * with allowed licences; GNU licences are matched pedantically, {@code WITH} exceptions are distinct licences. A
 * crate whose files could not be read is unverified, never accepted. With a base, only what the change brings.
 */
public final class LicenseCheck implements Check {

    public static final Rule REJECTED = new Rule("license-rejected", Stage.EVALUATION, Severity.HIGH,
            "A crate's licence expression cannot be met with the licences [licenses] allows.");
    public static final Rule UNLICENSED = new Rule("unlicensed", Stage.EVALUATION, Severity.HIGH,
            "No licence could be found for a crate: no license field and no licence file recognised.");
    public static final Rule PARSE_ERROR = new Rule("license-parse-error", Stage.EVALUATION, Severity.HIGH,
            "A crate's license field is not an SPDX licence expression.");
    public static final Rule UNVERIFIED = new Rule("license-unverified", Stage.EVALUATION, Severity.MEDIUM,
            "A crate's licence was not checked: its files could not be read here.");
    public static final Rule CLARIFICATION_STALE = new Rule("license-clarification-stale", Stage.EVALUATION,
            Severity.MEDIUM, "A [[licenses.clarify]] entry no longer applies: a licence file it names changed.");
    public static final Rule NOT_ENCOUNTERED = new Rule("license-not-encountered", Stage.EVALUATION, Severity.LOW,
            "A licence [licenses] allows is used by no crate in the graph.");
    public static final Rule EXCEPTION_NOT_ENCOUNTERED = new Rule("license-exception-not-encountered",
            Stage.EVALUATION, Severity.LOW, "A [licenses] exception names a crate that is not in the graph.");
    public static final Rule COPYLEFT = new Rule("copyleft-in-binary", Stage.EVALUATION, Severity.MEDIUM,
            "A binary's dependency graph holds a crate that may only be used under a copyleft licence.");
    public static final List<Rule> RULES = List.of(REJECTED, UNLICENSED, PARSE_ERROR, UNVERIFIED,
            CLARIFICATION_STALE, NOT_ENCOUNTERED, EXCEPTION_NOT_ENCOUNTERED, COPYLEFT);

    /** What was decided for one crate. */
    public enum Decision { ACCEPTED, REJECTED, UNLICENSED, UNVERIFIED, IGNORED }

    /** Where the expression judged came from. */
    public enum Origin {
        MANIFEST("manifest"), REGISTRY_DATA("registry data"), FILES("files"), CLARIFIED("clarified");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * @param expression the expression judged, or null when there was none
     * @param from       where it came from, or null when there was none
     * @param notes      what a reader should know (corrected spelling, deprecated identifiers, low confidence)
     */
    public record Status(LockedPackage pkg, LicenseExpression expression, Origin from, Decision decision,
                         List<String> notes) {
    }

    public record Result(List<Status> statuses, List<Finding> findings) {
    }

    private static final Pattern VERSIONED = Pattern.compile("(.+)-(\\d+(?:\\.\\d+)*)");

    private final LicensePolicy policy;
    private final String policyFile;
    private final PublishedLicenses published;

    /** @param policyFile how evidence names the policy file */
    public LicenseCheck(LicensePolicy policy, String policyFile) {
        this(policy, policyFile, PublishedLicenses.NONE);
    }

    /**
     * @param published the licence a registry records for a release, asked only for crates whose files could not
     *                  be read here
     */
    public LicenseCheck(LicensePolicy policy, String policyFile, PublishedLicenses published) {
        this.policy = policy;
        this.policyFile = policyFile;
        this.published = published;
    }

    @Override
    public String name() {
        return "licenses";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        return evaluate(context).findings();
    }

    public Result evaluate(CheckContext context) {
        Project project = context.project();
        DependencyGraph graph = context.graph();
        String lockfile = project.display(project.lockfile().path());
        Set<BansPolicy.Spec> usedExceptions = new HashSet<>();
        Set<LicensePolicy.Allowed> usedAllowed = new HashSet<>();
        Map<DependencyGraph.Node, Status> statuses = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        List<DependencyGraph.Node> judged = new ArrayList<>();
        for (DependencyGraph.Node node : included(graph)) {
            LockedPackage pkg = node.pkg();
            policy.exceptions().stream().filter(e -> e.crate().matches(pkg)).forEach(e -> usedExceptions
                    .add(e.crate()));
            if (context.change().brings(pkg)) {
                judged.add(node);
            }
        }
        Map<PackageId, String> registry = published.of(judged.stream().map(DependencyGraph.Node::pkg)
                .filter(pkg -> pkg.source() != null && unread(pkg, context)).toList());
        for (DependencyGraph.Node node : judged) {
            Status status = judge(node, context, lockfile, registry, usedAllowed, findings);
            statuses.put(node, status);
        }
        copyleft(graph, statuses, project, findings);
        if (!context.change().hasBase()) {
            // "Allowed but unused" needs every licence seen: a crate whose licence is unknown may be the one using it.
            unused(statuses.values().stream().noneMatch(s -> s.decision() == Decision.UNVERIFIED), usedAllowed,
                    usedExceptions, findings);
        }
        return new Result(List.copyOf(statuses.values()), findings);
    }

    private static boolean unread(LockedPackage pkg, CheckContext context) {
        return context.crates().scan(pkg).map(scan -> scan.license() == null).orElse(true);
    }

    private Status judge(DependencyGraph.Node node, CheckContext context, String lockfile,
                         Map<PackageId, String> registry, Set<LicensePolicy.Allowed> usedAllowed,
                         List<Finding> findings) {
        LockedPackage pkg = node.pkg();
        Project project = context.project();
        List<String> notes = new ArrayList<>();
        Manifest manifest = node.manifest();
        CrateLicense facts;
        Evidence at;
        boolean fromRegistry = false;
        if (pkg.source() != null && policy.ignoreSources().stream().anyMatch(url -> pkg.source().url() != null
                && pkg.source().url().startsWith(url.replaceFirst("^sparse\\+", "")))) {
            return new Status(pkg, null, null, Decision.IGNORED, List.of("its registry is in private.ignore-sources"));
        }
        if (pkg.source() == null && manifest != null && manifest.pkg() != null) {
            if (policy.ignorePrivate() && manifest.pkg().privateTo(policy.privateRegistries())) {
                List<String> publish = manifest.pkg().publish();
                return new Status(pkg, null, null, Decision.IGNORED, List.of(publish.isEmpty()
                        ? "a private workspace crate (publish = false)"
                        : "a private workspace crate (published only to " + String.join(", ", publish) + ")"));
            }
            facts = CrateLicense.of(manifest.path().getParent(), manifest.pkg());
            at = new Evidence(project.display(manifest.path()), manifest.pkg().line(), "license");
        } else {
            Optional<CrateScan> scan = context.crates().scan(pkg);
            at = new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion());
            if (scan.isEmpty() || scan.get().license() == null) {
                String recorded = registry.get(pkg.id());
                // A clarification is about the crate's files: without them the registry's word cannot settle it.
                if (recorded == null || clarify(pkg).isPresent()) {
                    findings.add(finding(UNVERIFIED, pkg, pkg.id().nameAndVersion() + ": its licence was not "
                            + "checked, its files could not be read here (fetch the crates, or run where Cargo's cache "
                            + "has them)" + (recorded == null ? "" : "; the registry data's license = \""
                            + dev.warden.core.Printable.of(recorded) + "\" does not settle its [[licenses.clarify]]"),
                            at));
                    return new Status(pkg, null, null, Decision.UNVERIFIED, List.of());
                }
                facts = new CrateLicense(recorded, null, List.of());
                fromRegistry = true;
                notes.add("the license field as crates.io's registry data records it; the crate's files were not "
                        + "read here");
            } else {
                facts = scan.get().license();
            }
        }
        LicenseExpression expression = null;
        Origin from = null;
        Optional<LicensePolicy.Clarify> clarify = clarify(pkg);
        if (clarify.isPresent()) {
            String stale = staleFile(clarify.get(), facts);
            if (stale == null) {
                expression = clarify.get().expression();
                from = Origin.CLARIFIED;
            } else {
                findings.add(new Finding(CLARIFICATION_STALE, CLARIFICATION_STALE.defaultSeverity(), pkg.name(),
                        pkg.version().toString(), "the [[licenses.clarify]] entry for " + pkg.name() + " no longer "
                        + "applies: " + stale, List.of(new Evidence(policyFile, clarify.get().line(), pkg.name()),
                        at), Map.of()));
            }
        }
        if (expression == null && facts.declared() != null && !facts.declared().isBlank()) {
            try {
                expression = Spdx.parse(facts.declared());
                from = fromRegistry ? Origin.REGISTRY_DATA : Origin.MANIFEST;
            } catch (Spdx.SyntaxException e) {
                findings.add(finding(PARSE_ERROR, pkg, pkg.id().nameAndVersion() + ": license = \""
                        + dev.warden.core.Printable.of(facts.declared()) + "\" is not an SPDX expression ("
                        + e.getMessage() + ")", at));
                return new Status(pkg, null, null, Decision.REJECTED, List.of());
            }
        } else if (expression == null) {
            if (facts.declared() != null) {
                notes.add("the license field is empty");
            }
            expression = fromFiles(facts, notes);
            from = expression == null ? null : Origin.FILES;
        }
        if (expression == null) {
            findings.add(finding(UNLICENSED, pkg, pkg.id().nameAndVersion() + " has no licence: no license field"
                    + (facts.files().isEmpty() ? " and no licence file" : " and no licence file recognised "
                    + "with confidence " + policy.confidence() + " or more and clearly ahead of any other licence")
                    + (notes.isEmpty() ? "" : " ("
                    + String.join("; ", notes) + ")") + clarifyHint(pkg, facts), at));
            return new Status(pkg, null, null, Decision.UNLICENSED, notes);
        }
        if (expression.corrected() != null) {
            notes.add("\"" + expression.written() + "\" is not SPDX; read as \"" + expression.corrected() + "\"");
        }
        expression.requirements().stream().map(LicenseExpression.Req::id).filter(Spdx::deprecated).distinct()
                .forEach(id -> notes.add(id + " is deprecated in SPDX licence list " + Spdx.listVersion()));
        for (LicenseExpression.Req req : expression.requirements()) {
            policy.allow().stream().filter(a -> matches(a.req(), req)).forEach(usedAllowed::add);
        }
        if (expression.satisfiedBy(req -> accepted(pkg, req))) {
            return new Status(pkg, expression, from, Decision.ACCEPTED, notes);
        }
        List<String> refused = expression.requirements().stream().filter(req -> !accepted(pkg, req))
                .map(req -> req + (denied(req) ? " (denied)" : "")).distinct().toList();
        findings.add(finding(REJECTED, pkg, pkg.id().nameAndVersion() + " is licensed " + expression
                + (from == Origin.FILES ? " (from its licence files)" : "") + ": " + String.join(", ", refused)
                + (refused.size() == 1 ? " is" : " are") + " not allowed by [licenses]", at));
        return new Status(pkg, expression, from, Decision.REJECTED, notes);
    }

    private Optional<LicensePolicy.Clarify> clarify(LockedPackage pkg) {
        return policy.clarify().stream().filter(c -> c.crate().matches(pkg)).findFirst();
    }

    /** The licence files recognised with enough confidence, all required (a crate shipping two licences needs both). */
    private LicenseExpression fromFiles(CrateLicense facts, List<String> notes) {
        List<LicenseExpression.Node> found = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (CrateLicense.File file : facts.files()) {
            LicenseTexts.Match match = LicenseTexts.identify(file.text());
            if (match.id() != null && match.confidence() >= policy.confidence() && match.ambiguous()) {
                notes.add(String.format(Locale.ROOT, "%s fits %s (confidence %.2f) and %s (%.2f) about equally",
                        file.path(), match.id(), match.confidence(), match.rival(), match.rivalConfidence()));
            } else if (match.id() != null && match.confidence() >= policy.confidence()) {
                found.add(new LicenseExpression.Req(match.id(), false, null));
                paths.add(file.path());
            } else {
                notes.add(file.path() + " looks most like " + (match.id() == null ? "no listed licence"
                        : match.id() + String.format(Locale.ROOT, " (confidence %.2f)", match.confidence())));
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        notes.add("licence read from " + String.join(", ", paths));
        LicenseExpression.Node root = found.size() == 1 ? found.getFirst() : new LicenseExpression.All(found);
        return new LicenseExpression(String.join(" AND ", found.stream().map(Object::toString).toList()), null, root);
    }

    private static String clarifyHint(LockedPackage pkg, CrateLicense facts) {
        if (facts.files().isEmpty()) {
            return "";
        }
        return "; to clarify it: [[licenses.clarify]] crate = \"" + pkg.name() + "\", expression = \"…\", "
                + "license-files = [" + String.join(", ", facts.files().stream().map(f -> "{ path = \"" + f.path()
                + "\", hash = " + f.hashHex() + " }").toList()) + "]";
    }

    /** Why a clarification does not apply (a file missing or changed), or null when it does. */
    private static String staleFile(LicensePolicy.Clarify clarify, CrateLicense facts) {
        for (LicensePolicy.ClarifiedFile wanted : clarify.files()) {
            Optional<CrateLicense.File> file = facts.files().stream().filter(f -> f.path().equals(wanted.path()))
                    .findFirst();
            if (file.isEmpty()) {
                return wanted.path() + " is not in the crate";
            }
            if (file.get().hash() != wanted.hash()) {
                return wanted.path() + " hashes to " + file.get().hashHex() + ", not "
                        + CrateLicense.hex(wanted.hash());
            }
        }
        return null;
    }

    private boolean accepted(LockedPackage pkg, LicenseExpression.Req req) {
        if (denied(req)) {
            return false;
        }
        if (policy.allow().isEmpty() && policy.exceptions().isEmpty() && !policy.deny().isEmpty()) {
            return true; // a deny list alone: everything else is allowed
        }
        return policy.allow().stream().anyMatch(a -> matches(a.req(), req)) || policy.exceptions().stream()
                .filter(e -> e.crate().matches(pkg)).flatMap(e -> e.allow().stream()).anyMatch(a -> matches(a.req(),
                        req));
    }

    private boolean denied(LicenseExpression.Req req) {
        return policy.deny().stream().anyMatch(d -> matches(d.req(), req));
    }

    /**
     * Whether an allowed licence covers a requirement: the same licence and exception; GNU licences only by their
     * exact form ({@code GPL-2.0+} is {@code GPL-2.0-or-later}, never {@code GPL-3.0-only}); others' {@code +}
     * also by a newer version of the same licence.
     */
    static boolean matches(LicenseExpression.Req allowed, LicenseExpression.Req req) {
        if (!Objects.equals(allowed.exception(), req.exception())) {
            return false;
        }
        if (Spdx.gnu(req.id()) || Spdx.gnu(allowed.id())) {
            return gnuForm(allowed).equals(gnuForm(req));
        }
        if (allowed.id().equals(req.id())) {
            return true;
        }
        if (!req.orLater()) {
            return false;
        }
        Matcher want = VERSIONED.matcher(req.id());
        Matcher have = VERSIONED.matcher(allowed.id());
        return want.matches() && have.matches() && want.group(1).equals(have.group(1))
                && compareVersions(have.group(2), want.group(2)) >= 0;
    }

    private static String gnuForm(LicenseExpression.Req req) {
        String id = req.id();
        if (id.endsWith("+")) {
            return id.substring(0, id.length() - 1) + "-or-later";
        }
        return req.orLater() ? id.replaceFirst("-(only|or-later)$", "") + "-or-later" : id;
    }

    /** Dotted versions compared part by part as numbers of any length (a crate may write any digits). */
    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i].replaceFirst("^0+(?=.)", "") : "0";
            String q = i < y.length ? y[i].replaceFirst("^0+(?=.)", "") : "0";
            int c = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The crates whose licences count: what the workspace builds, dev-dependencies and build-dependencies as set. */
    private List<DependencyGraph.Node> included(DependencyGraph graph) {
        Set<DependencyGraph.Node> reached = new HashSet<>();
        Deque<DependencyGraph.Node> pending = new ArrayDeque<>(graph.roots());
        reached.addAll(graph.roots());
        while (!pending.isEmpty()) {
            DependencyGraph.Node next = pending.removeFirst();
            for (DependencyGraph.Edge edge : graph.dependencies(next)) {
                boolean counted = (!edge.devOnly() || policy.includeDev() && next.root())
                        && (policy.includeBuild() || !edge.kinds().equals(Set.of(DependencyKind.BUILD)))
                        && graph.traversable(edge, true);
                DependencyGraph.Node to = graph.node(edge.to());
                if (counted && reached.add(to)) {
                    pending.add(to);
                }
            }
        }
        return graph.nodes().stream().filter(reached::contains).toList();
    }

    /** Crates a workspace binary links that can only be used under a copyleft licence. */
    private void copyleft(DependencyGraph graph, Map<DependencyGraph.Node, Status> statuses, Project project,
                          List<Finding> findings) {
        if (policy.copyleft() == BansPolicy.Level.ALLOW) {
            return;
        }
        for (DependencyGraph.Node root : graph.roots()) {
            if (root.manifest() == null || !binary(root.manifest())) {
                continue;
            }
            Set<DependencyGraph.Node> linked = new HashSet<>();
            Deque<DependencyGraph.Node> pending = new ArrayDeque<>(List.of(root));
            while (!pending.isEmpty()) {
                for (DependencyGraph.Edge edge : graph.dependencies(pending.removeFirst())) {
                    DependencyGraph.Node to = graph.node(edge.to());
                    if (edge.kinds().contains(DependencyKind.NORMAL) && linked.add(to)) {
                        pending.add(to);
                    }
                }
            }
            for (DependencyGraph.Node node : graph.nodes()) {
                Status status = statuses.get(node);
                if (!linked.contains(node) || node.root() || status == null || status.expression() == null) {
                    continue;
                }
                LicenseExpression expression = status.expression();
                LockedPackage pkg = node.pkg();
                boolean freeChoice = expression.satisfiedBy(req -> accepted(pkg, req) && !Spdx.copyleft(req.id()));
                boolean copyleftChoice = expression.requirements().stream().anyMatch(r -> Spdx.copyleft(r.id()));
                if (copyleftChoice && !freeChoice) {
                    List<String> terms = expression.requirements().stream().map(LicenseExpression.Req::id)
                            .filter(Spdx::copyleft).distinct().toList();
                    findings.add(new Finding(COPYLEFT, policy.copyleft() == BansPolicy.Level.DENY ? Severity.HIGH
                            : COPYLEFT.defaultSeverity(), pkg.name(), pkg.version().toString(), root.name()
                            + " is a binary and links " + pkg.id().nameAndVersion() + " (" + expression + "): "
                            + "whoever receives the binary may ask for its source under " + String.join(", ", terms),
                            List.of(new Evidence(project.display(project.lockfile().path()), pkg.line(),
                                    pkg.id().nameAndVersion())), Map.of()));
                }
            }
        }
    }

    /** A member that builds a program: {@code src/main.rs} or {@code src/bin/}, as Cargo discovers targets. */
    private static boolean binary(Manifest manifest) {
        Path dir = manifest.path().getParent();
        return manifest.pkg() != null && (Files.isRegularFile(dir.resolve("src/main.rs"))
                || Files.isDirectory(dir.resolve("src/bin")));
    }

    private void unused(boolean everyLicenceSeen, Set<LicensePolicy.Allowed> usedAllowed,
                        Set<BansPolicy.Spec> usedExceptions, List<Finding> findings) {
        if (everyLicenceSeen && policy.unusedAllowed() != BansPolicy.Level.ALLOW) {
            for (LicensePolicy.Allowed allowed : policy.allow()) {
                if (!usedAllowed.contains(allowed)) {
                    findings.add(new Finding(NOT_ENCOUNTERED, policy.unusedAllowed().severity(), null, null, allowed
                            .written() + " is allowed but no crate in the graph uses it: remove it from [licenses] "
                            + "allow", List.of(new Evidence(policyFile, allowed.line(), allowed.written())), Map.of()));
                }
            }
        }
        if (policy.unusedException() != BansPolicy.Level.ALLOW) {
            for (LicensePolicy.Exception exception : policy.exceptions()) {
                if (!usedExceptions.contains(exception.crate())) {
                    findings.add(new Finding(EXCEPTION_NOT_ENCOUNTERED, policy.unusedException().severity(),
                            exception.crate().name(), null, "the [licenses] exception for " + exception.crate()
                            .written() + " matches no crate in the graph: remove it", List.of(new Evidence(
                            policyFile, exception.line(), exception.crate().written())), Map.of()));
                }
            }
        }
    }

    private static Finding finding(Rule rule, LockedPackage pkg, String message, Evidence at) {
        return new Finding(rule, rule.defaultSeverity(), pkg.name(), pkg.version().toString(), message, List.of(at),
                Map.of());
    }
}
