package dev.warden.recon.typosquat;

/**
 * A name that imitates another.
 *
 * @param target      the crate it imitates
 * @param targetRank  the target's download rank ({@link PopularCrates#UNRANKED} when unknown)
 * @param rank        the suspicious name's own rank, or {@link PopularCrates#UNRANKED} when it is not popular
 * @param direct      whether the target is one of the project's own direct dependencies
 * @param detail      how, in words: "lazy_static without its separator", "url + parse"
 */
public record SquatMatch(String name, String target, int targetRank, int rank, boolean direct, Technique technique,
                         String detail) {

    /** How many times more popular the target is; the signal is an obscure name next to a very popular one. */
    public long rankGap() {
        return Math.round((double) rank / Math.max(1, targetRank));
    }
}
