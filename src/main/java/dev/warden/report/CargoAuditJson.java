package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.PackageId;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.evaluate.advisory.Advisory;
import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AffectedVersions;
import dev.warden.evaluate.audit.AuditRules;
import dev.warden.evaluate.audit.AuditPolicy;
import dev.warden.cargo.semver.VersionReq;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code warden audit --format cargo-audit-json}: the report in the shape {@code cargo audit --json} prints (the
 * rustsec crate's {@code Report}: {@code database}, {@code lockfile}, {@code settings}, {@code vulnerabilities.list[]}
 * with {@code advisory}, {@code versions}, {@code affected}, {@code package}, and {@code warnings} by kind), so tools
 * that consume cargo-audit's output work unchanged. Warden's own findings with no cargo-audit counterpart (a
 * removed crate's name, stale data, ignore bookkeeping) are left out; {@code --format json} has them.
 */
public final class CargoAuditJson {

    private CargoAuditJson() {
    }

    public static void write(Verdict verdict, AdvisoryDatabase database, Lockfile lockfile, AuditPolicy policy,
                             PrintWriter out) {
        List<Finding> vulnerabilities = new ArrayList<>();
        Map<String, List<Finding>> warnings = new LinkedHashMap<>();
        for (Finding finding : verdict.findings()) {
            if (finding.rule() == AuditRules.VULNERABLE || finding.rule() == AuditRules.MALICIOUS) {
                vulnerabilities.add(finding);
            } else if (finding.rule() == AuditRules.UNMAINTAINED || finding.rule() == AuditRules.UNSOUND
                    || finding.rule() == AuditRules.NOTICE || finding.rule() == AuditRules.YANKED) {
                warnings.computeIfAbsent(kind(finding), k -> new ArrayList<>()).add(finding);
            }
        }
        JsonOutput.foreign(out, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("database");
            json.writeNumberField("advisory-count", database.advisoryCount());
            json.writeNullField("last-commit");
            JsonOutput.stringOrNull(json, "last-updated", database.dataDate() == null ? null
                    : database.dataDate() + "T00:00:00Z");
            json.writeEndObject();
            json.writeObjectFieldStart("lockfile");
            json.writeNumberField("dependency-count", lockfile.packages().size());
            json.writeEndObject();
            json.writeObjectFieldStart("settings");
            JsonOutput.strings(json, "target_arch", policy.targetArch() == null ? List.of()
                    : List.of(policy.targetArch()));
            JsonOutput.strings(json, "target_os", policy.targetOs() == null ? List.of() : List.of(policy.targetOs()));
            json.writeNullField("severity");
            JsonOutput.strings(json, "ignore", policy.ignores().stream().map(AuditPolicy.Ignore::id).toList());
            JsonOutput.strings(json, "informational_warnings", List.of("unmaintained", "unsound", "notice"));
            json.writeEndObject();
            json.writeObjectFieldStart("vulnerabilities");
            json.writeBooleanField("found", !vulnerabilities.isEmpty());
            json.writeNumberField("count", vulnerabilities.size());
            json.writeArrayFieldStart("list");
            for (Finding finding : vulnerabilities) {
                json.writeStartObject();
                Advisory advisory = advisory(database, finding);
                advisory(json, advisory);
                versions(json, advisory);
                affected(json, advisory);
                pkg(json, lockfile, finding);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeObjectFieldStart("warnings");
            for (Map.Entry<String, List<Finding>> kind : warnings.entrySet()) {
                json.writeArrayFieldStart(kind.getKey());
                for (Finding finding : kind.getValue()) {
                    Advisory advisory = advisory(database, finding);
                    json.writeStartObject();
                    json.writeStringField("kind", kind.getKey());
                    pkg(json, lockfile, finding);
                    advisory(json, advisory);
                    affected(json, advisory);
                    versions(json, advisory);
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** The advisory a finding names, looked up among its crate's only (the rest of the data stays undecoded). */
    private static Advisory advisory(AdvisoryDatabase database, Finding finding) {
        String id = finding.attributes().get("advisory");
        return id == null ? null : database.forCrate(finding.crate()).stream().filter(a -> a.id().equals(id))
                .findFirst().orElse(null);
    }

    private static String kind(Finding finding) {
        if (finding.rule() == AuditRules.YANKED) {
            return "yanked";
        }
        return finding.rule() == AuditRules.UNMAINTAINED ? "unmaintained"
                : finding.rule() == AuditRules.UNSOUND ? "unsound" : "notice";
    }

    private static void advisory(JsonGenerator json, Advisory advisory) throws IOException {
        if (advisory == null) {
            json.writeNullField("advisory");
            return;
        }
        json.writeObjectFieldStart("advisory");
        json.writeStringField("id", advisory.id());
        json.writeStringField("package", advisory.crate());
        JsonOutput.stringOrNull(json, "title", advisory.title());
        JsonOutput.stringOrNull(json, "description", advisory.summary());
        JsonOutput.stringOrNull(json, "date", advisory.date());
        JsonOutput.strings(json, "aliases", advisory.aliases());
        JsonOutput.strings(json, "related", advisory.related());
        json.writeStringField("collection", "crates");
        JsonOutput.strings(json, "categories", advisory.categories().stream().sorted().toList());
        JsonOutput.strings(json, "keywords", advisory.keywords());
        JsonOutput.stringOrNull(json, "cvss", advisory.cvss() == null ? null : advisory.cvss().vector());
        JsonOutput.stringOrNull(json, "informational", advisory.informational() == null ? null
                : advisory.informational().label());
        JsonOutput.strings(json, "references", List.of());
        JsonOutput.stringOrNull(json, "source", advisory.source());
        JsonOutput.stringOrNull(json, "url", advisory.url());
        JsonOutput.stringOrNull(json, "withdrawn", advisory.withdrawn());
        JsonOutput.stringOrNull(json, "license", advisory.license());
        json.writeEndObject();
    }

    private static void versions(JsonGenerator json, Advisory advisory) throws IOException {
        if (advisory == null) {
            json.writeNullField("versions");
            return;
        }
        json.writeObjectFieldStart("versions");
        boolean requirements = advisory.versions() instanceof AffectedVersions.Requirements;
        AffectedVersions.Requirements r = requirements ? (AffectedVersions.Requirements) advisory.versions() : null;
        JsonOutput.strings(json, "patched", r == null ? List.of() : r.patched().stream().map(VersionReq::toString).toList());
        JsonOutput.strings(json, "unaffected", r == null ? List.of()
                : r.unaffected().stream().map(VersionReq::toString).toList());
        json.writeEndObject();
    }

    private static void affected(JsonGenerator json, Advisory advisory) throws IOException {
        if (advisory == null || advisory.os().isEmpty() && advisory.arch().isEmpty() && advisory.functions().isEmpty()) {
            json.writeNullField("affected");
            return;
        }
        json.writeObjectFieldStart("affected");
        JsonOutput.strings(json, "arch", advisory.arch());
        JsonOutput.strings(json, "os", advisory.os());
        json.writeObjectFieldStart("functions");
        for (Map.Entry<String, List<String>> function : advisory.functions().entrySet()) {
            JsonOutput.strings(json, function.getKey(), function.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void pkg(JsonGenerator json, Lockfile lockfile, Finding finding) throws IOException {
        LockedPackage pkg = lockfile.packages().stream().filter(p -> p.name().equals(finding.crate())
                && p.version().toString().equals(finding.version())).findFirst().orElse(null);
        json.writeObjectFieldStart("package");
        json.writeStringField("name", finding.crate());
        JsonOutput.stringOrNull(json, "version", finding.version());
        JsonOutput.stringOrNull(json, "source", pkg == null || pkg.source() == null ? null : pkg.source().toString());
        JsonOutput.stringOrNull(json, "checksum", pkg == null ? null : pkg.checksum());
        json.writeArrayFieldStart("dependencies");
        for (PackageId dependency : pkg == null ? List.<PackageId>of() : pkg.dependencies()) {
            json.writeStartObject();
            json.writeStringField("name", dependency.name());
            json.writeStringField("version", dependency.version().toString());
            JsonOutput.stringOrNull(json, "source", dependency.source());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNullField("replace");
        json.writeEndObject();
    }
}
