package dev.warden.evaluate.repository;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;
import dev.warden.evaluate.scan.CrateScan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether each crate a change brings can be traced to its code: a {@code repository} that can be one, the same one
 * crates.io lists, and — with a repository cache — the published files equal to the files of the commit its
 * {@code .cargo_vcs_info.json} names. Files in the crate and not in that commit are where a payload added only to
 * the published package hides (a {@code build.rs} that no reviewer of the repository ever saw).
 */
public final class RepositoryCheck implements Check {

    public static final Rule MISSING = new Rule("repository-missing", Stage.EVALUATION, Severity.INFO,
            "A crate names no repository, and the registry data lists none: its code cannot be traced.");
    public static final Rule IMPLAUSIBLE = new Rule("repository-implausible", Stage.EVALUATION, Severity.MEDIUM,
            "A crate's repository URL cannot be where its code lives (no forge path, an address, a link shortener).");
    public static final Rule DIFFERS_FROM_REGISTRY = new Rule("repository-differs-from-registry", Stage.EVALUATION,
            Severity.LOW, "This version's manifest names another repository than the one crates.io lists.");
    public static final Rule COMMIT_NOT_FOUND = new Rule("vcs-commit-not-found", Stage.EVALUATION, Severity.MEDIUM,
            "The commit a crate was packaged from is not in its repository.");
    public static final Rule FILE_NOT_IN_REPOSITORY = new Rule("crate-file-not-in-repository", Stage.EVALUATION,
            Severity.HIGH, "The published crate ships files that are not in the commit it was packaged from.");
    public static final Rule FILE_DIFFERS = new Rule("crate-file-differs-from-repository", Stage.EVALUATION,
            Severity.HIGH, "A file of the published crate differs from the same file in the commit it names.");
    public static final Rule PUBLISHED_DIRTY = new Rule("crate-published-dirty", Stage.EVALUATION, Severity.LOW,
            "The crate was packaged from a working tree with uncommitted changes (cargo publish --allow-dirty).");
    public static final Rule NOT_COMPARED = new Rule("repository-not-compared", Stage.EVALUATION, Severity.INFO,
            "A crate could not be compared with its repository: not in the repository cache, or no commit recorded.");
    public static final List<Rule> RULES = List.of(MISSING, IMPLAUSIBLE, DIFFERS_FROM_REGISTRY, COMMIT_NOT_FOUND,
            FILE_NOT_IN_REPOSITORY, FILE_DIFFERS, PUBLISHED_DIRTY, NOT_COMPARED);

    /** Written by {@code cargo package}, never in the repository as shipped: not compared. */
    private static final Set<String> GENERATED = Set.of("Cargo.toml", "Cargo.lock", ".cargo_vcs_info.json",
            ".cargo-checksum.json");
    private static final Set<String> CODE_EXTENSIONS = Set.of("rs", "c", "cc", "cpp", "h", "hpp", "s", "asm", "py",
            "sh", "bash", "ps1", "bat", "cmd", "pl", "rb", "js", "so", "dll", "dylib", "a", "lib", "o", "exe", "wasm",
            "bin", "jar");

    private static final java.util.regex.Pattern DOCUMENT = java.util.regex.Pattern.compile("(?i)(licen[cs]e|copying"
            + "|readme|notice|authors|changelog|changes|contributing|copyright)([-_.].*)?");

    /** The repository crates.io lists for each crate name it knows. */
    @FunctionalInterface
    public interface RegisteredRepositories {
        RegisteredRepositories NONE = names -> Map.of();

        Map<String, String> of(Collection<String> names);
    }

    private final RegisteredRepositories registered;
    private final RepositoryCache cache;

    /** @param cache the repositories to compare crates with, or null to check only the URLs */
    public RepositoryCheck(RegisteredRepositories registered, RepositoryCache cache) {
        this.registered = registered;
        this.cache = cache;
    }

