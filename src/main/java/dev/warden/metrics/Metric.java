package dev.warden.metrics;

import dev.warden.core.Stage;

import java.util.Locale;

/**
 * The REFLEX metrics — the framework's "Metrics/Signal" for each stage — each with a stable key (stored, exported,
 * never renamed), the stage it measures, how a run's values add up over a period, which way is better, and a target
 * where the framework or common practice sets one ({@code null}: follow the trend). Commands record them in the store
 * ({@link MetricLog}) as they compute them; {@code warden report} draws them.
 */
public enum Metric {
    LIBYEARS("libyears", Stage.RECONNAISSANCE, "Dependency freshness", Unit.YEARS, Aggregation.LATEST, Better.LOWER,
            null, "years between each locked release and the newest one, summed over the registry crates"),
    STALE_SHARE("stale-share", Stage.RECONNAISSANCE, "Stale crates", Unit.SHARE, Aggregation.LATEST, Better.LOWER,
            0.10, "share of registry crates with no release within [recon] stale-after (12 months)"),
    TYPOSQUATS("typosquats", Stage.RECONNAISSANCE, "Typosquat findings", Unit.COUNT, Aggregation.LATEST, Better.LOWER,
            0.0, "crates whose names imitate a popular crate or a direct dependency"),
    CONFUSION("confusion", Stage.RECONNAISSANCE, "Dependency-confusion findings", Unit.COUNT, Aggregation.LATEST,
            Better.LOWER, 0.0, "internal names locked from crates.io, private names also on crates.io, unpinned git"),
    PUBLIC_MENTIONS("public-mentions", Stage.RECONNAISSANCE, "Public mentions of internal names", Unit.COUNT,
            Aggregation.LATEST, Better.LOWER, 0.0, "public manifests (GitHub, Sourcegraph) that name the project's "
            + "internal crates ([recon] internal-prefixes), counted by `warden recon --intel`"),

    VULNERABILITIES("vulnerabilities", Stage.EVALUATION, "Known vulnerabilities", Unit.COUNT, Aggregation.LATEST,
            Better.LOWER, 0.0, "advisories (vulnerabilities and malicious crates) that hold for a locked version"),
    VULNERABILITIES_CRITICAL("vulnerabilities-critical", Stage.EVALUATION, "Critical", Unit.COUNT,
            Aggregation.LATEST, Better.LOWER, 0.0, "known vulnerabilities rated critical"),
    VULNERABILITIES_HIGH("vulnerabilities-high", Stage.EVALUATION, "High", Unit.COUNT, Aggregation.LATEST,
            Better.LOWER, 0.0, "known vulnerabilities rated high"),
    VULNERABILITIES_MEDIUM("vulnerabilities-medium", Stage.EVALUATION, "Medium", Unit.COUNT, Aggregation.LATEST,
            Better.LOWER, null, "known vulnerabilities rated medium"),
    VULNERABILITIES_LOW("vulnerabilities-low", Stage.EVALUATION, "Low", Unit.COUNT, Aggregation.LATEST,
            Better.LOWER, null, "known vulnerabilities rated low or informational"),
    UNSAFE("unsafe", Stage.EVALUATION, "unsafe uses", Unit.COUNT, Aggregation.LATEST, Better.LOWER, null,
            "unsafe blocks, functions and impls in the third-party crates scanned (warden scan)"),
    BUILD_SCRIPTS("build-scripts", Stage.EVALUATION, "Crates with build scripts", Unit.COUNT, Aggregation.LATEST,
            Better.LOWER, null, "third-party crates whose build.rs runs at every build"),
    PROC_MACROS("proc-macros", Stage.EVALUATION, "Proc-macro crates", Unit.COUNT, Aggregation.LATEST, Better.LOWER,
            null, "third-party crates the compiler runs as plugins"),
    LOCKFILE_CHURN("lockfile-churn", Stage.EVALUATION, "Lockfile churn", Unit.PER_MONTH, Aggregation.LATEST,
            Better.LOWER, null, "commits changing Cargo.lock per month, over the last year of git history"),

