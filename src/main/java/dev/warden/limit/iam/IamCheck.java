package dev.warden.limit.iam;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Printable;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The framework's "number of IAM permissions" for the build role, counted the way AWS grants them: every action a
 * policy's patterns match in the bundled action list ({@code s3:Get*} is dozens of actions), minus what an
 * unconditional deny takes away. {@code *}, {@code NotAction} and {@code service:*} are flagged, and so are write
 * actions allowed on every resource.
 */
public final class IamCheck {

    static final Rule FULL_ACCESS = new Rule("ci-iam-full-access", Stage.LIMIT, Severity.CRITICAL,
            "An IAM policy of the build role allows every action (\"*\" or NotAction).");
    static final Rule SERVICE_WILDCARD = new Rule("ci-iam-service-wildcard", Stage.LIMIT, Severity.HIGH,
            "An IAM policy of the build role allows every action of a service (service:*).");
    static final Rule WRITE_ANY_RESOURCE = new Rule("ci-iam-write-any-resource", Stage.LIMIT, Severity.HIGH,
            "An IAM policy of the build role allows write actions on every resource (Resource: \"*\").");
    static final Rule POLICY_UNREAD = new Rule("ci-iam-policy-unread", Stage.LIMIT, Severity.MEDIUM,
            "A policy attached to the role is not in the export, so its permissions were not counted.");
    public static final List<Rule> RULES = List.of(FULL_ACCESS, SERVICE_WILDCARD, WRITE_ANY_RESOURCE, POLICY_UNREAD);

    /**
     * One identity's permissions.
     *
     * @param actions   distinct actions it is allowed (unknown ones counted once each)
     * @param byService of those, per service prefix, largest first
     * @param unknown   action names the bundled list does not know (newer than it, or misspelt: IAM ignores those)
     */
    public record Count(IamPolicies.Principal principal, int actions, Map<String, Integer> byService,
                        Set<String> unknown, List<Finding> findings) {
    }

    private IamCheck() {
    }

    public static List<Count> count(List<IamPolicies.Principal> principals, ActionCatalog catalog) {
        List<Count> counts = new ArrayList<>();
        for (IamPolicies.Principal principal : principals) {
            counts.add(count(principal, catalog));
        }
        return counts;
    }

    static Count count(IamPolicies.Principal principal, ActionCatalog catalog) {
        Set<ActionCatalog.Action> allowed = new LinkedHashSet<>();
        Set<String> unknown = new java.util.TreeSet<>();
        List<Finding> findings = new ArrayList<>();
        for (IamPolicies.Statement statement : principal.statements()) {
            if (!statement.allow()) {
                continue;
            }
            List<ActionCatalog.Action> granted = new ArrayList<>();
            boolean everything = false;
            if (!statement.notActions().isEmpty()) {
                Set<ActionCatalog.Action> excluded = new LinkedHashSet<>();
                statement.notActions().forEach(p -> excluded.addAll(catalog.matching(p.text())));
                for (ActionCatalog.Action action : catalog.matching("*")) {
                    if (!excluded.contains(action)) {
                        granted.add(action);
                    }
                }
                everything = true;
                findings.add(finding(FULL_ACCESS, principal, "role " + principal.name() + " is allowed every action "
                        + "except " + excluded.size() + " (NotAction): " + String.format(Locale.ROOT, "%,d",
                        granted.size()) + " actions; list the actions the build needs instead",
                        statement.line(), statement.notActions().getFirst().line()));
            }
            for (LocatedJson.Scalar pattern : statement.actions()) {
                String text = pattern.text().trim();
                List<ActionCatalog.Action> matched = catalog.matching(text);
                if (text.equals("*")) {
                    everything = true;
                    findings.add(finding(FULL_ACCESS, principal, "role " + principal.name() + " is allowed every "
                            + "action (\"*\"): " + String.format(Locale.ROOT, "%,d", matched.size()) + " actions of "
                            + "every service; list the actions the build needs instead", statement.line(),
                            pattern.line()));
                } else if (text.endsWith(":*")) {
                    findings.add(finding(SERVICE_WILDCARD, principal, "role " + principal.name() + " is allowed "
                            + "every action of " + text.substring(0, text.length() - 2) + " (" + text + "): "
                            + matched.size() + " actions, " + matched.stream().filter(a -> a.level().changes())
                            .count() + " of them writes; list the actions the build needs", statement.line(),
                            pattern.line()));
                }
                if (matched.isEmpty() && !text.contains("*") && !text.contains("?")) {
                    unknown.add(text.toLowerCase(Locale.ROOT));
                }
                granted.addAll(matched);
            }
            boolean anyResource = statement.notResource() || statement.resources().stream()
                    .anyMatch(r -> r.text().trim().equals("*"));
            if (anyResource && !everything && !statement.conditional()) {
                List<ActionCatalog.Action> writes = granted.stream().filter(a -> a.level().changes()).distinct()
                        .toList();
                if (!writes.isEmpty()) {
                    List<String> examples = writes.stream().sorted((a, b) -> Boolean.compare(
                            b.level() == ActionCatalog.Level.PERMISSIONS_MANAGEMENT,
                            a.level() == ActionCatalog.Level.PERMISSIONS_MANAGEMENT)).limit(5)
                            .map(ActionCatalog.Action::key).toList();
                    int resourceLine = statement.resources().isEmpty() ? statement.line()
                            : statement.resources().getFirst().line();
                    findings.add(finding(WRITE_ANY_RESOURCE, principal, "role " + principal.name() + " may use "
                            + writes.size() + " write action" + (writes.size() == 1 ? "" : "s") + " on every "
                            + "resource (" + String.join(", ", examples) + (writes.size() > examples.size() ? ", …"
                            : "") + "); name the buckets, repositories and functions it deploys to", statement.line(),
                            resourceLine));
                }
            }
            allowed.addAll(granted);
        }
        for (IamPolicies.Statement statement : principal.statements()) {
            boolean unconditional = !statement.allow() && !statement.conditional() && !statement.notResource()
                    && statement.notActions().isEmpty()
                    && statement.resources().stream().anyMatch(r -> r.text().trim().equals("*"));
            if (unconditional) {
                statement.actions().forEach(p -> catalog.matching(p.text()).forEach(allowed::remove));
            }
        }
        for (LocatedJson.Scalar arn : principal.unread()) {
            findings.add(finding(POLICY_UNREAD, principal, "role " + principal.name() + " has " + arn.text()
                    + " attached, which the export does not contain: its permissions are not in the count (export "
                    + "with --filter LocalManagedPolicy AWSManagedPolicy Role)", principal.line(), arn.line()));
        }
        Map<String, Integer> byService = new TreeMap<>();
        allowed.forEach(a -> byService.merge(a.service(), 1, Integer::sum));
        Map<String, Integer> largest = new LinkedHashMap<>();
        byService.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> largest.put(e.getKey(), e.getValue()));
        return new Count(principal, allowed.size() + unknown.size(), largest, unknown, findings);
    }

    private static Finding finding(Rule rule, IamPolicies.Principal principal, String message, int statementLine,
                                   int line) {
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(new Evidence(principal.file(), Math.max(0, line), null));
        if (statementLine != line) {
            evidence.add(new Evidence(principal.file(), Math.max(0, statementLine), "statement"));
        }
        return new Finding(rule, rule.defaultSeverity(), null, null, Printable.of(message), evidence,
                Map.of("role", Printable.of(principal.name()), "file", principal.file()));
    }
}
