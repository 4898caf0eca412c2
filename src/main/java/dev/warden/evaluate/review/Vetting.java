package dev.warden.evaluate.review;

import dev.warden.cargo.semver.Version;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a crate version is vetted for the criteria it needs, as cargo-vet decides it: a full audit of that version,
 * an exemption, a trusted publisher or imported wildcard audit covering the account that published it on that day,
 * or a chain of delta audits leading to it from any of those — each audit counting for the criteria it names and
 * everything they imply.
 */
public final class Vetting {

    /**
     * @param how     for a vetted version, the review that covers it ("audited for safe-to-deploy by …")
     * @param nearest for an unvetted one, the versions that are vetted for the criterion it misses
     */
    public record Decision(boolean vetted, String missing, String how, List<String> nearest) {
    }

    private final VetData data;
    private final Map<String, List<VetData.Audit>> audits = new HashMap<>();
    private final Map<String, List<VetData.Trust>> trusts = new HashMap<>();
    private final Map<String, List<VetData.Exemption>> exemptions = new HashMap<>();

    public Vetting(VetData data) {
        this.data = data;
        data.audits().forEach(a -> audits.computeIfAbsent(a.crate(), k -> new ArrayList<>()).add(a));
        data.trusts().forEach(t -> trusts.computeIfAbsent(t.crate(), k -> new ArrayList<>()).add(t));
        data.exemptions().forEach(e -> exemptions.computeIfAbsent(e.crate(), k -> new ArrayList<>()).add(e));
    }

    public Decision judge(String crate, String version, Set<String> required) {
        List<String> how = new ArrayList<>();
        for (String criterion : required) {
            Map<String, String> vetted = vetted(crate, criterion);
            String path = vetted.get(version);
            if (path == null) {
                return new Decision(false, criterion, null, vetted.keySet().stream().sorted(Vetting::bySemver)
                        .toList());
            }
            how.add(path);
        }
        return new Decision(true, null, String.join("; ", how), List.of());
    }

    /** Versions in semver order; one that is not semver (a typo in an audit) sorts as text, after the others. */
    private static int bySemver(String a, String b) {
        try {
            return Version.parse(a).compareTo(Version.parse(b));
        } catch (RuntimeException e) {
            return a.compareTo(b);
        }
    }

    /** The versions vetted for {@code criterion} on their own (no delta needed), with how. */
    private Map<String, String> roots(String crate, String criterion) {
        Map<String, String> roots = new LinkedHashMap<>();
        for (VetData.Audit audit : audits.getOrDefault(crate, List.of())) {
            if (audit.from() == null && data.closure(audit.criteria()).contains(criterion)) {
                roots.putIfAbsent(audit.to(), "audited for " + String.join(", ", audit.criteria()) + " by "
                        + audit.who() + " (" + audit.source() + ")");
            }
        }
        for (VetData.Exemption exemption : exemptions.getOrDefault(crate, List.of())) {
            if (data.closure(exemption.criteria()).contains(criterion)) {
                roots.putIfAbsent(exemption.version(), "exempted for " + String.join(", ", exemption.criteria())
                        + " (config.toml)");
            }
        }
        for (Map.Entry<String, VetData.Publisher> entry : data.publishers().entrySet()) {
            if (!entry.getKey().startsWith(crate + "@")) {
                continue;
            }
            VetData.Publisher publisher = entry.getValue();
            for (VetData.Trust trust : trusts.getOrDefault(crate, List.of())) {
                boolean covers = trust.userId() == publisher.userId() && !publisher.when().isBefore(trust.start())
                        && !publisher.when().isAfter(trust.end());
                if (covers && data.closure(trust.criteria()).contains(criterion)) {
                    roots.putIfAbsent(entry.getKey().substring(crate.length() + 1), "published by trusted "
                            + publisher.login() + " on " + publisher.when() + " (" + trust.source() + ")");
                }
            }
        }
        return roots;
    }

    /** Every version vetted for {@code criterion}: the roots and what delta chains from them reach, each with how. */
    private Map<String, String> vetted(String crate, String criterion) {
        Map<String, String> roots = roots(crate, criterion);
        Map<String, List<VetData.Audit>> deltas = new HashMap<>();
        for (VetData.Audit audit : audits.getOrDefault(crate, List.of())) {
            if (audit.from() != null && data.closure(audit.criteria()).contains(criterion)) {
                deltas.computeIfAbsent(audit.from(), k -> new ArrayList<>()).add(audit);
            }
        }
        Map<String, String> reached = new HashMap<>(roots);
        Deque<String> pending = new ArrayDeque<>(roots.keySet());
        while (!pending.isEmpty()) {
            String from = pending.removeFirst();
            for (VetData.Audit delta : deltas.getOrDefault(from, List.of())) {
                if (!reached.containsKey(delta.to())) {
                    reached.put(delta.to(), reached.get(from) + ", then " + delta.from() + " -> " + delta.to()
                            + " by " + delta.who() + " (" + delta.source() + ")");
                    pending.addLast(delta.to());
                }
            }
        }
        return reached;
    }
}
