package dev.warden.cargo.manifest;

import dev.warden.cargo.lock.GitReference;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.WardenException;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlArray;
import dev.warden.toml.TomlTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code Cargo.toml}: {@code [package]}, {@code [lib]}, every dependency table (normal, build, dev, and their
 * {@code [target.'…']} variants, including the legacy underscore spellings), renames, registries, git and path
 * sources, {@code [workspace]}, {@code [patch]} and {@code [replace]}.
 */
public final class ManifestParser {

    /** Package fields a member may inherit with {@code field.workspace = true} that Warden keeps. */
    private static final List<String> INHERITABLE = List.of("version", "edition", "repository", "include", "exclude",
            "license", "license-file", "publish");

    private final Path file;
    private final Path directory;

    private ManifestParser(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.directory = this.file.getParent();
    }

    public static Manifest parse(Path file) {
        return new ManifestParser(file).manifest(Toml.parse(file));
    }

    public static Manifest parse(String text, Path file) {
        return new ManifestParser(file).manifest(Toml.parse(text, file));
    }

    private Manifest manifest(TomlTable root) {
        TomlTable packageTable = root.getTable("package");
        if (packageTable == null) {
            packageTable = root.getTable("project");
        }
        TomlTable workspaceTable = root.getTable("workspace");
        if (packageTable == null && workspaceTable == null) {
            throw WardenException.at(file, 0, "manifest has neither [package] nor [workspace]");
        }
        PackageInfo pkg = packageTable == null ? null : packageInfo(packageTable, root.getTable("lib"));
        String pointer = packageTable == null ? null : packageTable.getString("workspace");
        WorkspaceInfo workspace = workspaceTable == null ? null : workspaceInfo(workspaceTable);

        List<Dependency> dependencies = new ArrayList<>();
        collectDependencyTables(root, null, dependencies);
        TomlTable targets = root.getTable("target");
        if (targets != null) {
            for (String target : targets.keys()) {
                TomlTable targetTable = typedTable(targets, target);
                collectDependencyTables(targetTable, target, dependencies);
            }
        }
        return new Manifest(file, pkg, workspace, pointer, dependencies, overrides(root), features(root));
    }

    /** {@code [features]}: each feature and what it enables ({@code "other"}, {@code "dep:x"}, {@code "x/f"}, …). */
    private Map<String, List<String>> features(TomlTable root) {
        TomlTable table = root.getTable("features");
        Map<String, List<String>> features = new LinkedHashMap<>();
        if (table != null) {
            for (String feature : table.keys()) {
                features.put(feature, table.getStrings(feature));
            }
        }
        return features;
    }

    private void collectDependencyTables(TomlTable owner, String target, List<Dependency> out) {
        for (DependencyKind kind : DependencyKind.values()) {
            // Cargo still accepts the pre-1.0 spellings dev_dependencies and build_dependencies.
            for (String tableName : new LinkedHashSet<>(List.of(kind.table(), kind.table().replace('-', '_')))) {
                TomlTable table = owner.getTable(tableName);
                if (table == null) {
                    continue;
                }
                for (String name : table.keys()) {
                    out.add(dependency(table, name, kind, target, directory));
                }
            }
        }
    }

    private Dependency dependency(TomlTable table, String name, DependencyKind kind, String target, Path base) {
        int line = table.line(name);
        Object value = table.get(name);
        if (value instanceof String req) {
            checkRequirement(req, table, name);
            return new Dependency(name, name, kind, target, req, null, null, null, null, false, true,
                    List.of(), false, line);
        }
        if (!(value instanceof TomlTable spec)) {
            throw table.error(name, "dependency '" + name + "' must be a version string or a table");
        }
        String req = spec.getString("version");
        if (req != null) {
            checkRequirement(req, spec, "version");
        }
        String git = spec.getString("git");
        GitReference reference = null;
        if (git != null) {
            reference = gitReference(spec);
        }
        String pathText = spec.getString("path");
        Path path = pathText == null ? null : base.resolve(pathText).normalize();
        Boolean defaultFeatures = spec.getBoolean("default-features");
        if (defaultFeatures == null) {
            defaultFeatures = spec.getBoolean("default_features");
        }
        return new Dependency(name, spec.getString("package", name), kind, target, req, spec.getString("registry"),
                git, reference, path, spec.getBoolean("optional", false), defaultFeatures == null || defaultFeatures,
                spec.getStrings("features"), spec.getBoolean("workspace", false), line);
    }

