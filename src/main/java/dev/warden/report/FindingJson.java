package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one JSON shape of a {@link Finding}, shared by every command:
 * <pre>{"id","stage","severity","blocking","crate","version","message",
 *  "evidence":[{"file","line","excerpt"}], …attributes}</pre>
 * Attributes (for example {@code advisory}, {@code target}, {@code path}) follow as further fields: strings, lists
 * ({@code aliases}, {@code functions}, {@code os}, {@code arch}) as arrays, numbers ({@code score}, {@code rank},
 * {@code targetRank}) as numbers or null, the dependency {@code path} as an array of {@code {name, version}}.
 */
public final class FindingJson {

    private FindingJson() {
    }

    public static void write(JsonGenerator json, Finding finding, boolean blocking) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", finding.id());
        json.writeStringField("stage", finding.stage().label());
        json.writeStringField("severity", finding.severity().label());
        json.writeBooleanField("blocking", blocking);
        JsonOutput.stringOrNull(json, "crate", finding.crate());
        JsonOutput.stringOrNull(json, "version", finding.version());
        json.writeStringField("message", finding.message());
        json.writeArrayFieldStart("evidence");
        for (Evidence evidence : finding.evidence()) {
            json.writeStartObject();
            json.writeStringField("file", evidence.file());
            if (evidence.line() > 0) {
                json.writeNumberField("line", evidence.line());
            }
            if (evidence.excerpt() != null) {
                json.writeStringField("excerpt", evidence.excerpt());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        for (Map.Entry<String, String> attribute : finding.attributes().entrySet()) {
            attribute(json, attribute.getKey(), attribute.getValue());
        }
        json.writeEndObject();
    }

    /** Attributes that hold lists (kept in the finding as "a, b") and numbers are written as such. */
    private static final Set<String> LISTS = Set.of("aliases", "functions", "os", "arch");
    private static final Set<String> NUMBERS = Set.of("score", "rank", "targetRank");

    /**
     * The dependency path ("app 0.1.0 → a 1.2.0 → b 0.3.1", as findings carry it for text reports) as an array of
     * {@code {name, version}} from the workspace member to the crate.
     */
    private static void path(JsonGenerator json, String value) throws IOException {
        json.writeArrayFieldStart("path");
        for (String step : value.split(" → ")) {
            int space = step.lastIndexOf(' ');
            json.writeStartObject();
            json.writeStringField("name", space < 0 ? step : step.substring(0, space));
            JsonOutput.stringOrNull(json, "version", space < 0 ? null : step.substring(space + 1));
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void attribute(JsonGenerator json, String key, String value) throws IOException {
        if (key.equals("path")) {
            path(json, value);
        } else if (LISTS.contains(key)) {
            JsonOutput.strings(json, key, value.isEmpty() ? List.of() : List.of(value.split(", ")));
        } else if (NUMBERS.contains(key)) {
            try {
                json.writeNumberField(key, new BigDecimal(value));
            } catch (NumberFormatException e) {
                json.writeNullField(key); // "unranked": no number
            }
        } else {
            json.writeStringField(key, value);
        }
    }
}
