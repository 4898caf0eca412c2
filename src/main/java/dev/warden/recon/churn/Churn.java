package dev.warden.recon.churn;

import java.time.Instant;
import java.util.List;

/**
 * What a crate's repository history says.
 *
 * @param commits         commits reachable from the analysed head
 * @param recentCommits   of those, the ones inside the window
 * @param authors         every author, most commits first ({@code Name <email>})
 * @param newAuthors      authors whose first commit falls inside the window
 * @param releases        tags with the date of the commit they point at, oldest first
 * @param range           the change between two revisions, when asked for
 */
public record Churn(String repository, String head, int commits, int recentCommits, List<String> authors,
                    List<String> newAuthors, List<Release> releases, Range range) {

    /** A release tag and when its commit was made. */
    public record Release(String tag, Instant date) {
    }

    /**
     * The change from one revision to another.
     *
     * @param newAuthors authors of commits in the range who had no commit before it
     */
    public record Range(String from, String to, int commits, int filesChanged, int linesAdded, int linesRemoved,
                        List<String> authors, List<String> newAuthors) {

        public Range {
            authors = List.copyOf(authors);
            newAuthors = List.copyOf(newAuthors);
        }
    }

    public Churn {
        authors = List.copyOf(authors);
        newAuthors = List.copyOf(newAuthors);
        releases = List.copyOf(releases);
    }

    /** Mean days between consecutive releases, or -1 with fewer than two. */
    public double releaseIntervalDays() {
        if (releases.size() < 2) {
            return -1;
        }
        long span = releases.getLast().date().getEpochSecond() - releases.getFirst().date().getEpochSecond();
        return span / 86400.0 / (releases.size() - 1);
    }
}
