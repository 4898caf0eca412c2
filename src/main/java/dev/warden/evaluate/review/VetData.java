package dev.warden.evaluate.review;

import dev.warden.toml.Toml;
import dev.warden.toml.TomlArray;
import dev.warden.toml.TomlTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A project's cargo-vet data, read as cargo-vet writes it: {@code supply-chain/config.toml} (exemptions, policy,
 * imports), {@code audits.toml} (the project's own audits, trusted publishers, custom criteria) and
 * {@code imports.lock} (the audits imported from other organisations, and the publisher of each version a trust or
 * wildcard entry covers). Every line is kept for the evidence.
 */
public record VetData(Path directory, Map<String, Set<String>> implies, List<Audit> audits, List<Trust> trusts,
                      List<Exemption> exemptions, Map<String, Publisher> publishers,
                      Map<String, CratePolicy> policies) {

    /** cargo-vet's two built-in criteria; deploying implies running. */
    public static final String SAFE_TO_DEPLOY = "safe-to-deploy";
    public static final String SAFE_TO_RUN = "safe-to-run";

    /**
     * A review of one version ({@code from} null) or of the change between two ({@code delta = "A -> B"}).
     *
     * @param source "audits.toml", or the import's name
     */
    public record Audit(String crate, Set<String> criteria, String from, String to, String who, String source,
                        Path file, int line) {
    }

    /** A trusted publisher (own {@code [[trusted]]}) or an imported wildcard audit: every version user-id published. */
    public record Trust(String crate, Set<String> criteria, long userId, LocalDate start, LocalDate end, String source,
                        Path file, int line) {
    }

    public record Exemption(String crate, String version, Set<String> criteria, Path file, int line) {
    }

    /** Who published a version, as imports.lock records it for trust and wildcard entries. */
    public record Publisher(long userId, String login, LocalDate when) {
    }

    /** {@code [policy.CRATE]}: the criteria a first-party crate's dependencies need. */
    public record CratePolicy(Set<String> criteria, Set<String> devCriteria, Boolean auditAsCratesIo) {
    }

    /** The same data with more audits (crev reviews, read as audits), after the project's own. */
    public VetData withAudits(List<Audit> more) {
        List<Audit> all = new ArrayList<>(audits);
        all.addAll(more);
        return new VetData(directory, implies, List.copyOf(all), trusts, exemptions, publishers, policies);
    }

    public static boolean present(Path directory) {
        return Files.isRegularFile(directory.resolve("config.toml")) || Files.isRegularFile(
                directory.resolve("audits.toml"));
    }

    public static VetData read(Path directory) {
        Map<String, Set<String>> implies = new HashMap<>();
        implies.put(SAFE_TO_DEPLOY, Set.of(SAFE_TO_RUN));
        implies.put(SAFE_TO_RUN, Set.of());
        List<Audit> audits = new ArrayList<>();
        List<Trust> trusts = new ArrayList<>();
        List<Exemption> exemptions = new ArrayList<>();
        Map<String, Publisher> publishers = new HashMap<>();
        Map<String, CratePolicy> policies = new HashMap<>();

        Path auditsFile = directory.resolve("audits.toml");
        if (Files.isRegularFile(auditsFile)) {
            TomlTable root = Toml.parse(auditsFile);
            criteria(root, implies);
            audits(root.getTable("audits"), "audits.toml", auditsFile, audits);
            trusts(root.getTable("trusted"), "audits.toml", auditsFile, trusts);
        }
        Path config = directory.resolve("config.toml");
        if (Files.isRegularFile(config)) {
            TomlTable root = Toml.parse(config);
            TomlTable exempt = root.getTable("exemptions");
            for (String crate : exempt == null ? Set.<String>of() : exempt.keys()) {
                TomlArray entries = exempt.getArray(crate);
                for (TomlTable entry : entries.tables(exempt, crate)) {
                    exemptions.add(new Exemption(crate, entry.getString("version"), criteria(entry), config,
                            entry.line()));
                }
            }
            TomlTable policy = root.getTable("policy");
            for (String crate : policy == null ? Set.<String>of() : policy.keys()) {
                TomlTable entry = policy.getTable(crate);
                policies.put(crate, new CratePolicy(strings(entry, "criteria"), strings(entry, "dev-criteria"),
                        entry.getBoolean("audit-as-crates-io")));
            }
        }
        Path lock = directory.resolve("imports.lock");
        if (Files.isRegularFile(lock)) {
            TomlTable root = Toml.parse(lock);
            TomlTable published = root.getTable("publisher");
            for (String crate : published == null ? Set.<String>of() : published.keys()) {
                for (TomlTable entry : published.getArray(crate).tables(published, crate)) {
                    publishers.put(crate + "@" + entry.getString("version"), new Publisher(entry.getInteger("user-id"),
                            entry.getString("user-login"), LocalDate.parse(entry.getString("when"))));
                }
            }
            TomlTable imported = root.getTable("audits");
            for (String name : imported == null ? Set.<String>of() : imported.keys()) {
                TomlTable org = imported.getTable(name);
                criteria(org, implies);
                audits(org.getTable("audits"), name, lock, audits);
                trusts(org.getTable("wildcard-audits"), name, lock, trusts);
            }
        }
        return new VetData(directory, implies, audits, trusts, exemptions, publishers, policies);
    }

    private static void criteria(TomlTable root, Map<String, Set<String>> implies) {
        TomlTable criteria = root.getTable("criteria");
        for (String name : criteria == null ? Set.<String>of() : criteria.keys()) {
            implies.putIfAbsent(name, strings(criteria.getTable(name), "implies"));
        }
    }

    private static void audits(TomlTable table, String source, Path file, List<Audit> into) {
        for (String crate : table == null ? Set.<String>of() : table.keys()) {
            for (TomlTable entry : table.getArray(crate).tables(table, crate)) {
                String delta = entry.getString("delta");
                String version = entry.getString("version");
                if (entry.contains("violation")) {
                    continue; // a violation forbids versions; it never vets one
                }
                String from = null;
                String to = version;
                if (delta != null && delta.contains("->")) {
                    from = delta.substring(0, delta.indexOf("->")).trim();
                    to = delta.substring(delta.indexOf("->") + 2).trim();
                }
                if (to != null) {
                    into.add(new Audit(crate, criteria(entry), from, to, entry.getString("who", "?"), source, file,
                            entry.line()));
                }
            }
        }
    }

    private static void trusts(TomlTable table, String source, Path file, List<Trust> into) {
        for (String crate : table == null ? Set.<String>of() : table.keys()) {
            for (TomlTable entry : table.getArray(crate).tables(table, crate)) {
                Long user = entry.getInteger("user-id");
                if (user == null) {
                    continue; // trusted-publishing entries (trusted-publisher = "github:…") need data the lock keeps elsewhere
                }
                into.add(new Trust(crate, criteria(entry), user, LocalDate.parse(entry.getString("start")),
                        LocalDate.parse(entry.getString("end")), source, file, entry.line()));
            }
        }
    }

    private static Set<String> criteria(TomlTable entry) {
        return strings(entry, "criteria");
    }

    /** A key holding a string or an array of strings. */
    private static Set<String> strings(TomlTable entry, String key) {
        Object value = entry.get(key);
        Set<String> values = new LinkedHashSet<>();
        if (value instanceof String text) {
            values.add(text);
        } else if (value instanceof TomlArray) {
            values.addAll(entry.getStrings(key));
        }
        return values;
    }

    /** Everything {@code criteria} satisfies: themselves and what they imply, transitively. */
    public Set<String> closure(Set<String> criteria) {
        Set<String> all = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(criteria);
        while (!pending.isEmpty()) {
            String next = pending.removeLast();
            if (all.add(next)) {
                pending.addAll(implies.getOrDefault(next, Set.of()));
            }
        }
        return all;
    }
}