    private GitReference gitReference(TomlTable spec) {
        int given = 0;
        GitReference reference = GitReference.DEFAULT;
        for (GitReference.Kind kind : List.of(GitReference.Kind.BRANCH, GitReference.Kind.TAG, GitReference.Kind.REV)) {
            String key = kind.name().toLowerCase(Locale.ROOT);
            String value = spec.getString(key);
            if (value != null) {
                given++;
                reference = new GitReference(kind, value);
            }
        }
        if (given > 1) {
            throw WardenException.at(file, spec.line(), "only one of 'branch', 'tag' or 'rev' may be given");
        }
        return reference;
    }

    private void checkRequirement(String req, TomlTable table, String key) {
        try {
            VersionReq.parse(req);
        } catch (WardenException e) {
            throw table.error(key, e.getMessage());
        }
    }

    private PackageInfo packageInfo(TomlTable table, TomlTable lib) {
        Set<String> inherited = new HashSet<>();
        for (String field : INHERITABLE) {
            if (table.get(field) instanceof TomlTable t && t.getBoolean("workspace", false)) {
                inherited.add(field);
            }
        }
        String name = table.getString("name");
        if (name == null || name.isEmpty()) {
            throw WardenException.at(file, table.line(), "[package] is missing 'name'");
        }
        Object build = table.get("build");
        String buildScript = switch (build) {
            case null -> null;
            case String path -> path;
            case Boolean enabled -> enabled ? "build.rs" : "";
            default -> throw table.error("build", "'build' must be a path or a boolean");
        };
        boolean procMacro = lib != null && (lib.getBoolean("proc-macro", false) || lib.getBoolean("proc_macro", false));
        return new PackageInfo(name, plain(table, "version", inherited), plain(table, "edition", inherited),
                buildScript, table.getString("links"), procMacro, plain(table, "repository", inherited),
                inherited.contains("include") ? List.of() : table.getStrings("include"),
                inherited.contains("exclude") ? List.of() : table.getStrings("exclude"), inherited,
                plain(table, "license", inherited), plain(table, "license-file", inherited),
                inherited.contains("publish") ? null : publish(table.get("publish"), table), table.line());
    }

    /** {@code publish}: true or absent is anywhere, false is nowhere, a list names the registries. */
    private List<String> publish(Object value, TomlTable table) {
        return switch (value) {
            case null -> null;
            case Boolean allowed -> allowed ? null : List.of();
            case TomlArray ignored -> table.getStrings("publish");
            default -> throw table.error("publish", "'publish' must be a boolean or a list of registry names");
        };
    }

    private static String plain(TomlTable table, String key, Set<String> inherited) {
        return inherited.contains(key) ? null : table.getString(key);
    }

    private WorkspaceInfo workspaceInfo(TomlTable table) {
        Map<String, Dependency> dependencies = new LinkedHashMap<>();
        TomlTable deps = table.getTable("dependencies");
        if (deps != null) {
            for (String name : deps.keys()) {
                dependencies.put(name, dependency(deps, name, DependencyKind.NORMAL, null, directory));
            }
        }
        Map<String, Object> packageFields = new LinkedHashMap<>();
        TomlTable pkg = table.getTable("package");
        if (pkg != null) {
            for (String key : INHERITABLE) {
                if (pkg.get(key) instanceof String s) {
                    packageFields.put(key, s);
                } else if (pkg.get(key) instanceof TomlArray) {
                    packageFields.put(key, pkg.getStrings(key));
                } else if (pkg.get(key) instanceof Boolean b) {
                    packageFields.put(key, b);
                }
            }
        }
        return new WorkspaceInfo(table.getStrings("members"), table.getStrings("exclude"),
                table.getStrings("default-members"), dependencies, packageFields, table.line());
    }

