package dev.warden.evaluate.advisory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Advisories by crate, with duplicates merged: records from several sources that share an id or alias for the same
 * crate (RUSTSEC-2022-0042, its OSV export, GHSA-7pwq-f4pq-78gm and OSSF's MAL-2022-1) become one advisory that
 * keeps every id. The version data of the most authoritative record wins: RustSec Markdown, then RustSec's own OSV
 * export, then other OSV sources (GHSA, OSSF).
 *
 * @param description what the data is (shown in reports), e.g. "embedded RustSec snapshot bf5c0d2"
 * @param dataDate    how current the data is: the snapshot date, or the newest advisory/modification date
 * @param problems    files or records that could not be read and were skipped, one line each with file:line
 * @param advisoryCount how many advisories there are, after merging duplicates (known without decoding them)
 */
public record AdvisoryDatabase(String description, LocalDate dataDate, List<String> problems,
                               Set<String> crates, Set<String> maliciousCrates, int advisoryCount,
                               Function<String, List<Advisory>> lookup) {

    public AdvisoryDatabase {
        problems = List.copyOf(problems);
        crates = Set.copyOf(crates);
        maliciousCrates = Set.copyOf(maliciousCrates);
    }

    /** Builds a database from parsed advisories, merging duplicates. */
    public static AdvisoryDatabase of(String description, LocalDate dataDate, Collection<Advisory> advisories,
                                      List<String> problems) {
        Map<String, List<Advisory>> byCrate = new TreeMap<>();
        for (Advisory advisory : advisories) {
            byCrate.computeIfAbsent(advisory.crate(), c -> new ArrayList<>()).add(advisory);
        }
        Map<String, List<Advisory>> merged = new HashMap<>();
        Set<String> malicious = new TreeSet<>();
        for (Map.Entry<String, List<Advisory>> entry : byCrate.entrySet()) {
            List<Advisory> list = merge(entry.getValue());
            merged.put(entry.getKey(), list);
            if (list.stream().anyMatch(a -> a.isMalicious() && !a.isWithdrawn() && a.versions().coversEveryVersion())) {
                malicious.add(entry.getKey());
            }
        }
        return new AdvisoryDatabase(description, dataDate, problems, byCrate.keySet(), malicious,
                merged.values().stream().mapToInt(List::size).sum(), crate -> merged.getOrDefault(crate, List.of()));
    }

    /** What reports say an audit used: "1214 advisories from embedded RustSec …, as of 2026-08-21". */
    public String summary() {
        return advisoryCount + " advisories from " + description() + (dataDate() == null ? "" : ", as of " + dataDate());
    }

    /** The advisories about one crate (exact name). */
    public List<Advisory> forCrate(String crate) {
        return lookup.apply(crate);
    }

    /** Every advisory, crate by crate. */
    public List<Advisory> all() {
        List<Advisory> all = new ArrayList<>();
        for (String crate : new TreeSet<>(crates)) {
            all.addAll(forCrate(crate));
        }
        return all;
    }

    private static List<Advisory> merge(List<Advisory> advisories) {
        List<List<Advisory>> groups = new ArrayList<>();
        for (Advisory advisory : advisories) {
            List<List<Advisory>> joined = new ArrayList<>();
            Set<String> rustsec = new TreeSet<>(rustsecIds(List.of(advisory)));
            for (List<Advisory> group : groups) {
                Set<String> together = new TreeSet<>(rustsec);
                together.addAll(rustsecIds(group));
                // Two RustSec ids are two advisories (an unsound and an unmaintained one can share a CVE alias).
                if (together.size() <= 1 && group.stream().anyMatch(member -> sameAdvisory(member, advisory))) {
                    joined.add(group);
                    rustsec = together;
                }
            }
            List<Advisory> target = new ArrayList<>();
            for (List<Advisory> group : joined) {
                target.addAll(group);
                groups.remove(group);
            }
            target.add(advisory);
            groups.add(target);
        }
        List<Advisory> result = new ArrayList<>();
        for (List<Advisory> group : groups) {
            result.add(combine(group));
        }
        result.sort(Comparator.comparing(Advisory::id));
        return result;
    }

    /**
     * Whether two records tell of one advisory: they share an id or alias (an OSSF record and the RustSec advisory
     * that both name GHSA-…). The caller never joins two RustSec ids this way: RustSec files distinct advisories
     * about one CVE (an unsound and an unmaintained one), as rustsec keeps them, and cargo-audit reports each.
     */
    private static boolean sameAdvisory(Advisory a, Advisory b) {
        for (String id : a.ids()) {
            if (b.ids().contains(id)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> rustsecIds(List<Advisory> group) {
        return group.stream().map(Advisory::id).filter(id -> id.startsWith("RUSTSEC-")).toList();
    }

    private static Advisory combine(List<Advisory> group) {
        group.sort(Comparator.comparingInt(AdvisoryDatabase::authority).thenComparing(Advisory::id));
        Advisory primary = group.getFirst();
        if (group.size() == 1) {
            return primary;
        }
        Set<String> aliases = new LinkedHashSet<>();
        Set<String> categories = new LinkedHashSet<>(primary.categories());
        for (Advisory member : group) {
            aliases.addAll(member.ids());
            categories.addAll(member.categories());
        }
        aliases.remove(primary.id());
        return new Advisory(primary.id(), List.copyOf(aliases), primary.related(), primary.crate(), primary.source(),
                primary.date(), primary.title(), primary.summary(), primary.url(), categories, primary.keywords(),
                primary.informational(), primary.withdrawn(), primary.cvss() != null ? primary.cvss()
                : group.stream().map(Advisory::cvss).filter(c -> c != null).findFirst().orElse(null),
                primary.os(), primary.arch(), primary.functions(), primary.versions(), primary.license(),
                primary.origin());
    }

    private static int authority(Advisory advisory) {
        if (advisory.versions() instanceof AffectedVersions.Requirements) {
            return 0;
        }
        return advisory.id().startsWith("RUSTSEC-") ? 1 : advisory.id().startsWith("MAL-") ? 3 : 2;
    }
}