    @Override
    public String name() {
        return "repository";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        String lockfile = context.project().display(context.project().lockfile().path());
        List<LockedPackage> brought = context.project().lockfile().packages().stream()
                .filter(pkg -> pkg.source() != null && pkg.source().isRegistry() && context.change().brings(pkg))
                .toList();
        Map<String, String> listed = registered.of(brought.stream().filter(pkg -> pkg.source().isCratesIo())
                .map(LockedPackage::name).distinct().toList());
        List<Finding> findings = new ArrayList<>();
        for (LockedPackage pkg : brought) {
            Optional<Provenance> provenance = context.crates().scan(pkg).map(CrateScan::provenance);
            if (provenance.isEmpty()) {
                continue; // unread crates are the coverage check's to report
            }
            Evidence at = new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion());
            String declared = provenance.get().repository();
            // The registry data is crates.io's: a private registry's crate of the same name is another crate.
            String known = pkg.source().isCratesIo() ? listed.get(pkg.name()) : null;
            if (declared == null || declared.isBlank()) {
                if (known == null || known.isBlank()) {
                    findings.add(finding(MISSING, MISSING.defaultSeverity(), pkg, pkg.id().nameAndVersion()
                            + " names no repository"
                            + (registered != RegisteredRepositories.NONE && pkg.source().isCratesIo()
                            ? ", and crates.io lists none" : "")
                            + ": its code cannot be traced to a public history", at));
                }
            } else {
                Optional<String> why = RepositoryUrl.implausible(declared);
                if (why.isPresent()) {
                    findings.add(finding(IMPLAUSIBLE, IMPLAUSIBLE.defaultSeverity(), pkg, pkg.id().nameAndVersion()
                            + "'s repository \"" + dev.warden.core.Printable.of(declared) + "\" cannot be where its "
                            + "code lives: " + why.get(), at));
                } else if (known != null && !known.isBlank()
                        && !RepositoryUrl.normalised(known).equals(RepositoryUrl.normalised(declared))) {
                    findings.add(finding(DIFFERS_FROM_REGISTRY, DIFFERS_FROM_REGISTRY.defaultSeverity(), pkg,
                            pkg.id().nameAndVersion() + "'s manifest names " + dev.warden.core.Printable.of(declared)
                            + " as its repository; crates.io lists " + dev.warden.core.Printable.of(known), at));
                }
            }
            if (cache != null) {
                compare(pkg, provenance.get(), at, findings);
            }
        }
        return findings;
    }

    private void compare(LockedPackage pkg, Provenance provenance, Evidence at, List<Finding> findings) {
        Provenance.VcsInfo vcs = provenance.vcs();
        if (vcs == null) {
            findings.add(finding(NOT_COMPARED, NOT_COMPARED.defaultSeverity(), pkg, pkg.id().nameAndVersion()
                    + " was not compared with a repository: " + (provenance.vcsProblem() != null
                    ? provenance.vcsProblem() : "it records no commit (.cargo_vcs_info.json)"), at));
            return;
        }
        Optional<java.nio.file.Path> where = cache.locate(pkg.name(), provenance.repository());
        if (where.isEmpty()) {
            String name = provenance.repository() == null ? pkg.name()
                    : RepositoryUrl.normalised(provenance.repository());
            findings.add(finding(NOT_COMPARED, NOT_COMPARED.defaultSeverity(), pkg, pkg.id().nameAndVersion()
                    + " was not compared with a repository: " + cache.failure(provenance.repository())
                    .map(why -> name + " could not be fetched (" + dev.warden.core.Printable.of(why) + ")")
                    .orElse(name + " is not in " + cache.describe()), at));
            return;
        }
        String commit = vcs.commit().substring(0, 12);
        if (vcs.dirty()) {
            findings.add(finding(PUBLISHED_DIRTY, PUBLISHED_DIRTY.defaultSeverity(), pkg, pkg.id().nameAndVersion()
                    + " was packaged from a working tree with uncommitted changes on top of " + commit, at));
        }
        Optional<RepositoryCache.Snapshot> snapshot = RepositoryCache.files(where.get(), vcs.commit());
        if (snapshot.isEmpty()) {
            findings.add(finding(COMMIT_NOT_FOUND, COMMIT_NOT_FOUND.defaultSeverity(), pkg, pkg.id()
                    .nameAndVersion() + " was packaged from commit " + commit + ", which " + where.get()
                    .getFileName() + " does not hold (history rewritten, or never pushed)", at));
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        String prefix = vcs.pathInVcs().isEmpty() ? "" : vcs.pathInVcs() + "/";
        for (Map.Entry<String, String> file : provenance.blobs().entrySet()) {
            String path = file.getKey();
            if (GENERATED.contains(path)) {
                continue;
            }
            // The manifest as written is Cargo.toml.orig in the package (cargo rewrites Cargo.toml).
            String inRepository = prefix + (path.equals("Cargo.toml.orig") ? "Cargo.toml" : path);
            Set<String> ids = Set.of(file.getValue().split("\\|"));
            String committed = snapshot.get().files().get(inRepository);
            if (committed != null) {
                if (!ids.contains(committed)) {
                    differing.add(path);
                }
            } else if (!snapshot.get().links().contains(inRepository)
                    && ids.stream().noneMatch(snapshot.get().blobs()::contains)) {
                // A symbolic link is shipped as its target's bytes; a file equal to one elsewhere in the commit
                // (license-file = "../LICENSE", a readme outside the crate) is that file, copied by cargo.
                missing.add(path);
            }
        }
        if (!missing.isEmpty()) {
            findings.add(files(FILE_NOT_IN_REPOSITORY, pkg, missing, "ships " + count(missing) + " that commit "
                    + commit + " does not have" + (prefix.isEmpty() ? "" : " under " + vcs.pathInVcs()), at));
        }
        if (!differing.isEmpty()) {
            findings.add(files(FILE_DIFFERS, pkg, differing, "ships " + count(differing) + " that "
                    + (differing.size() == 1 ? "differs" : "differ") + " from commit " + commit, at));
        }
    }

    /** High when code is among the files (it can run), low when only data or documents are. */
    private static Finding files(Rule rule, LockedPackage pkg, List<String> paths, String what, Evidence at) {
        boolean code = paths.stream().anyMatch(RepositoryCheck::code);
        List<Evidence> evidence = new ArrayList<>(List.of(at));
        paths.stream().limit(20).forEach(path -> evidence.add(Evidence.of(pkg.id().nameAndVersion() + "/" + path,
                0)));
        return finding(rule, code ? Severity.HIGH : Severity.LOW, pkg, pkg.id().nameAndVersion() + " " + what + ": "
                + String.join(", ", paths.stream().limit(8).toList()) + (paths.size() > 8 ? ", …" : "")
                + (code ? "" : " (no code among them)"), evidence);
    }

    /** Source, scripts and binaries; a file without an extension is a program unless it is named as a document. */
    private static boolean code(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (DOCUMENT.matcher(name).matches()) {
            return false;
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 || CODE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String count(List<String> paths) {
        return paths.size() == 1 ? "a file" : paths.size() + " files";
    }

    private static Finding finding(Rule rule, Severity severity, LockedPackage pkg, String message, Evidence at) {
        return finding(rule, severity, pkg, message, List.of(at));
    }

    private static Finding finding(Rule rule, Severity severity, LockedPackage pkg, String message,
                                   List<Evidence> evidence) {
        return new Finding(rule, severity, pkg.name(), pkg.version().toString(), message, evidence, Map.of());
    }
}
