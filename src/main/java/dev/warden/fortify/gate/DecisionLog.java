package dev.warden.fortify.gate;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.Project;
import dev.warden.core.Finding;
import dev.warden.core.Sha256;
import dev.warden.core.store.Database;
import dev.warden.core.store.RunTags;
import dev.warden.core.store.StoreLocation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every gate decision, in the project's store next to the build events: when it ran, against which base, whether
 * it blocked and why, and which packages the project resolved — so that the Fortify metrics (blocked dependency
 * changes, share of runs that could build {@code --locked}, share of crates from a private registry) and incident
 * response ("which projects resolved this crate?") are answered from facts.
 */
public final class DecisionLog implements AutoCloseable {

    /*
     * A run's resolved packages are stored once per distinct package list (gate_package_sets, by digest): CI gates
     * the same lockfile again and again, and a row per package per run grew the store by the lockfile's size on
     * every run. Runs recorded before that kept their rows in gate_packages, which is still read.
     */
    /** One recorded run. */
    public record Run(long id, Instant time, String project, String base, boolean blocked, boolean locked,
                      double privateShare, RunTags tags) {
    }

    /** One recorded finding and whether it blocked. */
    public record Decision(long run, String check, String rule, String severity, String crate, String version,
                           boolean blocking, String message) {
    }

    /**
     * The Fortify metrics over every recorded run.
     *
     * @param dependencyChanges   runs that compared against a base (a dependency change under review)
     * @param blockedChanges      of those, how many the gate blocked
     * @param lockedShare         share of runs whose lockfile was usable with {@code --locked}
     * @param privateShare        share of registry packages from a private registry, in the latest run
     */
    public record Metrics(int runs, int blockedRuns, int dependencyChanges, int blockedChanges, double lockedShare,
                          double privateShare) {
    }

    private final Database store;
    /** Whether closing the log closes the store (not when the log is a view of a store someone else holds). */
    private final boolean owner;

    private DecisionLog(Database store, boolean owner) {
        this.store = store;
        this.owner = owner;
    }

    /** @param nativeCache where to keep sqlite-jdbc's native library once unpacked (see {@link Database#open}) */
    public static DecisionLog open(StoreLocation location, Path nativeCache) {
        return new DecisionLog(Database.open(location, "the gate's decision log", nativeCache), true);
    }

    /** The log in a store the caller opened and closes (one connection for everything a gate records). */
    public static DecisionLog on(Database store) {
        return new DecisionLog(store, false);
    }

    /** The log in a SQLite file. */
    public static DecisionLog open(Path file, Path nativeCache) {
        return open(new StoreLocation.Sqlite(file), nativeCache);
    }

    /** Records one decision with its findings and the resolved packages, all or nothing. */
    public long record(Instant time, Project project, String base, Gate.Result result) {
        return record(time, project.root(), project.lockfile().packages(), base, result);
    }

    /** Records a decision about the project at {@code root}, which locked {@code packages} (none without a lockfile). */
    public long record(Instant time, Path root, List<LockedPackage> packages, String base, Gate.Result result) {
        return record(time, root, packages, base, result, Map.of(), RunTags.UNKNOWN);
    }

