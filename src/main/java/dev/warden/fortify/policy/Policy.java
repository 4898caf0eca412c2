package dev.warden.fortify.policy;

import dev.warden.evaluate.audit.AuditPolicy;
import dev.warden.evaluate.diff.DiffPolicy;
import dev.warden.evaluate.review.ReviewPolicy;
import dev.warden.core.Severity;
import dev.warden.fortify.bans.BansPolicy;
import dev.warden.evaluate.license.LicensePolicy;
import dev.warden.fortify.code.CodePolicy;
import dev.warden.fortify.gate.GatePolicy;
import dev.warden.fortify.sources.SourcesPolicy;
import dev.warden.limit.LimitPolicy;
import dev.warden.limit.pipeline.PipelinePolicy;
import dev.warden.recon.ReconPolicy;

import java.nio.file.Path;

/**
 * A project's {@code warden.toml}, validated into typed sections. Every section has defaults, so a project without
 * a policy file gets the same checks as one with an empty file.
 *
 * @param file  the file it was read from, or null for the defaults
 * @param audit {@code [audit]}: fail level, denied warning kinds, ignores with reasons and expiry
 * @param indexUrl {@code [registry] index-url}: a sparse index to ask about yanked versions (offline when null)
 * @param diff  {@code [diff]}: when a dependency change fails review
 * @param recon {@code [recon]}: internal crate prefixes, allowed look-alike names, publish-age limits
 * @param limit {@code [limit]}: extra paths the build sandbox hides, extra variables it lets in
 * @param buildFailLevel {@code [limit] fail-level}: alerts of {@code warden build} at or above this fail the build
 * @param sources {@code [sources]}: allowed registries and git repositories, where internal crates come from
 * @param code  {@code [build-code]} and {@code [unsafe]}: who may run build-time code, unsafe budgets
 * @param scanFailLevel {@code [scan] fail-level}: source-scan findings at or above this block the gate
 * @param gate  {@code [gate]}: findings a reviewer accepted, with reasons and expiry dates
 * @param ci    {@code [ci]}: how the CI definitions are judged (fail level, longest credential lifetime)
 * @param review {@code [review]}: where the cargo-vet data is and which criteria new crates must be reviewed for
 * @param bans  {@code [bans]}: denied and allowed crates, duplicate versions, wildcard requirements (as cargo-deny)
 * @param licenses {@code [licenses]}: allowed and denied licences, exceptions, clarifications (as cargo-deny)
 * @param storeUrl {@code [store] url}: the store this project's runs write to (null: the default SQLite file)
 */
public record Policy(Path file, AuditPolicy audit, String indexUrl, DiffPolicy diff, ReconPolicy recon,
                     LimitPolicy limit, Severity buildFailLevel, SourcesPolicy sources, CodePolicy code,
                     Severity scanFailLevel, GatePolicy gate, PipelinePolicy ci, ReviewPolicy review,
                     BansPolicy bans, LicensePolicy licenses, String storeUrl) {

    public static Policy defaults() {
        return new Policy(null, AuditPolicy.defaults(), null, DiffPolicy.defaults(), ReconPolicy.defaults(),
                LimitPolicy.defaults(), Severity.HIGH, SourcesPolicy.defaults(), CodePolicy.defaults(),
                Severity.CRITICAL, GatePolicy.defaults(), PipelinePolicy.defaults(), ReviewPolicy.defaults(),
                BansPolicy.defaults(), LicensePolicy.defaults(), null);
    }
}
