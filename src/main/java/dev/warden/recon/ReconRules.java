package dev.warden.recon;

import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.List;

/** The findings {@code warden recon} reports about names, sources and freshness. */
public final class ReconRules {

    private static Rule rule(String code, Severity severity, String description) {
        return new Rule(code, Stage.RECONNAISSANCE, severity, description);
    }

    public static final Rule TYPOSQUAT = rule("typosquat", Severity.HIGH,
            "A dependency's name imitates a far more popular crate.");
    public static final Rule INTERNAL_FROM_CRATES_IO = rule("internal-crate-from-crates-io", Severity.CRITICAL,
            "A crate named like the organisation's internal crates was resolved from crates.io.");
    public static final Rule INTERNAL_WITHOUT_REGISTRY = rule("internal-crate-without-registry", Severity.HIGH,
            "A dependency named like an internal crate does not say which registry it comes from.");
    public static final Rule PRIVATE_RESOLVED_PUBLICLY = rule("private-crate-resolved-publicly", Severity.CRITICAL,
            "A dependency declared for a private registry was locked from crates.io.");
    public static final Rule NAME_ALSO_ON_CRATES_IO = rule("name-also-on-crates-io", Severity.MEDIUM,
            "A crate from a private registry shares its name with a crates.io crate.");
    public static final Rule SAME_NAME_TWO_SOURCES = rule("same-name-two-sources", Severity.MEDIUM,
            "One crate name is locked from more than one source.");
    public static final Rule GIT_UNPINNED = rule("git-dependency-unpinned", Severity.MEDIUM,
            "A git dependency follows a branch or tag instead of a fixed revision.");
    public static final Rule RECENTLY_PUBLISHED = rule("recently-published", Severity.MEDIUM,
            "A locked version is younger than the minimum publish age.");
    public static final Rule STALE_CRATE = rule("stale-crate", Severity.LOW,
            "A crate has had no release for a long time.");
    public static final Rule OUTDATED_CRATE = rule("outdated-crate", Severity.INFO,
            "A locked version is a major version or more than a year behind the newest release.");
    public static final Rule YOUNG_CRATE = rule("young-crate", Severity.MEDIUM,
            "The crate first appeared on crates.io only weeks ago.");
    public static final Rule FEW_DOWNLOADS = rule("few-downloads", Severity.LOW,
            "Hardly anyone has downloaded the crate.");
    public static final Rule NO_REPOSITORY = rule("no-repository", Severity.LOW,
            "The crate declares no source repository, so its code cannot be compared with its history.");
    public static final Rule UNMENTIONED = rule("unmentioned-crate", Severity.INFO,
            "No public Cargo.toml that code search can see depends on the crate.");
    public static final Rule NEW_AUTHOR_IN_RELEASE = rule("new-author-in-release", Severity.MEDIUM,
            "A release contains commits by someone who had never committed to the repository before.");
    public static final Rule RELEASE_AFTER_DORMANCY = rule("release-after-dormancy", Severity.MEDIUM,
            "A long-dormant repository suddenly released again, as compromised maintainer accounts do.");
    public static final Rule NEW_AUTHORS = rule("new-authors", Severity.INFO,
            "People committed to the repository for the first time recently.");

    public static final List<Rule> ALL = List.of(TYPOSQUAT, INTERNAL_FROM_CRATES_IO, INTERNAL_WITHOUT_REGISTRY,
            PRIVATE_RESOLVED_PUBLICLY, NAME_ALSO_ON_CRATES_IO, SAME_NAME_TWO_SOURCES, GIT_UNPINNED, RECENTLY_PUBLISHED,
            STALE_CRATE, OUTDATED_CRATE, YOUNG_CRATE, FEW_DOWNLOADS, NO_REPOSITORY, UNMENTIONED,
            NEW_AUTHOR_IN_RELEASE, RELEASE_AFTER_DORMANCY, NEW_AUTHORS);

    private ReconRules() {
    }
}
