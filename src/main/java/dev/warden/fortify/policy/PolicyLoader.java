package dev.warden.fortify.policy;

import dev.warden.cargo.semver.SemverException;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.Severity;
import dev.warden.core.Printable;
import dev.warden.core.WardenException;
import dev.warden.evaluate.audit.AuditPolicy;
import dev.warden.evaluate.diff.DiffPolicy;
import dev.warden.evaluate.diff.Risk;
import dev.warden.fortify.code.CodePolicy;
import dev.warden.fortify.gate.GatePolicy;
import dev.warden.fortify.bans.BansPolicy;
import dev.warden.fortify.sources.SourcesPolicy;
import dev.warden.evaluate.review.ReviewPolicy;
import dev.warden.evaluate.license.LicenseExpression;
import dev.warden.evaluate.license.LicensePolicy;
import dev.warden.evaluate.license.Spdx;
import dev.warden.limit.pipeline.PipelinePolicy;
import dev.warden.limit.LimitPolicy;
import dev.warden.recon.ReconPolicy;
import dev.warden.report.RuleCatalog;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlArray;
import dev.warden.toml.TomlTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code warden.toml}: known sections and keys only, values of the right type and range. Every problem is
 * reported at once with {@code file:line}; a file with any problem is refused as a whole, never half-applied.
 */
public final class PolicyLoader {

    public static final String FILE_NAME = "warden.toml";

