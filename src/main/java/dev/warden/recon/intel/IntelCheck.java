package dev.warden.recon.intel;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.recon.ReconRules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges what the public record says about crates: a crate created weeks ago, downloaded by almost nobody, without a
 * repository, that no public project depends on, is what a fresh malicious upload looks like. Looks up only the
 * crates it is given (direct dependencies and crates other checks flagged): asking about a thousand crates at one
 * request a second is a job for a cache, not a pull request.
 */
public final class IntelCheck {

    /** Below this many all-time downloads a crate has next to no users. */
    static final long FEW_DOWNLOADS = 1_000;
    /** Younger than this a crate has had no time to be looked at. */
    static final Duration YOUNG = Duration.ofDays(90);

    private final IntelSources sources;

    public IntelCheck(IntelSources sources) {
        this.sources = sources;
    }

    /** One lookup per crate name; {@code evidence} says where each crate was found. */
    public List<Finding> run(Map<String, Evidence> crates, Instant now) {
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, Evidence> entry : crates.entrySet()) {
            CrateIntel intel = sources.lookUp(entry.getKey());
            if (intel.known()) {
                judge(intel, List.of(entry.getValue()), now, findings);
            }
        }
        return findings;
    }

    static void judge(CrateIntel intel, List<Evidence> at, Instant now, List<Finding> findings) {
        String name = intel.name();
        Map<String, String> facts = facts(intel);
        if (intel.created() != null && intel.created().isAfter(now.minus(YOUNG))) {
            long days = Duration.between(intel.created(), now).toDays();
            findings.add(new Finding(ReconRules.YOUNG_CRATE, ReconRules.YOUNG_CRATE.defaultSeverity(), name, null,
                    name + " was first published " + days + " days ago (" + intel.created().toString().substring(0, 10)
                            + ")", at, facts));
        }
        if (intel.downloads() >= 0 && intel.downloads() < FEW_DOWNLOADS) {
            findings.add(new Finding(ReconRules.FEW_DOWNLOADS, ReconRules.FEW_DOWNLOADS.defaultSeverity(), name, null,
                    name + " has been downloaded " + intel.downloads() + " times in all", at, facts));
        }
        if (intel.repository() == null) {
            findings.add(new Finding(ReconRules.NO_REPOSITORY, ReconRules.NO_REPOSITORY.defaultSeverity(), name, null,
                    name + " declares no repository", at, facts));
        }
        boolean searched = intel.githubMentions() >= 0 || intel.sourcegraphMentions() >= 0;
        if (searched && intel.githubMentions() <= 0 && intel.sourcegraphMentions() <= 0) {
            findings.add(new Finding(ReconRules.UNMENTIONED, ReconRules.UNMENTIONED.defaultSeverity(), name, null,
                    "no public Cargo.toml found by code search names " + name, at, facts));
        }
    }

    /** The record, as attributes on every finding about the crate. */
    private static Map<String, String> facts(CrateIntel intel) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("downloads", String.valueOf(intel.downloads()));
        if (intel.created() != null) {
            facts.put("created", intel.created().toString());
        }
        if (intel.owners() != null) {
            facts.put("owners", String.join(", ", intel.owners()));
        }
        if (intel.repository() != null) {
            facts.put("repository", intel.repository());
        }
        if (intel.githubMentions() >= 0) {
            facts.put("githubMentions", String.valueOf(intel.githubMentions()));
        }
        if (intel.sourcegraphMentions() >= 0) {
            facts.put("sourcegraphMentions", String.valueOf(intel.sourcegraphMentions()));
        }
        return facts;
    }
}
