package dev.warden.recon.intel;

import java.time.Instant;
import java.util.List;

/**
 * What the public record says about one crate. Fields a source could not answer are null (counts: -1).
 *
 * @param downloads       all-time downloads on crates.io
 * @param recentDownloads downloads in the last 90 days
 * @param created         when the crate was first published
 * @param updated         when it last changed
 * @param newestVersion   crates.io's newest version
 * @param versions        how many versions it has
 * @param repository      its declared repository, or null when it declares none
 * @param owners          crates.io owner logins (users and teams)
 * @param githubMentions  public {@code Cargo.toml} files on GitHub naming it
 * @param sourcegraphMentions the same from Sourcegraph
 */
public record CrateIntel(String name, long downloads, long recentDownloads, Instant created, Instant updated,
                         String newestVersion, int versions, String repository, List<String> owners,
                         long githubMentions, long sourcegraphMentions) {

    public CrateIntel {
        owners = owners == null ? null : List.copyOf(owners);
    }

    /** Whether crates.io answered at all. */
    public boolean known() {
        return downloads >= 0;
    }
}
