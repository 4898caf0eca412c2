package dev.warden.evaluate.review;

import java.util.Set;

/**
 * {@code [review]} in {@code warden.toml}.
 *
 * @param require criteria every crate the change brings must be reviewed for (empty: cargo-vet's own policy, and an
 *                unreviewed crate is shown without blocking)
 * @param store   the cargo-vet directory, relative to the project root
 */
public record ReviewPolicy(Set<String> require, String store) {

    public ReviewPolicy {
        require = Set.copyOf(require);
    }

    public static ReviewPolicy defaults() {
        return new ReviewPolicy(Set.of(), "supply-chain");
    }
}