    private List<Override> overrides(TomlTable root) {
        List<Override> overrides = new ArrayList<>();
        TomlTable patch = root.getTable("patch");
        if (patch != null) {
            for (String source : patch.keys()) {
                TomlTable entries = typedTable(patch, source);
                for (String name : entries.keys()) {
                    overrides.add(new Override(Override.Kind.PATCH, source,
                            dependency(entries, name, DependencyKind.NORMAL, null, directory)));
                }
            }
        }
        TomlTable replace = root.getTable("replace");
        if (replace != null) {
            for (String spec : replace.keys()) {
                String crate = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
                Dependency dependency = dependency(replace, spec, DependencyKind.NORMAL, null, directory);
                overrides.add(new Override(Override.Kind.REPLACE, spec, new Dependency(crate, crate,
                        dependency.kind(), null, dependency.versionReq(), dependency.registry(), dependency.git(),
                        dependency.gitReference(), dependency.path(), false, true, List.of(), false, dependency.line())));
            }
        }
        return overrides;
    }

    private TomlTable typedTable(TomlTable owner, String key) {
        TomlTable table = owner.getTable(key);
        if (table == null) {
            throw owner.error(key, "'" + key + "' must be a table");
        }
        return table;
    }

    /**
     * Resolves {@code workspace = true} in a member manifest against its workspace root: package fields are
     * copied, dependencies take their source and version from {@code [workspace.dependencies]} while the member
     * may add features and mark them optional. A key missing from the workspace is an error, as in Cargo.
     */
    public static Manifest inherit(Manifest member, WorkspaceInfo workspace, Path workspaceManifest) {
        PackageInfo pkg = member.pkg();
        if (pkg != null && !pkg.inherited().isEmpty()) {
            Map<String, Object> fields = workspace.packageFields();
            for (String field : pkg.inherited()) {
                if (!fields.containsKey(field)) {
                    throw WardenException.at(member.path(), pkg.line(), "'" + field
                            + ".workspace = true' but " + workspaceManifest + " has no [workspace.package] " + field);
                }
            }
            pkg = new PackageInfo(pkg.name(), stringField(fields, "version", pkg.version(), pkg),
                    stringField(fields, "edition", pkg.edition(), pkg), pkg.build(), pkg.links(), pkg.procMacro(),
                    stringField(fields, "repository", pkg.repository(), pkg),
                    listField(fields, "include", pkg.include(), pkg), listField(fields, "exclude", pkg.exclude(), pkg),
                    Set.of(), stringField(fields, "license", pkg.license(), pkg),
                    stringField(fields, "license-file", pkg.licenseFile(), pkg), publishField(fields, pkg), pkg.line());
        }
        List<Dependency> dependencies = new ArrayList<>(member.dependencies().size());
        for (Dependency d : member.dependencies()) {
            if (!d.fromWorkspace()) {
                dependencies.add(d);
                continue;
            }
            Dependency base = workspace.dependencies().get(d.name());
            if (base == null) {
                throw WardenException.at(member.path(), d.line(), "dependency '" + d.name()
                        + "' says workspace = true but [workspace.dependencies] in " + workspaceManifest
                        + " does not declare it");
            }
            Set<String> features = new LinkedHashSet<>(base.features());
            features.addAll(d.features());
            dependencies.add(new Dependency(d.name(), base.packageName(), d.kind(), d.target(), base.versionReq(),
                    base.registry(), base.git(), base.gitReference(), base.path(), d.optional(),
                    base.defaultFeatures(), List.copyOf(features), true, d.line()));
        }
        return new Manifest(member.path(), pkg, member.workspace(), member.workspacePointer(), dependencies,
                member.overrides(), member.features());
    }

    private static String stringField(Map<String, Object> fields, String key, String own, PackageInfo pkg) {
        return pkg.inherited().contains(key) && fields.get(key) instanceof String s ? s : own;
    }

    @SuppressWarnings("unchecked")
    private static List<String> publishField(Map<String, Object> fields, PackageInfo pkg) {
        if (!pkg.inherited().contains("publish")) {
            return pkg.publish();
        }
        return switch (fields.get("publish")) {
            case Boolean allowed -> allowed ? null : List.of();
            case List<?> list -> (List<String>) list;
            case null, default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    private static List<String> listField(Map<String, Object> fields, String key, List<String> own, PackageInfo pkg) {
        return pkg.inherited().contains(key) && fields.get(key) instanceof List<?> list ? (List<String>) list : own;
    }
}