    /**
     * Records a decision, where it was taken ({@code tags}), and the owners each crate had at the time (from the
     * registry data), for the next run of this project to compare with.
     */
    public long record(Instant time, Path root, List<LockedPackage> packages, String base, Gate.Result result,
                       Map<String, Set<String>> owners, RunTags tags) {
        return store.transaction(db -> {
            long run;
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO gate_runs (time, project, base, "
                    + "blocked, locked, private_share, repository, host, ci_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, time.toString());
                insert.setString(2, root.toString());
                insert.setString(3, base);
                insert.setInt(4, result.blocked() ? 1 : 0);
                insert.setInt(5, result.locked() ? 1 : 0);
                insert.setDouble(6, result.privateShare());
                insert.setString(7, tags.repository());
                insert.setString(8, tags.host());
                insert.setString(9, tags.ciRun());
                insert.executeUpdate();
                run = Database.key(insert);
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO gate_findings (run, check_name, rule, "
                    + "severity, crate, version, blocking, message, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (Gate.CheckResult check : result.checks()) {
                    for (Finding finding : check.findings()) {
                        insert.setLong(1, run);
                        insert.setString(2, check.check());
                        insert.setString(3, finding.id());
                        insert.setString(4, finding.severity().label());
                        insert.setString(5, finding.crate());
                        insert.setString(6, finding.version());
                        insert.setInt(7, check.blocking().contains(finding) ? 1 : 0);
                        insert.setString(8, finding.message());
                        insert.setInt(9, position++);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            long set = packageSet(db, packages);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO gate_run_packages (run, package_set) "
                    + "VALUES (?, ?)")) {
                insert.setLong(1, run);
                insert.setLong(2, set);
                insert.executeUpdate();
            }
            try (PreparedStatement upsert = db.prepareStatement("INSERT INTO gate_owners (project, crate, owners, run) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (project, crate) DO UPDATE SET owners = excluded.owners, "
                    + "run = excluded.run")) {
                for (Map.Entry<String, Set<String>> crate : owners.entrySet()) {
                    upsert.setString(1, root.toString());
                    upsert.setString(2, crate.getKey());
                    upsert.setString(3, String.join("\n", new TreeSet<>(crate.getValue())));
                    upsert.setLong(4, run);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            return run;
        });
    }

    /** The owners each crate had at the last gate run of the project at {@code root} that knew them. */
    public Map<String, Set<String>> owners(Path root) {
        // ended like a write, so the read's snapshot does not outlive it: a build may write the store before the
        // decision is recorded on this connection
        return store.transaction(db -> {
            Map<String, Set<String>> owners = new LinkedHashMap<>();
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT crate, owners FROM gate_owners WHERE project = ?")) {
                query.setString(1, root.toString());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        owners.put(rows.getString(1), rows.getString(2).isEmpty() ? Set.of()
                                : Set.of(rows.getString(2).split("\n")));
                    }
                }
            }
            return owners;
        });
    }

