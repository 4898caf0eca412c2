package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.check.Verdict;
import dev.warden.core.Finding;
import dev.warden.evaluate.scan.Capability;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.ProjectScan;
import dev.warden.evaluate.scan.Role;
import dev.warden.evaluate.scan.UnsafeCounts;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code warden scan} output. JSON (stable):
 * <pre>{"crates":[{"name","version","origin","buildScript","procMacro",
 *   "unsafe":{"functions","blocks","impls","traits"},"unsafeByRole":{"library":{…},…},"unsafeByFile":{"src/lib.rs":{…},…},
 *   "capabilities":["build script: reads AWS_SECRET_ACCESS_KEY",…],"findings":[…]}],
 *  "notScanned":[{"crate":"name version","reason"}],"summary":{"scanned","notScanned","findingCount","blocking"}}</pre>
 */
public final class ScanReport {

    private ScanReport() {
    }

    public static void text(ProjectScan.Result result, Verdict verdict, PrintWriter out) {
        out.printf("scan: %d crate%s scanned, %d could not be read%n", result.scans().size(),
                result.scans().size() == 1 ? "" : "s", result.notScanned().size());
        if (!result.notScanned().isEmpty()) {
            // One line per reason, not one per crate: a fresh machine offline can have hundreds.
            Map<String, List<String>> byReason = new TreeMap<>();
            result.notScanned().forEach((crate, why) -> byReason.computeIfAbsent(why.substring(0,
                    Math.max(0, why.indexOf(':'))), r -> new ArrayList<>()).add(crate));
            out.println("  not judged, so this scan cannot call them clean (source-unverified):");
            byReason.forEach((reason, crates) -> out.println("    " + reason + " (" + crates.size() + "): "
                    + String.join(", ", crates.subList(0, Math.min(12, crates.size())))
                    + (crates.size() > 12 ? ", … and " + (crates.size() - 12) + " more" : "")));
        }
        for (CrateScan scan : result.scans()) {
            if (scan.findings().isEmpty() && scan.unsafeTotal().total() == 0 && !scan.hasBuildScript()
                    && !scan.procMacro()) {
                continue;
            }
            out.println();
            String kinds = (scan.hasBuildScript() ? " [build script]" : "") + (scan.procMacro() ? " [proc macro]" : "");
            out.printf("%s %s%s — unsafe: %s%n", scan.name(), scan.version(), kinds, unsafeText(scan.unsafeTotal()));
            out.println("  from " + scan.origin());
            for (Finding finding : scan.findings().stream().sorted(Comparator.comparing(Finding::severity).reversed()).toList()) {
                out.printf("  %s[%s] %s%n", verdict.isBlocking(finding) ? "error" : finding.severity().label(),
                        finding.id(), finding.message());
                if (!finding.evidence().isEmpty()) {
                    out.println("    at " + FindingsReport.locations(finding, 5));
                }
            }
        }
        out.println();
        out.println(FindingsReport.summaryLine(verdict));
    }

    static String unsafeText(UnsafeCounts counts) {
        return counts.functions() + " fn, " + counts.blocks() + " blocks, " + counts.impls() + " impls, "
                + counts.traits() + " traits";
    }

    public static void json(ProjectScan.Result result, Verdict verdict, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("crates");
            for (CrateScan scan : result.scans()) {
                crate(json, scan, verdict);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("unverified");
            for (Finding finding : result.unverified()) {
                FindingJson.write(json, finding, verdict.isBlocking(finding));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("notScanned");
            for (Map.Entry<String, String> entry : result.notScanned().entrySet()) {
                json.writeStartObject();
                json.writeStringField("crate", entry.getKey());
                json.writeStringField("reason", entry.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("scanned", result.scans().size());
            json.writeNumberField("notScanned", result.notScanned().size());
            json.writeNumberField("findingCount", verdict.findings().size());
            json.writeNumberField("blocking", verdict.blocking().size());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    static void crate(JsonGenerator json, CrateScan scan, Verdict verdict) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", scan.name());
        json.writeStringField("version", scan.version());
        json.writeStringField("origin", scan.origin());
        json.writeBooleanField("buildScript", scan.hasBuildScript());
        json.writeBooleanField("procMacro", scan.procMacro());
        json.writeFieldName("unsafe");
        counts(json, scan.unsafeTotal());
        json.writeObjectFieldStart("unsafeByRole");
        for (Role role : Role.values()) {
            UnsafeCounts counts = scan.unsafeByRole().get(role);
            if (counts != null) {
                json.writeFieldName(JsonOutput.key(role.key()));
                counts(json, counts);
            }
        }
        json.writeEndObject();
        json.writeObjectFieldStart("unsafeByFile");
        for (Map.Entry<String, UnsafeCounts> file : scan.unsafeByFile().entrySet()) {
            json.writeFieldName(file.getKey());
            counts(json, file.getValue());
        }
        json.writeEndObject();
        json.writeArrayFieldStart("capabilities");
        for (Capability capability : scan.capabilities().stream().sorted().toList()) {
            json.writeString(capability.toString());
        }
        json.writeEndArray();
        json.writeArrayFieldStart("findings");
        for (Finding finding : scan.findings()) {
            FindingJson.write(json, finding, verdict.isBlocking(finding));
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void counts(JsonGenerator json, UnsafeCounts counts) throws IOException {
        json.writeStartObject();
        json.writeNumberField("functions", counts.functions());
        json.writeNumberField("blocks", counts.blocks());
        json.writeNumberField("impls", counts.impls());
        json.writeNumberField("traits", counts.traits());
        json.writeEndObject();
    }
}
