package dev.warden.evaluate.review;

import java.util.Set;

/**
 * {@code [review]} in {@code warden.toml}.
 *
 * @param require      criteria every crate the change brings must be reviewed for (empty: cargo-vet's own policy, and
 *                     an unreviewed crate is shown without blocking)
 * @param store        the cargo-vet directory, relative to the project root
 * @param crev         crev settings, or null when crev proofs are not read
 */
public record ReviewPolicy(Set<String> require, String store, Crev crev) {

    /**
     * {@code crev-proofs}, {@code crev-id}, {@code crev-trust}, {@code crev-criteria}.
     *
     * @param proofs   the local proof repository, relative to the project root
     * @param id       the user's own crev id, where trust starts
     * @param minimum  how far a reviewer must be trusted for a positive review to count
     * @param criteria what a positive review counts as (cargo-vet criteria)
     */
    public record Crev(String proofs, String id, CrevProofs.Level minimum, Set<String> criteria) {
        public Crev {
            criteria = Set.copyOf(criteria);
        }
    }

    public ReviewPolicy {
        require = Set.copyOf(require);
    }

    public static ReviewPolicy defaults() {
        return new ReviewPolicy(Set.of(), "supply-chain", null);
    }
}
