package dev.warden.recon.churn;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.recon.ReconRules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What in a repository's churn deserves a look: a release carrying a first-time author's commits, a release after
 * a year or more of silence (arrayref 0.3.10 came after years of quiet), and newcomers in general.
 */
public final class ChurnFindings {

    static final Duration DORMANT = Duration.ofDays(365);

    private ChurnFindings() {
    }

    public static List<Finding> of(Churn churn, Instant now, Duration window) {
        List<Finding> findings = new ArrayList<>();
        List<Evidence> at = List.of(new Evidence(churn.repository(), 0, null));
        Churn.Range range = churn.range();
        if (range != null && !range.newAuthors().isEmpty()) {
            findings.add(new Finding(ReconRules.NEW_AUTHOR_IN_RELEASE, churn.repository(), range.to(),
                    range.from() + ".." + range.to() + " has commits by " + range.newAuthors().size() + " first-time "
                            + "author" + (range.newAuthors().size() == 1 ? "" : "s") + ": "
                            + String.join(", ", range.newAuthors()), at));
        }
        List<Churn.Release> releases = churn.releases();
        if (releases.size() >= 2) {
            Churn.Release latest = releases.getLast();
            Churn.Release previous = releases.get(releases.size() - 2);
            Duration gap = Duration.between(previous.date(), latest.date());
            if (gap.compareTo(DORMANT) >= 0 && latest.date().isAfter(now.minus(window))) {
                findings.add(new Finding(ReconRules.RELEASE_AFTER_DORMANCY, churn.repository(), latest.tag(),
                        latest.tag() + " (" + latest.date().toString().substring(0, 10) + ") came " + gap.toDays()
                                + " days after " + previous.tag() + ": check who published it and what changed", at));
            }
        }
        if (!churn.newAuthors().isEmpty()) {
            findings.add(new Finding(ReconRules.NEW_AUTHORS, churn.repository(), null, churn.newAuthors().size()
                    + " author" + (churn.newAuthors().size() == 1 ? "" : "s") + " committed for the first time in the "
                    + "last " + window.toDays() + " days: " + String.join(", ", churn.newAuthors()), at));
        }
        return findings;
    }
}