    DEPENDENCY_CHANGES("dependency-changes", Stage.FORTIFY, "Dependency changes reviewed", Unit.COUNT,
            Aggregation.SUM, Better.NEITHER, null, "gate runs that judged a change against a base"),
    BLOCKED_CHANGES("blocked-changes", Stage.FORTIFY, "Blocked changes", Unit.COUNT, Aggregation.SUM, Better.NEITHER,
            null, "dependency changes the gate blocked"),
    LOCKED("locked", Stage.FORTIFY, "Gate runs --locked-clean", Unit.SHARE, Aggregation.MEAN, Better.HIGHER, 1.0,
            "share of gate runs whose Cargo.lock was usable with --locked (the framework asks for 100 %)"),
    PRIVATE_SHARE("private-registry-share", Stage.FORTIFY, "Crates from a private registry or mirror", Unit.SHARE,
            Aggregation.LATEST, Better.HIGHER, null, "share of registry crates served by a private registry or by a "
            + "mirror that replaces crates.io"),
    CI_LOCKED("ci-locked", Stage.FORTIFY, "CI cargo calls with --locked", Unit.SHARE, Aggregation.LATEST,
            Better.HIGHER, 1.0, "share of the cargo calls in the CI definitions that build or resolve with --locked "
            + "or --frozen (warden ci-audit)"),
    QUARANTINED("quarantined", Stage.FORTIFY, "Crates in quarantine", Unit.COUNT, Aggregation.LATEST, Better.LOWER,
            0.0, "locked versions younger than [recon] min-publish-age"),

    SANDBOXED("sandboxed-builds", Stage.LIMIT, "Sandboxed builds", Unit.SHARE, Aggregation.MEAN, Better.HIGHER, 1.0,
            "share of builds run inside Warden's sandbox"),
    SECRETS_EXPOSED("secrets-exposed", Stage.LIMIT, "Secrets visible to builds", Unit.COUNT, Aggregation.SUM,
            Better.LOWER, 0.0, "secret-looking variables whose real value a build's code could read"),
    STATIC_CREDENTIALS("static-credentials", Stage.LIMIT, "Static CI credentials", Unit.COUNT, Aggregation.LATEST,
            Better.LOWER, 0.0, "stored cloud keys and long-lived tokens CI jobs receive where short-lived ones exist "
            + "(warden ci-audit); their lifetime is unbounded"),
    CREDENTIAL_TTL("credential-ttl", Stage.LIMIT, "Longest CI credential lifetime", Unit.SECONDS, Aggregation.LATEST,
            Better.LOWER, 3600.0, "the longest lifetime of the short-lived credentials CI jobs obtain (OIDC roles, ID "
            + "tokens), defaults included (warden ci-audit)"),
    EGRESS_FILTERED("egress-filtered-jobs", Stage.LIMIT, "CI build jobs with blocked egress", Unit.SHARE,
            Aggregation.LATEST, Better.HIGHER, 1.0, "share of the CI jobs compiling dependencies whose egress is "
            + "blocked except for allowed endpoints (warden ci-audit)"),
    IAM_PERMISSIONS("iam-permissions", Stage.LIMIT, "IAM permissions of the build role", Unit.COUNT,
            Aggregation.LATEST, Better.LOWER, null, "actions the build role's AWS policies allow, wildcards expanded "
            + "(warden ci-audit --iam)"),
    BLOCKED_EGRESS("blocked-egress", Stage.LIMIT, "Blocked egress attempts", Unit.COUNT, Aggregation.SUM,
            Better.LOWER, null, "DNS lookups and connections the sandbox refused"),

    EGRESS_ALERTS("egress-alerts", Stage.EXPOSE, "Anomalous egress alerts", Unit.COUNT, Aggregation.SUM,
            Better.LOWER, 0.0, "alerts on connections or lookups to unexpected destinations"),
    FIRST_SEEN_DNS("first-seen-dns", Stage.EXPOSE, "First-seen DNS names", Unit.COUNT, Aggregation.SUM, Better.LOWER,
            null, "domains a build queried that no earlier build of the project queried"),

