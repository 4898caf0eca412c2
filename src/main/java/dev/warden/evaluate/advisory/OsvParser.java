package dev.warden.evaluate.advisory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cargo.semver.Version;
import dev.warden.core.WardenException;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads OSV records (schema 1.x) for the {@code crates.io} ecosystem: one advisory per affected crate, with SEMVER
 * (or ECOSYSTEM) ranges and explicit versions, RustSec's {@code database_specific} categories and informational
 * kind, OSSF {@code MAL-*} records (always malicious) and {@code withdrawn}.
 */
public final class OsvParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ECOSYSTEM = "crates.io";

    private OsvParser() {
    }

    /** Parses one JSON record; {@code origin} names it in errors (file or file:line). */
    public static List<Advisory> parse(String json, String origin) {
        JsonNode record;
        try {
            record = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new WardenException(origin + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (record == null || !record.isObject()) {
            throw new WardenException(origin + ": an OSV record must be a JSON object");
        }
        String id = text(record, "id");
        if (id == null || id.isBlank()) {
            throw new WardenException(origin + ": OSV record without 'id'");
        }
        List<String> aliases = strings(record.get("aliases"));
        List<String> related = strings(record.get("related"));
        LocalDate published = date(record, "published", origin);
        LocalDate modified = date(record, "modified", origin);
        LocalDate withdrawn = date(record, "withdrawn", origin);
        String title = text(record, "summary");
        String details = text(record, "details");
        Cvss cvss = severity(record.get("severity"), origin);
        String license = record.path("database_specific").path("license").asText(null);
        String url = reference(record.get("references"));

        List<Advisory> advisories = new ArrayList<>();
        for (JsonNode affected : iterable(record.get("affected"))) {
            JsonNode pkg = affected.path("package");
            if (!ECOSYSTEM.equals(pkg.path("ecosystem").asText())) {
                continue;
            }
            String crate = pkg.path("name").asText("");
            if (crate.isBlank()) {
                throw new WardenException(origin + ": affected package without a name");
            }
            JsonNode specific = affected.path("database_specific");
            Set<String> categories = new LinkedHashSet<>(strings(specific.get("categories")));
            if (id.startsWith("MAL-")) {
                categories.add("malicious");
            }
            JsonNode affects = affected.path("ecosystem_specific").path("affects");
            Map<String, List<String>> functions = new LinkedHashMap<>();
            for (String function : strings(affects.get("functions"))) {
                functions.put(function, List.of());
            }
            Cvss packageCvss = cvss != null ? cvss : cvssText(specific.path("cvss").asText(null), origin);
            advisories.add(new Advisory(id, aliases, related, crate, null, published != null ? published : modified,
                    title == null ? "" : title,
                    details == null ? "" : RustsecParser.firstParagraph(details.lines().toList()), url, categories,
                    List.of(),
                    Informational.parse(specific.path("informational").asText(null)), withdrawn, packageCvss,
                    strings(affects.get("os")), strings(affects.get("arch")), functions,
                    versions(affected, origin), license == null ? "CC-BY-4.0" : license, origin));
        }
        return advisories;
    }

    private static AffectedVersions versions(JsonNode affected, String origin) {
        List<AffectedVersions.Ranges.Range> ranges = new ArrayList<>();
        for (JsonNode range : iterable(affected.get("ranges"))) {
            String type = range.path("type").asText();
            if (!type.equals("SEMVER") && !type.equals("ECOSYSTEM")) {
                continue;
            }
            List<AffectedVersions.Ranges.Event> events = new ArrayList<>();
            for (JsonNode event : iterable(range.get("events"))) {
                for (AffectedVersions.Ranges.Event.Kind kind : AffectedVersions.Ranges.Event.Kind.values()) {
                    String key = kind.name().toLowerCase(Locale.ROOT);
                    if (event.has(key)) {
                        String text = event.get(key).asText();
                        Version version = kind == AffectedVersions.Ranges.Event.Kind.INTRODUCED && text.equals("0")
                                ? null : version(text, origin);
                        events.add(new AffectedVersions.Ranges.Event(kind, version));
                    }
                }
            }
            ranges.add(new AffectedVersions.Ranges.Range(events));
        }
        Set<Version> versions = new HashSet<>();
        for (String text : strings(affected.get("versions"))) {
            versions.add(version(text, origin));
        }
        return new AffectedVersions.Ranges(ranges, versions);
    }

    private static Version version(String text, String origin) {
        try {
            return Version.parse(text);
        } catch (WardenException e) {
            throw new WardenException(origin + ": " + e.getMessage());
        }
    }

    private static Cvss severity(JsonNode severities, String origin) {
        Cvss best = null;
        for (JsonNode severity : iterable(severities)) {
            String type = severity.path("type").asText();
            if (type.startsWith("CVSS_V3") || type.startsWith("CVSS_V4")) {
                Cvss cvss = cvssText(severity.path("score").asText(null), origin);
                // Prefer the newest CVSS version a record carries.
                if (cvss != null && (best == null || cvss.version().compareTo(best.version()) > 0)) {
                    best = cvss;
                }
            }
        }
        return best;
    }

    private static Cvss cvssText(String vector, String origin) {
        if (vector == null || vector.isBlank()) {
            return null;
        }
        try {
            return Cvss.parse(vector);
        } catch (WardenException e) {
            throw new WardenException(origin + ": " + e.getMessage());
        }
    }

    private static String reference(JsonNode references) {
        String first = null;
        for (String preferred : List.of("WEB", "ADVISORY", "REPORT")) {
            for (JsonNode reference : iterable(references)) {
                if (first == null) {
                    first = reference.path("url").asText(null);
                }
                if (preferred.equals(reference.path("type").asText())) {
                    return reference.path("url").asText(null);
                }
            }
        }
        return first;
    }

    private static LocalDate date(JsonNode record, String key, String origin) {
        String text = text(record, key);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toLocalDate();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text);
            } catch (DateTimeParseException again) {
                throw new WardenException(origin + ": '" + key + "' is not an RFC 3339 timestamp: " + text);
            }
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        for (JsonNode element : iterable(array)) {
            if (element.isTextual()) {
                result.add(element.asText());
            }
        }
        return result;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null || !node.isArray() ? List.of() : node;
    }
}
