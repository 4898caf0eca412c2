package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.check.Verdict;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the rules that fired (with a {@code security-severity} GitHub
 * uses to rank them), one result per finding located at a path relative to the repository root
 * ({@code %SRCROOT%}), and a stable fingerprint so the same finding is recognised across runs.
 */
public final class SarifReport {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String INFORMATION_URI = "https://github.com/warden-dev/warden";

    private SarifReport() {
    }

    /**
     * @param fallbackUri the artifact a finding without a file location is attached to (the lockfile): code scanning
     *                    needs every result located
     * @param minimum     findings below this severity are left out unless they block: code scanning is for what a
     *                    reviewer acts on, the full list is in the JSON report
     */
    public static void write(Verdict verdict, String toolVersion, String fallbackUri, Severity minimum,
                             PrintWriter out) {
        // One result per rule, location and finding: code scanning would merge the repeats into one alert anyway.
        Map<String, Finding> unique = new LinkedHashMap<>();
        for (Finding finding : FindingsReport.sorted(verdict)) {
            if (finding.severity().atLeast(minimum) || verdict.isBlocking(finding)) {
                unique.putIfAbsent(finding.id() + "|" + primaryLocation(finding, fallbackUri) + "|"
                        + fingerprint(finding), finding);
            }
        }
        List<Finding> findings = List.copyOf(unique.values());
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Finding finding : findings) {
            if (!rules.containsKey(finding.id())) {
                ruleIndex.put(finding.id(), rules.size());
                rules.put(finding.id(), finding.rule());
            }
        }
        JsonOutput.foreign(out, json -> {
            json.writeStartObject();
            json.writeStringField("$schema", SCHEMA);
            json.writeStringField("version", "2.1.0");
            json.writeArrayFieldStart("runs");
            json.writeStartObject();
            json.writeObjectFieldStart("tool");
            json.writeObjectFieldStart("driver");
            json.writeStringField("name", "Warden");
            json.writeStringField("version", toolVersion);
            json.writeStringField("informationUri", INFORMATION_URI);
            json.writeArrayFieldStart("rules");
            for (Rule rule : rules.values()) {
                rule(json, rule);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
            json.writeArrayFieldStart("results");
            for (Finding finding : findings) {
                result(json, finding, ruleIndex.get(finding.id()), verdict.isBlocking(finding), fallbackUri);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void rule(JsonGenerator json, Rule rule) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", rule.code());
        json.writeStringField("name", pascal(rule.code()));
        json.writeObjectFieldStart("shortDescription");
        json.writeStringField("text", rule.description());
        json.writeEndObject();
        json.writeObjectFieldStart("fullDescription");
        json.writeStringField("text", rule.description());
        json.writeEndObject();
        json.writeObjectFieldStart("defaultConfiguration");
        json.writeStringField("level", level(rule.defaultSeverity(), false));
        json.writeEndObject();
        json.writeStringField("helpUri", INFORMATION_URI + "#" + rule.code());
        json.writeObjectFieldStart("help");
        json.writeStringField("text", rule.description() + " Stage: " + rule.stage().label() + ".");
        json.writeEndObject();
        json.writeObjectFieldStart("properties");
        json.writeArrayFieldStart("tags");
        json.writeString("security");
        json.writeString("supply-chain");
        json.writeString(rule.stage().label());
        json.writeEndArray();
        json.writeStringField("precision", "high");
        json.writeStringField("security-severity", securitySeverity(rule.defaultSeverity()));
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void result(JsonGenerator json, Finding finding, int index, boolean blocking, String fallbackUri)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("ruleId", finding.id());
        json.writeNumberField("ruleIndex", index);
        json.writeStringField("level", level(finding.severity(), blocking));
        json.writeObjectFieldStart("message");
        String text = finding.crate() == null ? finding.message()
                : finding.crate() + (finding.version() == null ? "" : " " + finding.version()) + ": " + finding.message();
        json.writeStringField("text", text.endsWith(".") ? text : text + ".");
        json.writeEndObject();
        json.writeArrayFieldStart("locations");
        boolean located = false;
        for (Evidence evidence : finding.evidence()) {
            if (isArtifact(evidence)) {
                location(json, evidence.file(), evidence.line());
                located = true;
            }
        }
        if (!located) {
            location(json, fallbackUri, 1);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("partialFingerprints");
        json.writeStringField("wardenFinding/v1", fingerprint(finding));
        json.writeEndObject();
        json.writeObjectFieldStart("properties");
        json.writeStringField("severity", finding.severity().label());
        json.writeBooleanField("blocking", blocking);
        if (finding.crate() != null) {
            json.writeStringField("crate", finding.crate());
        }
        if (finding.version() != null) {
            json.writeStringField("version", finding.version());
        }
        for (Map.Entry<String, String> attribute : finding.attributes().entrySet()) {
            json.writeStringField(attribute.getKey(), attribute.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void location(JsonGenerator json, String uri, int line) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("physicalLocation");
        json.writeObjectFieldStart("artifactLocation");
        json.writeStringField("uri", uri.replace('\\', '/'));
        json.writeStringField("uriBaseId", "%SRCROOT%");
        json.writeEndObject();
        json.writeObjectFieldStart("region");
        json.writeNumberField("startLine", Math.max(1, line));
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
    }

    private static String primaryLocation(Finding finding, String fallbackUri) {
        return finding.evidence().stream().filter(SarifReport::isArtifact).findFirst()
                .map(e -> e.file() + ":" + e.line()).orElse(fallbackUri);
    }

    /** Evidence that names a file of the repository (not a command-line flag or a database description). */
    private static boolean isArtifact(Evidence evidence) {
        String file = evidence.file();
        return !file.isEmpty() && !file.startsWith("-") && !file.startsWith("/") && !file.contains(" ")
                && !file.contains(":/");
    }

    static String level(Severity severity, boolean blocking) {
        if (blocking) {
            return "error";
        }
        return severity.atLeast(Severity.MEDIUM) ? "warning" : "note";
    }

    /** GitHub's scale: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low &gt; 0. */
    static String securitySeverity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "2.0";
            case INFO -> "0.0";
        };
    }

    private static String pascal(String code) {
        StringBuilder name = new StringBuilder();
        for (String part : code.split("-")) {
            name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return name.toString();
    }

    private static String fingerprint(Finding finding) {
        String key = finding.id() + "|" + finding.crate() + "|" + finding.version() + "|"
                + finding.attributes().getOrDefault("advisory", finding.message());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