    /** The id of this package list, stored the first time any run resolved exactly it. */
    private static long packageSet(Connection db, List<LockedPackage> packages) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (LockedPackage pkg : packages) {
            lines.add(pkg.name() + " " + pkg.version() + " " + (pkg.source() == null ? "" : pkg.source()));
        }
        lines.sort(null);
        String digest = Sha256.hex(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        try (PreparedStatement find = db.prepareStatement("SELECT id FROM gate_package_sets WHERE digest = ?")) {
            find.setString(1, digest);
            try (ResultSet row = find.executeQuery()) {
                if (row.next()) {
                    return row.getLong(1);
                }
            }
        }
        long set;
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO gate_package_sets (digest) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, digest);
            insert.executeUpdate();
            set = Database.key(insert);
        }
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO gate_set_packages (package_set, name, "
                + "version, source) VALUES (?, ?, ?, ?)")) {
            for (LockedPackage pkg : packages) {
                insert.setLong(1, set);
                insert.setString(2, pkg.name());
                insert.setString(3, pkg.version().toString());
                insert.setString(4, pkg.source() == null ? null : pkg.source().toString());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return set;
    }

    public List<Run> runs() {
        return runs(" ORDER BY id");
    }

    /** Findings of one run (or of all runs, when {@code run} is null) that concern {@code crate} (null: any). */
    public List<Decision> decisions(Long run, String crate) {
        return store.sql(db -> {
            List<Decision> decisions = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT run, check_name, rule, severity, crate, "
                    + "version, blocking, message FROM gate_findings WHERE (CAST(? AS BIGINT) IS NULL OR run = ?) "
                    + "AND (CAST(? AS TEXT) IS NULL OR crate = ?) ORDER BY run, position")) {
                select.setObject(1, run, Types.BIGINT);
                select.setObject(2, run, Types.BIGINT);
                select.setString(3, crate);
                select.setString(4, crate);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        decisions.add(new Decision(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6), rows.getInt(7) == 1,
                                rows.getString(8)));
                    }
                }
            }
            return decisions;
        });
    }

    /** Runs whose project resolved {@code crate}, at {@code version} when given. */
    public List<Run> runsResolving(String crate, String version) {
        return runs(" WHERE id IN (SELECT run FROM gate_packages WHERE name = ? AND (CAST(? AS TEXT) IS NULL "
                + "OR version = ?)) OR id IN (SELECT run FROM gate_run_packages WHERE package_set IN (SELECT "
                + "package_set FROM gate_set_packages WHERE name = ? AND (CAST(? AS TEXT) IS NULL OR version = ?))) "
                + "ORDER BY id",
                crate, version, version, crate, version, version);
    }

    /** @param tail the query's WHERE, ORDER BY and LIMIT clauses, with {@code parameters} for its placeholders */
    private List<Run> runs(String tail, Object... parameters) {
        return store.sql(db -> {
            List<Run> runs = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT id, time, project, base, blocked, locked, "
                    + "private_share, repository, host, ci_run FROM gate_runs" + tail)) {
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i] == null) {
                        select.setNull(i + 1, Types.VARCHAR);
                    } else {
                        select.setObject(i + 1, parameters[i]);
                    }
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        runs.add(new Run(rows.getLong(1), Instant.parse(rows.getString(2)), rows.getString(3),
                                rows.getString(4), rows.getInt(5) == 1, rows.getInt(6) == 1, rows.getDouble(7),
                                new RunTags(rows.getString(8), rows.getString(9), rows.getString(10))));
                    }
                }
            }
            return runs;
        });
    }

    /** A change the gate blocked, with the rules of the findings that blocked it. */
    public record Blocked(Run run, List<String> rules) {
    }

    /** The project's latest {@code limit} blocked dependency changes since {@code since} (null: ever), newest first. */
    public List<Blocked> blockedChanges(String project, Instant since, int limit) {
        List<Run> runs = runs(" WHERE project = ? AND blocked = 1 AND base IS NOT NULL AND time >= ? ORDER BY id "
                + "DESC LIMIT ?", project, since == null ? "" : since.toString(), limit);
        return store.sql(db -> {
            List<Blocked> blocked = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT DISTINCT rule FROM gate_findings WHERE "
                    + "run = ? AND blocking = 1 ORDER BY rule")) {
                for (Run run : runs) {
                    select.setLong(1, run.id());
                    List<String> rules = new ArrayList<>();
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            rules.add(rows.getString(1));
                        }
                    }
                    blocked.add(new Blocked(run, rules));
                }
            }
            return blocked;
        });
    }

    /** The project's runs, counted by the store: a gate reports them after every run, the history grows with each. */
    public Metrics metrics(String project) {
        // ended like a write: the metrics history is written next on the same connection, and a snapshot held
        // from this read could not become a write if another gate committed in between
        return store.transaction(db -> {
            try (PreparedStatement select = db.prepareStatement("SELECT count(*), coalesce(sum(blocked), 0), "
                    + "count(base), coalesce(sum(CASE WHEN base IS NOT NULL THEN blocked ELSE 0 END), 0), "
                    + "coalesce(sum(locked), 0), (SELECT private_share FROM gate_runs WHERE project = ? ORDER BY id "
                    + "DESC LIMIT 1) FROM gate_runs WHERE project = ?")) {
                select.setString(1, project);
                select.setString(2, project);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    int runs = row.getInt(1);
                    return new Metrics(runs, row.getInt(2), row.getInt(3), row.getInt(4),
                            runs == 0 ? 0 : row.getDouble(5) / runs, runs == 0 ? 0 : row.getDouble(6));
                }
            }
        });
    }

    @Override
    public void close() {
        if (owner) {
            store.close();
        }
    }
}