    DRILL_SUCCESS("drill-success", Stage.EXERCISE, "Exercise success rate", Unit.SHARE, Aggregation.MEAN,
            Better.HIGHER, 1.0, "share of simulated attacks that were blocked or detected (warden drill)"),
    MTTD("mttd", Stage.EXERCISE, "Mean time to detect", Unit.SECONDS, Aggregation.MEAN, Better.LOWER, 300.0,
            "from the malicious release to the first alert, in drills"),
    MTTR("mttr", Stage.EXERCISE, "Mean time to remediate", Unit.SECONDS, Aggregation.MEAN, Better.LOWER, 3600.0,
            "from detection to a verified clean rebuild, in drills"),
    TEAM_CONFIDENCE("team-confidence", Stage.EXERCISE, "Team confidence", Unit.SCORE, Aggregation.MEAN,
            Better.HIGHER, 4.0, "tabletop participants' confidence in the response, 1–5");

    /** What a value counts. */
    public enum Unit {
        COUNT(""), SHARE("%"), YEARS("years"), SECONDS("s"), PER_MONTH("per month"), SCORE("of 5");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How the values recorded over a period make its figure: the last one, their sum, or their mean. */
    public enum Aggregation {
        LATEST, SUM, MEAN
    }

    /** Which way a change is good news. */
    public enum Better {
        LOWER, HIGHER, NEITHER
    }

    private final String key;
    private final Stage stage;
    private final String label;
    private final Unit unit;
    private final Aggregation aggregation;
    private final Better better;
    private final Double target;
    private final String description;

    Metric(String key, Stage stage, String label, Unit unit, Aggregation aggregation, Better better, Double target,
           String description) {
        this.key = key;
        this.stage = stage;
        this.label = label;
        this.unit = unit;
        this.aggregation = aggregation;
        this.better = better;
        this.target = target;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Stage stage() {
        return stage;
    }

    public String label() {
        return label;
    }

    public Unit unit() {
        return unit;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    public Better better() {
        return better;
    }

    /** The value to reach or stay within, or null where only the trend matters. */
    public Double target() {
        return target;
    }

    public String description() {
        return description;
    }

    /** Whether {@code value} meets the target; null when there is none. */
    public Boolean meets(double value) {
        if (target == null) {
            return null;
        }
        return better == Better.HIGHER ? value >= target - 1e-9 : value <= target + 1e-9;
    }

    /** The value as people read it: shares in per cent, durations in their largest unit, counts whole. */
    public String format(double value) {
        return switch (unit) {
            case SHARE -> String.format(Locale.ROOT, "%.0f %%", value * 100);
            case YEARS -> String.format(Locale.ROOT, "%.1f years", value);
            case SECONDS -> duration(value);
            case PER_MONTH -> String.format(Locale.ROOT, "%.1f per month", value);
            case SCORE -> String.format(Locale.ROOT, "%.1f of 5", value);
            case COUNT -> value == Math.rint(value) ? String.format(Locale.ROOT, "%,d", (long) value)
                    : String.format(Locale.ROOT, "%.1f", value);
        };
    }

    /** The target as a condition: "≤ 10 %", "≥ 4.0 of 5", "0"; which way is better without one. */
    public String targetText() {
        if (target == null) {
            return better == Better.NEITHER ? "none (context)" : better == Better.LOWER ? "lower is better"
                    : "higher is better";
        }
        if (target == 0 && better == Better.LOWER) {
            return "0";
        }
        return (better == Better.HIGHER ? "≥ " : "≤ ") + format(target);
    }

    private static String duration(double seconds) {
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
        }
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    /** The metric with this stable key, or null. */
    public static Metric byKey(String key) {
        for (Metric metric : values()) {
            if (metric.key.equals(key)) {
                return metric;
            }
        }
        return null;
    }
}