    private static final Map<String, Set<String>> KEYS = Map.ofEntries(
            Map.entry("audit", Set.of("fail-level", "deny", "ignore", "target-os", "target-arch", "stale-after")),
            Map.entry("registry", Set.of("index-url")),
            Map.entry("store", Set.of("url")),
            Map.entry("diff", Set.of("fail-level", "fail-score")),
            Map.entry("recon", Set.of("fail-level", "internal-prefixes", "allow", "min-publish-age", "stale-after",
                    "popular")),
            Map.entry("limit", Set.of("hide", "allow-env", "show", "fail-level")),
            Map.entry("sources", Set.of("fail-level", "allow-registries", "allow-git", "require-git-rev",
                    "internal-registry")),
            Map.entry("build-code", Set.of("fail-level", "allow")),
            Map.entry("unsafe", Set.of("fail-level", "budget", "crates")),
            Map.entry("scan", Set.of("fail-level")),
            Map.entry("gate", Set.of("ignore", "unverified", "offline")),
            Map.entry("ci", Set.of("fail-level", "max-credential-ttl")),
            Map.entry("review", Set.of("require", "store", "crev-proofs", "crev-id", "crev-trust", "crev-criteria")),
            Map.entry("bans", Set.of("multiple-versions", "wildcards", "allow-wildcard-paths", "allow", "deny", "skip",
                    "skip-tree", "features", "external-default-features", "workspace-default-features", "build")),
            Map.entry("licenses", Set.of("version", "allow", "deny", "exceptions", "clarify", "confidence-threshold",
                    "private", "include-dev", "include-build", "unused-allowed-license", "unused-license-exception",
                    "copyleft", "unlicensed", "allow-osi-fsf-free", "default")));
    private static final Pattern CHECKSUM = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|[dwhms])");

    private PolicyLoader() {
    }

    /** The policy in {@code projectRoot/warden.toml}, or the defaults when there is none. */
    public static Policy forProject(Path projectRoot) {
        Path file = projectRoot.resolve(FILE_NAME);
        return Files.isRegularFile(file) ? load(file) : Policy.defaults();
    }

    public static Policy load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WardenException(file + ": policy file not found");
        }
        return parse(Toml.parse(file), file);
    }

    static Policy parse(TomlTable root, Path file) {
        PolicyProblems problems = new PolicyProblems(file);
        for (String section : root.keys()) {
            if (!KEYS.containsKey(section)) {
                problems.add(root.line(section), "unknown section [" + section + "] (known: "
                        + String.join(", ", KEYS.keySet().stream().sorted().toList()) + ")");
            } else if (!(root.get(section) instanceof TomlTable table)) {
                problems.add(root.line(section), "'" + section + "' must be a table");
            } else {
                for (String key : table.keys()) {
                    if (!KEYS.get(section).contains(key)) {
                        problems.add(table.line(key), "unknown key '" + key + "' in [" + section + "]");
                    }
                }
            }
        }
        AuditPolicy audit = AuditPolicy.defaults();
        if (root.get("audit") instanceof TomlTable table) {
            audit = audit(table, problems);
        }
        String indexUrl = url(root, "registry", "index-url", "(sparse\\+)?https?://\\S+",
                "index-url must be an http(s) URL, optionally with sparse+", problems);
        // Not a file path: that would let a change redirect the project's record to a file of its choosing.
        String storeUrl = url(root, "store", "url", "postgres(ql)?://.+",
                "url must be a postgresql:// URL (a local store is the default)", problems);
        DiffPolicy diff = DiffPolicy.defaults();
        if (root.get("diff") instanceof TomlTable table) {
            diff = diff(table, problems);
        }
        ReconPolicy recon = ReconPolicy.defaults();
        if (root.get("recon") instanceof TomlTable table) {
            recon = recon(table, file, problems);
        }
        LimitPolicy limit = LimitPolicy.defaults();
        Severity buildFailLevel = Severity.HIGH;
        if (root.get("limit") instanceof TomlTable table) {
            List<String> hide = new ArrayList<>();
            List<String> allowEnv = new ArrayList<>();
            problems.attempt(() -> hide.addAll(table.getStrings("hide")));
            problems.attempt(() -> allowEnv.addAll(table.getStrings("allow-env")));
            List<String> show = new ArrayList<>();
            problems.attempt(() -> show.addAll(table.getStrings("show")));
            limit = new LimitPolicy(hide, allowEnv, show);
            buildFailLevel = failLevel(table, Severity.HIGH, problems);
        }
        SourcesPolicy sources = SourcesPolicy.defaults();
        if (root.get("sources") instanceof TomlTable table) {
            sources = sources(table, problems);
        }
        CodePolicy code = code(root.get("build-code") instanceof TomlTable t ? t : null,
                root.get("unsafe") instanceof TomlTable t ? t : null,
                root.get("bans") instanceof TomlTable bans && bans.get("build") instanceof TomlTable t ? t : null,
                problems);
        Severity scanFailLevel = Policy.defaults().scanFailLevel();
        if (root.get("scan") instanceof TomlTable table) {
            scanFailLevel = failLevel(table, scanFailLevel, problems);
        }
        List<GatePolicy.Ignore> gateIgnores = new ArrayList<>();
        GatePolicy.Unverified[] unverified = {GatePolicy.defaults().unverified()};
        boolean[] offline = {false};
        if (root.get("gate") instanceof TomlTable table) {
            problems.attempt(() -> {
                TomlArray array = table.getArray("ignore");
                for (int i = 0; array != null && i < array.size(); i++) {
                    gateIgnore(array.get(i), array.line(i), table, problems).ifPresent(gateIgnores::add);
                }
            });
            problems.attempt(() -> {
                String value = table.getString("unverified");
                if (value != null) {
                    switch (value) {
                        case "block" -> unverified[0] = GatePolicy.Unverified.BLOCK;
                        case "warn" -> unverified[0] = GatePolicy.Unverified.WARN;
                        default -> problems.add(table.line("unverified"), "unverified must be \"block\" or "
                                + "\"warn\", found \"" + value + "\"");
                    }
                }
            });
            problems.attempt(() -> offline[0] = table.getBoolean("offline", false));
        }
        PipelinePolicy ci = PipelinePolicy.defaults();
        if (root.get("ci") instanceof TomlTable table) {
            ci = ci(table, problems);
        }
        ReviewPolicy review = ReviewPolicy.defaults();
        if (root.get("review") instanceof TomlTable table) {
            Set<String> require = new java.util.LinkedHashSet<>();
            String[] store = {review.store()};
            problems.attempt(() -> {
                Object value = table.get("require");
                if (value instanceof String text) {
                    require.add(text);
                } else if (value != null) {
                    require.addAll(table.getStrings("require"));
                }
            });
            problems.attempt(() -> store[0] = table.getString("store", store[0]));
            ReviewPolicy.Crev[] crev = {null};
            problems.attempt(() -> crev[0] = crev(table));
            review = new ReviewPolicy(require, store[0], crev[0]);
        }
        BansPolicy bans = BansPolicy.defaults();
        if (root.get("bans") instanceof TomlTable table) {
            bans = bans(table, problems);
        }
        LicensePolicy licenses = LicensePolicy.defaults();
        if (root.get("licenses") instanceof TomlTable table) {
            licenses = licenses(table, problems);
        }
        problems.throwIfAny();
        return new Policy(file, audit, indexUrl, diff, recon, limit, buildFailLevel, sources, code, scanFailLevel,
                new GatePolicy(gateIgnores, unverified[0], offline[0]), ci, review, bans, licenses, storeUrl);
    }

    /** A URL setting, null when absent; one of the wrong form is a problem at its line. */
    private static String url(TomlTable root, String section, String key, String form, String problem,
                              PolicyProblems problems) {
        if (!(root.get(section) instanceof TomlTable table)) {
            return null;
        }
        String[] url = {null};
        problems.attempt(() -> url[0] = table.getString(key));
        if (url[0] != null && !url[0].matches(form)) {
            problems.add(table.line(key), problem);
            return null;
        }
        return url[0];
    }

    /** cargo-deny's [licenses] (version 2), with deny lists and a copyleft level besides. */
    private static LicensePolicy licenses(TomlTable table, PolicyProblems problems) {
        for (String removed : List.of("unlicensed", "allow-osi-fsf-free", "default")) {
            if (table.contains(removed)) {
                problems.add(table.line(removed), "'" + removed + "' was removed in cargo-deny's [licenses] version "
                        + "2, as here: a licence not in 'allow' is rejected; list what you accept");
            }
        }
        LicensePolicy defaults = LicensePolicy.defaults();
        List<LicensePolicy.Allowed> allow = new ArrayList<>();
        List<LicensePolicy.Allowed> deny = new ArrayList<>();
        problems.attempt(() -> allow.addAll(licenceList(table, "allow")));
        problems.attempt(() -> deny.addAll(licenceList(table, "deny")));
        List<LicensePolicy.Exception> exceptions = new ArrayList<>();
        problems.attempt(() -> {
            TomlArray array = table.getArray("exceptions");
            for (int i = 0; array != null && i < array.size(); i++) {
                if (!(array.get(i) instanceof TomlTable entry)) {
                    throw WardenException.at(table.source(), array.line(i), "[licenses] exceptions are tables "
                            + "with a crate and an allow list");
                }
                exceptions.add(new LicensePolicy.Exception(spec(entry, array.line(i), table, "exceptions"),
                        licenceList(entry, "allow"), array.line(i)));
            }
        });
        List<LicensePolicy.Clarify> clarify = new ArrayList<>();
        problems.attempt(() -> {
            TomlArray array = table.getArray("clarify");
            for (int i = 0; array != null && i < array.size(); i++) {
                if (!(array.get(i) instanceof TomlTable entry)) {
                    throw WardenException.at(table.source(), array.line(i), "[[licenses.clarify]] entries are tables");
                }
                String text = entry.getString("expression");
                if (text == null) {
                    throw WardenException.at(table.source(), array.line(i), "a [[licenses.clarify]] entry needs an "
                            + "expression");
                }
                LicenseExpression expression;
                try {
                    expression = Spdx.parse(text);
                } catch (Spdx.SyntaxException e) {
                    throw entry.error("expression", "'" + Printable.of(text) + "' is not an SPDX expression: "
                            + e.getMessage());
                }
                List<LicensePolicy.ClarifiedFile> files = new ArrayList<>();
                TomlArray listed = entry.getArray("license-files");
                for (int j = 0; listed != null && j < listed.size(); j++) {
                    if (!(listed.get(j) instanceof TomlTable f) || f.getString("path") == null
                            || f.getInteger("hash") == null) {
                        throw WardenException.at(table.source(), listed.line(j), "license-files entries are "
                                + "{ path = \"…\", hash = 0x… }");
                    }
                    files.add(new LicensePolicy.ClarifiedFile(f.getString("path"), f.getInteger("hash")
                            & 0xffffffffL));
                }
                clarify.add(new LicensePolicy.Clarify(spec(entry, array.line(i), table, "clarify"), expression,
                        files, array.line(i)));
            }
        });
        double[] confidence = {defaults.confidence()};
        problems.attempt(() -> {
            Object value = table.get("confidence-threshold");
            if (value != null) {
                if (!(value instanceof Number number) || number.doubleValue() < 0 || number.doubleValue() > 1) {
                    throw table.error("confidence-threshold", "confidence-threshold must be a number from 0.0 to 1.0");
                }
                confidence[0] = number.doubleValue();
            }
        });
        boolean[] flags = {false, defaults.includeDev(), defaults.includeBuild()};
        List<String> registries = new ArrayList<>();
        List<String> ignoreSources = new ArrayList<>();
        problems.attempt(() -> {
            TomlTable priv = table.getTable("private");
            if (priv != null) {
                flags[0] = priv.getBoolean("ignore", false);
                registries.addAll(priv.getStrings("registries"));
                ignoreSources.addAll(priv.getStrings("ignore-sources"));
            }
        });
        problems.attempt(() -> flags[1] = table.getBoolean("include-dev", flags[1]));
        problems.attempt(() -> flags[2] = table.getBoolean("include-build", flags[2]));
        BansPolicy.Level[] levels = {defaults.unusedAllowed(), defaults.unusedException(), defaults.copyleft()};
        problems.attempt(() -> levels[0] = level(table, "unused-allowed-license", levels[0]));
        problems.attempt(() -> levels[1] = level(table, "unused-license-exception", levels[1]));
        problems.attempt(() -> levels[2] = level(table, "copyleft", levels[2]));
        return new LicensePolicy(true, allow, deny, exceptions, clarify, confidence[0], flags[0], registries,
                ignoreSources, flags[1], flags[2], levels[0], levels[1], levels[2]);
    }

    private static List<LicensePolicy.Allowed> licenceList(TomlTable table, String key) {
        List<LicensePolicy.Allowed> licences = new ArrayList<>();
        TomlArray array = table.getArray(key);
        for (int i = 0; array != null && i < array.size(); i++) {
            if (!(array.get(i) instanceof String text)) {
                throw WardenException.at(table.source(), array.line(i), "'" + key + "' lists SPDX licence "
                        + "identifiers as strings");
            }
            try {
                licences.add(new LicensePolicy.Allowed(Spdx.requirement(text), text, array.line(i)));
            } catch (Spdx.SyntaxException e) {
                throw WardenException.at(table.source(), array.line(i), e.getMessage());
            }
        }
        return licences;
    }

    private static BansPolicy bans(TomlTable table, PolicyProblems problems) {
        BansPolicy defaults = BansPolicy.defaults();
        BansPolicy.Level[] levels = {defaults.multipleVersions(), defaults.wildcards(),
            defaults.externalDefaultFeatures(), defaults.workspaceDefaultFeatures()};
        boolean[] paths = {false};
        problems.attempt(() -> levels[0] = level(table, "multiple-versions", levels[0]));
        problems.attempt(() -> levels[1] = level(table, "wildcards", levels[1]));
        problems.attempt(() -> levels[2] = level(table, "external-default-features", levels[2]));
        problems.attempt(() -> levels[3] = level(table, "workspace-default-features", levels[3]));
        List<BansPolicy.Features> features = new ArrayList<>();
        problems.attempt(() -> {
            TomlArray array = table.getArray("features");
            for (int i = 0; array != null && i < array.size(); i++) {
                if (!(array.get(i) instanceof TomlTable entry)) {
                    throw WardenException.at(table.source(), array.line(i), "[[bans.features]] entries are tables "
                            + "with a crate and allow, deny or exact");
                }
                features.add(new BansPolicy.Features(spec(entry, array.line(i), table, "features"),
                        entry.getStrings("allow"), entry.getStrings("deny"), entry.getBoolean("exact", false)));
            }
        });
        problems.attempt(() -> paths[0] = table.getBoolean("allow-wildcard-paths", false));
        List<BansPolicy.Spec> allow = new ArrayList<>();
        List<BansPolicy.Ban> deny = new ArrayList<>();
        List<BansPolicy.Spec> skip = new ArrayList<>();
        List<BansPolicy.SkipTree> skipTree = new ArrayList<>();
        for (String key : List.of("allow", "deny", "skip", "skip-tree")) {
            problems.attempt(() -> {
                TomlArray array = table.getArray(key);
                for (int i = 0; array != null && i < array.size(); i++) {
                    Object item = array.get(i);
                    int line = array.line(i);
                    BansPolicy.Spec spec = spec(item, line, table, key);
                    TomlTable entry = item instanceof TomlTable t ? t : null;
                    switch (key) {
                        case "allow" -> allow.add(spec);
                        case "skip" -> skip.add(spec);
                        case "skip-tree" -> skipTree.add(new BansPolicy.SkipTree(spec, entry == null
                                || entry.getInteger("depth") == null ? Integer.MAX_VALUE
                                : Math.toIntExact(Math.max(0, Math.min(entry.getInteger("depth"), 10_000)))));
                        default -> deny.add(new BansPolicy.Ban(spec, entry == null ? null : entry.getString("reason"),
                                entry == null ? List.of() : entry.getStrings("wrappers")));
                    }
                }
            });
        }
        return new BansPolicy(levels[0], levels[1], paths[0], allow, deny, skip, skipTree, features, levels[2],
                levels[3]);
    }

    private static BansPolicy.Level level(TomlTable table, String key, BansPolicy.Level fallback) {
        String text = table.getString(key);
        if (text == null) {
            return fallback;
        }
        return switch (text) {
            case "allow" -> BansPolicy.Level.ALLOW;
            case "warn" -> BansPolicy.Level.WARN;
            case "deny" -> BansPolicy.Level.DENY;
            default -> throw table.error(key, key + " must be \"allow\", \"warn\" or \"deny\", found \""
                    + Printable.of(text) + "\"");
        };
    }

    /** cargo-deny's crate specs: {@code "name"}, {@code "name@1.2.3"}, {@code "name:<0.2"}, or a table. */
    private static BansPolicy.Spec spec(Object item, int line, TomlTable table, String key) {
        String section = key.equals("exceptions") || key.equals("clarify") ? "[licenses]" : "[bans]";
        String name;
        String req = null;
        String written;
        if (item instanceof String text) {
            written = "\"" + text + "\"";
            int at = text.indexOf('@');
            int colon = text.indexOf(':');
            if (at > 0) {
                name = text.substring(0, at);
                req = "=" + text.substring(at + 1);
            } else if (colon > 0) {
                name = text.substring(0, colon);
                req = text.substring(colon + 1);
            } else {
                name = text;
            }
        } else if (item instanceof TomlTable entry) {
            String crate = entry.getString("crate");
            if (crate != null) {
                return spec(crate, line, table, key);
            }
            name = entry.getString("name");
            req = entry.getString("version");
            if (name == null) {
                throw WardenException.at(table.source(), line, "a " + section + " " + key + " entry needs a name");
            }
            written = name + (req == null ? "" : " " + req);
        } else {
            throw WardenException.at(table.source(), line, section + " " + key + " entries are crate names or tables");
        }
        try {
            return new BansPolicy.Spec(name, req == null || req.equals("*") ? null
                    : dev.warden.cargo.semver.VersionReq.parse(req), Printable.of(written), line);
        } catch (RuntimeException e) {
            throw WardenException.at(table.source(), line, "'" + Printable.of(req) + "' is not a version requirement");
        }
    }

    private static PipelinePolicy ci(TomlTable table, PolicyProblems problems) {
        PipelinePolicy defaults = PipelinePolicy.defaults();
        Severity failLevel = failLevel(table, defaults.failLevel(), problems);
        Duration[] ttl = {defaults.maxCredentialTtl()};
        problems.attempt(() -> {
            String text = table.getString("max-credential-ttl");
            if (text != null) {
                ttl[0] = duration(text, table, "max-credential-ttl");
            }
        });
        return new PipelinePolicy(failLevel, ttl[0]);
    }

    private static SourcesPolicy sources(TomlTable table, PolicyProblems problems) {
        Severity failLevel = failLevel(table, SourcesPolicy.defaults().failLevel(), problems);
        // An absent list allows anything; an empty one allows nothing beyond crates.io.
        List<String> registries = new ArrayList<>();
        List<String> git = new ArrayList<>();
        problems.attempt(() -> registries.addAll(table.getStrings("allow-registries")));
        problems.attempt(() -> git.addAll(table.getStrings("allow-git")));
        boolean[] requireRev = {false};
        problems.attempt(() -> requireRev[0] = table.getBoolean("require-git-rev", false));
        String[] internal = {null};
        problems.attempt(() -> internal[0] = table.getString("internal-registry"));
        return new SourcesPolicy(failLevel, table.contains("allow-registries") ? registries : null,
                table.contains("allow-git") ? git : null, requireRev[0], internal[0]);
    }

    /**
     * {@code [build-code]} and {@code [unsafe]}; cargo-deny's {@code [bans.build] allow-build-scripts} is the same list
     * as {@code [build-code] allow}, for build scripts only (cargo-deny leaves proc macros alone).
     */
    /** {@code [review] crev-*}: null without {@code crev-proofs}; the user's id is required with it. */
    private static ReviewPolicy.Crev crev(TomlTable table) {
        String proofs = table.getString("crev-proofs");
        if (proofs == null) {
            for (String key : List.of("crev-id", "crev-trust", "crev-criteria")) {
                if (table.contains(key)) {
                    throw table.error(key, key + " needs crev-proofs (the local proof repository)");
                }
            }
            return null;
        }
        String id = table.getString("crev-id");
        if (id == null || !id.matches("[A-Za-z0-9_-]{43}")) {
            throw table.error(table.contains("crev-id") ? "crev-id" : "crev-proofs", "crev-proofs needs crev-id, "
                    + "your own crev id (43 base64url characters, `cargo crev id current`)");
        }
        String trust = table.getString("crev-trust", "medium");
        if (!List.of("low", "medium", "high").contains(trust)) {
            throw table.error("crev-trust", "crev-trust must be \"low\", \"medium\" or \"high\", found \""
                    + Printable.of(trust) + "\"");
        }
        List<String> criteria = table.contains("crev-criteria") ? table.getStrings("crev-criteria")
                : List.of(dev.warden.evaluate.review.VetData.SAFE_TO_DEPLOY);
        return new ReviewPolicy.Crev(proofs, id, dev.warden.evaluate.review.CrevProofs.Level.valueOf(
                trust.toUpperCase(java.util.Locale.ROOT)), new java.util.LinkedHashSet<>(criteria));
    }

    private static CodePolicy code(TomlTable buildCode, TomlTable unsafeTable, TomlTable bansBuild,
                                   PolicyProblems problems) {
        CodePolicy defaults = CodePolicy.defaults();
        Severity buildCodeFailLevel = buildCode == null ? defaults.buildCodeFailLevel()
                : failLevel(buildCode, defaults.buildCodeFailLevel(), problems);
        Severity unsafeFailLevel = unsafeTable == null ? defaults.unsafeFailLevel()
                : failLevel(unsafeTable, defaults.unsafeFailLevel(), problems);
        List<CodePolicy.Allowed> allowed = null;
        if (buildCode != null && buildCode.contains("allow")) {
            List<CodePolicy.Allowed> entries = new ArrayList<>();
            problems.attempt(() -> {
                TomlArray array = buildCode.getArray("allow");
                for (int i = 0; i < array.size(); i++) {
                    buildCodeAllowed(array.get(i), array.line(i), buildCode, "build-code allow", true, problems)
                            .ifPresent(entries::add);
                }
            });
            allowed = entries;
        }
        boolean procMacros = true;
        if (bansBuild != null) {
            for (String key : bansBuild.keys()) {
                if (!key.equals("allow-build-scripts")) {
                    problems.add(bansBuild.line(key), "[bans.build] " + key + " is not supported: Warden's scan "
                            + "reports shipped executables, scripts and build-time code itself; only "
                            + "allow-build-scripts is read");
                }
            }
            if (bansBuild.contains("allow-build-scripts")) {
                if (allowed != null) {
                    problems.add(bansBuild.line("allow-build-scripts"), "[bans.build] allow-build-scripts and "
                            + "[build-code] allow are one list: keep one of them");
                } else {
                    List<CodePolicy.Allowed> entries = new ArrayList<>();
                    problems.attempt(() -> {
                        TomlArray array = bansBuild.getArray("allow-build-scripts");
                        for (int i = 0; i < array.size(); i++) {
                            Object item = array.get(i) instanceof String name ? null : array.get(i);
                            if (item == null) {
                                problems.add(array.line(i), "write allow-build-scripts entries as { name = \""
                                        + Printable.of((String) array.get(i)) + "\" }");
                                continue;
                            }
                            buildCodeAllowed(item, array.line(i), bansBuild, "allow-build-scripts entry", false,
                                    problems).ifPresent(entries::add);
                        }
                    });
                    allowed = entries;
                    procMacros = false;
                }
            }
        }
        Integer[] budget = {null};
        Map<String, Integer> perCrate = new TreeMap<>();
        if (unsafeTable != null) {
            problems.attempt(() -> budget[0] = budget(unsafeTable, "budget"));
            problems.attempt(() -> {
                TomlTable crates = unsafeTable.getTable("crates");
                for (String name : crates == null ? Set.<String>of() : crates.keys()) {
                    problems.attempt(() -> perCrate.put(name, budget(crates, name)));
                }
            });
        }
        return new CodePolicy(buildCodeFailLevel, unsafeFailLevel, allowed, procMacros, budget[0], perCrate);
    }

    private static Integer budget(TomlTable table, String key) {
        Long value = table.getInteger(key);
        if (value != null && (value < 0 || value > Integer.MAX_VALUE)) {
            throw table.error(key, "an unsafe budget must be a count of 0 or more, found " + value);
        }
        return value == null ? null : value.intValue();
    }

    /** {@code { name = "ring", version = "=0.17.8", checksum = "…", reason = "…" }}. */
    /**
     * @param noun          how messages name the list ({@code build-code allow}, {@code allow-build-scripts})
     * @param reasonRequired whether an entry must say why (Warden's list does; cargo-deny's has no reason)
     */
    private static Optional<CodePolicy.Allowed> buildCodeAllowed(Object value, int line, TomlTable owner,
                                                                  String noun, boolean reasonRequired,
                                                                  PolicyProblems problems) {
        Optional<PolicyEntry> read = PolicyEntry.of(value, line, owner, noun,
                List.of("name", "version", "checksum", "reason"),
                "{ name = \"…\", version = \"=1.2.3\", reason = \"…\" }", problems);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        PolicyEntry entry = read.get();
        String name = entry.required("name", noun + " without a crate name");
        String versionText = entry.string("version");
        String checksum = entry.string("checksum");
        String reason = reasonRequired ? entry.required("reason", noun + " of " + name + " needs a reason")
                : entry.string("reason");
        VersionReq version = null;
        if (versionText != null) {
            try {
                version = VersionReq.parse(versionText);
            } catch (SemverException e) {
                entry.problem("version", "version must be a version requirement such as =1.2.3: " + e.getMessage());
            }
        }
        if (checksum != null && !CHECKSUM.matcher(checksum).matches()) {
            entry.problem("checksum", "checksum must be the 64 hex digits of the .crate's SHA-256");
        }
        return entry.valid() ? Optional.of(new CodePolicy.Allowed(name, version, checksum, reason, entry.file(),
                line)) : Optional.empty();
    }

    private static AuditPolicy audit(TomlTable table, PolicyProblems problems) {
        AuditPolicy defaults = AuditPolicy.defaults();
        Severity failLevel = failLevel(table, defaults.failLevel(), problems);
        Set<AuditPolicy.Warning> deny = EnumSet.noneOf(AuditPolicy.Warning.class);
        String[] targets = {null, null};
        Duration[] staleAfter = {defaults.staleAfter()};
        problems.attempt(() -> {
            TomlArray array = table.getArray("deny");
            List<String> words = table.getStrings("deny");
            for (int i = 0; i < words.size(); i++) {
                try {
                    deny.addAll(AuditPolicy.Warning.parse(words.get(i)));
                } catch (WardenException e) {
                    problems.add(array.line(i), e.getMessage());
                }
            }
        });
        problems.attempt(() -> targets[0] = table.getString("target-os"));
        problems.attempt(() -> targets[1] = table.getString("target-arch"));
        problems.attempt(() -> {
            String text = table.getString("stale-after");
            if (text != null) {
                staleAfter[0] = duration(text, table, "stale-after");
            }
        });
        List<AuditPolicy.Ignore> ignores = new ArrayList<>();
        problems.attempt(() -> {
            TomlArray array = table.getArray("ignore");
            if (array == null) {
                return;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                ignore(array.get(i), array.line(i), table, problems).ifPresent(ignore -> {
                    if (!seen.add(ignore.id())) {
                        problems.add(ignore.line(), "advisory " + ignore.id() + " is ignored twice");
                    }
                    ignores.add(ignore);
                });
            }
        });
        return new AuditPolicy(failLevel, deny, ignores, targets[0], targets[1], staleAfter[0]);
    }

    private static DiffPolicy diff(TomlTable table, PolicyProblems problems) {
        Severity failLevel = failLevel(table, DiffPolicy.defaults().failLevel(), problems);
        Integer[] failScore = {null};
        problems.attempt(() -> {
            Long score = table.getInteger("fail-score");
            if (score != null && (score < 1 || score > Risk.MAX)) {
                throw table.error("fail-score", "fail-score must be between 1 and " + Risk.MAX + ", found " + score);
            }
            failScore[0] = score == null ? null : score.intValue();
        });
        return new DiffPolicy(failLevel, failScore[0]);
    }

    private static ReconPolicy recon(TomlTable table, Path file, PolicyProblems problems) {
        ReconPolicy defaults = ReconPolicy.defaults();
        Severity failLevel = failLevel(table, defaults.failLevel(), problems);
        List<String> prefixes = new ArrayList<>();
        problems.attempt(() -> prefixes.addAll(table.getStrings("internal-prefixes")));
        Duration[] ages = {defaults.minPublishAge(), defaults.staleAfter()};
        problems.attempt(() -> {
            String text = table.getString("min-publish-age");
            if (text != null) {
                ages[0] = duration(text, table, "min-publish-age");
            }
        });
        problems.attempt(() -> {
            String text = table.getString("stale-after");
            if (text != null) {
                ages[1] = duration(text, table, "stale-after");
            }
        });
        Path[] popular = {null};
        problems.attempt(() -> {
            String text = table.getString("popular");
            if (text != null) {
                popular[0] = file.toAbsolutePath().getParent().resolve(text);
            }
        });
        List<ReconPolicy.Allowed> allowed = new ArrayList<>();
        problems.attempt(() -> {
            TomlArray array = table.getArray("allow");
            for (int i = 0; array != null && i < array.size(); i++) {
                allowed(array.get(i), array.line(i), table, problems).ifPresent(allowed::add);
            }
        });
        return new ReconPolicy(failLevel, prefixes, allowed, ages[0], ages[1], popular[0]);
    }

    /** A name not to report as a squat: {@code { name = "hypher", reason = "hyphenation, unrelated to hyper" }}. */
    private static Optional<ReconPolicy.Allowed> allowed(Object value, int line, TomlTable owner,
                                                         PolicyProblems problems) {
        Optional<PolicyEntry> read = PolicyEntry.of(value, line, owner, "recon allow", List.of("name", "reason"),
                "{ name = \"…\", reason = \"…\" }", problems);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        PolicyEntry entry = read.get();
        String name = entry.required("name", "recon allow without a crate name");
        String reason = entry.required("reason", "recon allow of " + name + " needs a reason");
        return entry.valid() ? Optional.of(new ReconPolicy.Allowed(name, reason, entry.file(), line))
                : Optional.empty();
    }

    private static Severity failLevel(TomlTable table, Severity fallback, PolicyProblems problems) {
        Severity[] level = {fallback};
        problems.attempt(() -> {
            String text = table.getString("fail-level");
            if (text != null) {
                try {
                    level[0] = Severity.parse(text);
                } catch (WardenException e) {
                    throw table.error("fail-level", e.getMessage());
                }
            }
        });
        return level[0];
    }

    /** An ignore entry must say why: {@code { id = "RUSTSEC-…", reason = "…", expires = 2027-01-01 }}. */
    private static Optional<AuditPolicy.Ignore> ignore(Object value, int line, TomlTable owner,
                                                       PolicyProblems problems) {
        Optional<PolicyEntry> read = PolicyEntry.of(value, line, owner, "audit ignore", List.of("id", "reason",
                "expires"), "{ id = \"…\", reason = \"…\", expires = YYYY-MM-DD }", problems);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        PolicyEntry entry = read.get();
        String id = entry.required("id", "audit ignore without an advisory id");
        String reason = entry.required("reason", "audit ignore of " + id + " needs a reason");
        LocalDate expires = entry.date("expires");
        return entry.valid() ? Optional.of(new AuditPolicy.Ignore(id, reason, expires, entry.file(), line))
                : Optional.empty();
    }

    /** {@code { rule = "typosquat", crate = "toml_parser", reason = "…", expires = 2027-01-01 }}. */
    private static Optional<GatePolicy.Ignore> gateIgnore(Object value, int line, TomlTable owner,
                                                          PolicyProblems problems) {
        Optional<PolicyEntry> read = PolicyEntry.of(value, line, owner, "gate ignore", List.of("rule", "crate",
                "version", "reason", "expires"), "{ rule = \"…\", crate = \"…\", reason = \"…\", expires = "
                + "YYYY-MM-DD }", problems);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        PolicyEntry entry = read.get();
        String rule = entry.required("rule", "gate ignore without a rule (a finding code such as typosquat)");
        String crate = entry.string("crate");
        String version = entry.string("version");
        String reason = entry.required("reason", "gate ignore of " + rule + " needs a reason");
        LocalDate expires = entry.date("expires");
        if (rule != null && RuleCatalog.ALL.stream().noneMatch(r -> r.code().equals(rule))) {
            entry.problem("rule", "unknown rule '" + rule + "' (see the finding codes in `warden gate` output)");
        }
        return entry.valid() ? Optional.of(new GatePolicy.Ignore(rule, crate, version, reason, expires, entry.file(),
                line)) : Optional.empty();
    }

    private static Duration duration(String text, TomlTable table, String key) {
        try {
            return duration(text);
        } catch (WardenException e) {
            throw table.error(key, key + " " + e.getMessage());
        }
    }

    /**
     * A duration written as {@code 90d}, {@code 12w}, {@code 36h}, {@code 15m}, {@code 1s}, {@code 500ms} or ISO-8601
     * {@code P90D}, at most a thousand years.
     */
    /** A duration given as {@code option} (a command-line flag): refused with the option named. */
    public static Duration duration(String option, String text) {
        try {
            return duration(text);
        } catch (WardenException e) {
            throw new WardenException(option + " " + e.getMessage());
        }
    }

    public static Duration duration(String text) {
        String trimmed = text.trim();
        Matcher matcher = DURATION.matcher(trimmed);
        Duration duration;
        try {
            if (matcher.matches()) {
                long count = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                    case "w" -> Duration.ofDays(Math.multiplyExact(count, 7));
                    case "h" -> Duration.ofHours(count);
                    case "m" -> Duration.ofMinutes(count);
                    case "s" -> Duration.ofSeconds(count);
                    case "ms" -> Duration.ofMillis(count);
                    default -> Duration.ofDays(count);
                };
            } else {
                duration = Duration.parse(trimmed);
            }
        } catch (DateTimeParseException e) {
            throw new WardenException("must be a duration such as 36h, 90d, 12w or P90D, found '"
                    + Printable.of(text) + "'");
        } catch (NumberFormatException | ArithmeticException e) {
            throw new WardenException("is too long a duration: '" + Printable.of(text) + "'");
        }
        // A millennium is "never" for every setting here (--stale 100000d is how one says it); much more and adding
        // it to a date overflows.
        if (duration.isNegative() || duration.compareTo(Duration.ofDays(365_250)) > 0) {
            throw new WardenException("must be between 0 and 1,000 years, found '" + Printable.of(text) + "'");
        }
        return duration;
    }
}
