package dev.warden.evaluate.scan;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.download.CrateDownloader;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.project.Project;
import dev.warden.check.Check;
import dev.warden.check.CheckContext;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Never a silent pass: every crate a run was asked to judge and could not read is a finding of its own, with the
 * reason. A crate the change brings is {@code high} (nothing vouches for the code that will run); the old version
 * of a changed crate, read only to tell what is new, is {@code low} (its absence makes the whole new version count as
 * new, which is stricter, not laxer). A download that did not match the lockfile's checksum is
 * {@code crate-checksum-mismatch}, critical, whoever asked for it.
 */
public final class CoverageCheck implements Check {

    @Override
    public String name() {
        return "coverage";
    }

    @Override
    public List<Finding> run(CheckContext context) {
        Project project = context.project();
        String lockfile = project.display(project.lockfile().path());
        Map<PackageId, LockedPackage> current = new HashMap<>();
        project.lockfile().packages().forEach(p -> current.put(p.id(), p));
        List<Finding> findings = new ArrayList<>();
        context.crates().outcomes().forEach((id, outcome) -> {
            if (!(outcome instanceof ScannedCrates.Unverified unverified)) {
                return;
            }
            LockedPackage pkg = current.get(id);
            boolean judged = pkg != null && context.change().brings(pkg);
            String version = String.valueOf(id.version());
            List<Evidence> at = List.of(pkg == null
                    ? new Evidence(context.change().base().map(Base::display).orElse(lockfile), 0,
                            id.nameAndVersion())
                    : new Evidence(lockfile, pkg.line(), id.nameAndVersion()));
            if (unverified.reason() == CrateDownloader.Reason.CHECKSUM_MISMATCH) {
                findings.add(new Finding(ScanRules.CHECKSUM_MISMATCH, id.name(), version, unverified.detail(), at));
                return;
            }
            String message = (judged ? id.nameAndVersion() + " could not be read (" + unverified.reason().label()
                    + "), so its code was not judged: " : "the previous version " + id.nameAndVersion()
                    + " could not be read (" + unverified.reason().label() + "), so all of the new version's "
                    + "code counts as new: ") + unverified.detail();
            Finding finding = new Finding(ScanRules.SOURCE_UNVERIFIED, id.name(), version, message, at);
            findings.add(judged ? finding : finding.withSeverity(Severity.LOW));
        });
        return findings;
    }
}
