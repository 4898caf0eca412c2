package dev.warden.fortify.code;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.project.Project;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.fortify.FortifyRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Enforces {@code [build-code]} and {@code [unsafe]} on the crates a change brings (or, without a base, on every
 * third-party crate): build scripts and proc macros only from allow-listed crates at their pinned version or
 * checksum, and unsafe code within budget. Crates whose source could not be read are the coverage check's
 * findings, not passes.
 */
public final class CodeCheck implements Check {

    private final CodePolicy policy;

    public CodeCheck(CodePolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "code";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        if (!policy.enforced()) {
            return List.of();
        }
        Project project = context.project();
        String lockfile = project.display(project.lockfile().path());
        List<Finding> findings = new ArrayList<>();
        for (LockedPackage pkg : context.change().brought()) {
            Optional<CrateScan> scanned = context.crates().scan(pkg);
            if (scanned.isEmpty()) {
                continue;
            }
            CrateScan scan = scanned.get();
            List<Evidence> at = List.of(new Evidence(lockfile, pkg.line(), pkg.id().nameAndVersion()));
            if (policy.buildCode() != null && (scan.hasBuildScript() || policy.procMacrosListed()
                    && scan.procMacro())) {
                buildCode(pkg, scan, at, findings);
            }
            Integer budget = policy.unsafePerCrate().getOrDefault(pkg.name(), policy.unsafeBudget());
            int used = scan.unsafeTotal().total();
            if (budget != null && used > budget) {
                findings.add(new Finding(FortifyRules.UNSAFE_OVER_BUDGET, pkg.name(), pkg.version().toString(),
                        pkg.name() + " " + pkg.version() + " has " + used + " unsafe items, over its budget of "
                                + budget + " ([unsafe] " + (policy.unsafePerCrate().containsKey(pkg.name())
                                ? "crates." + pkg.name() : "budget") + ")", at));
            }
        }
        return findings;
    }

    private void buildCode(LockedPackage pkg, CrateScan scan, List<Evidence> at, List<Finding> findings) {
        String what = scan.procMacro() ? "is a proc macro" : "has a build script";
        List<CodePolicy.Allowed> entries = policy.buildCode().stream().filter(a -> a.name().equals(pkg.name()))
                .toList();
        if (entries.isEmpty()) {
            findings.add(new Finding(FortifyRules.BUILD_CODE_NOT_ALLOWED, pkg.name(), pkg.version().toString(),
                    pkg.name() + " " + pkg.version() + " " + what + ", which runs on every machine that builds "
                            + "the project, and is not in " + (policy.procMacrosListed() ? "[build-code] allow"
                            : "[bans.build] allow-build-scripts"), at));
            return;
        }
        boolean matches = entries.stream().anyMatch(a -> (a.version() == null || a.version().matches(pkg.version()))
                && (a.checksum() == null || a.checksum().equalsIgnoreCase(pkg.checksum() == null ? "" : pkg.checksum())));
        if (!matches) {
            CodePolicy.Allowed entry = entries.getFirst();
            List<Evidence> evidence = new ArrayList<>(at);
            evidence.add(new Evidence(entry.file(), entry.line(), "allowed here"));
            findings.add(new Finding(FortifyRules.BUILD_CODE_PIN_MISMATCH, pkg.name(), pkg.version().toString(),
                    pkg.name() + " " + pkg.version() + " " + what + " and is allowed only "
                            + (entry.version() != null ? "at " + entry.version() : "")
                            + (entry.checksum() != null ? (entry.version() != null ? " " : "") + "with checksum "
                            + entry.checksum() : "") + "; review the new release before moving the pin", evidence));
        }
    }
}
