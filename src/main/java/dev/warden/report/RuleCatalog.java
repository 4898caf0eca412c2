package dev.warden.report;

import dev.warden.core.Rule;
import dev.warden.evaluate.audit.AuditRules;
import dev.warden.evaluate.diff.DiffRules;
import dev.warden.evaluate.license.LicenseCheck;
import dev.warden.evaluate.repository.RepositoryCheck;
import dev.warden.evaluate.review.ReviewCheck;
import dev.warden.evaluate.scan.ScanRules;
import dev.warden.evaluate.weight.WeightCheck;
import dev.warden.expose.ExposeRules;
import dev.warden.fortify.FortifyRules;
import dev.warden.fortify.bans.BansCheck;
import dev.warden.limit.iam.IamCheck;
import dev.warden.limit.pipeline.PipelineAudit;
import dev.warden.recon.ReconRules;
import dev.warden.recon.publishers.OwnerChangeCheck;
import dev.warden.recon.publishers.PublisherDriftCheck;

import java.util.List;
import java.util.stream.Stream;

/** Every rule Warden can report, for SARIF rule metadata, documentation and the uniqueness test. */
public final class RuleCatalog {

    public static final List<Rule> ALL = Stream.of(AuditRules.ALL, ScanRules.ALL, DiffRules.ALL, ReconRules.ALL,
            PublisherDriftCheck.RULES, OwnerChangeCheck.RULES, ReviewCheck.RULES, FortifyRules.ALL, BansCheck.RULES, LicenseCheck.RULES,
            RepositoryCheck.RULES, WeightCheck.RULES, PipelineAudit.RULES,
            IamCheck.RULES, ExposeRules.ALL)
            .flatMap(List::stream).toList();

    private RuleCatalog() {
    }
}
