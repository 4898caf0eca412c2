package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;

import java.io.IOException;
import java.util.Map;

/**
 * The one JSON shape of a {@link Finding}, shared by every command:
 * <pre>{"id","stage","severity","blocking","crate","version","message",
 *  "evidence":[{"file","line","excerpt"}], …attributes}</pre>
 * Attributes (for example {@code advisory}, {@code target}, {@code path}) follow as further string fields.
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
            json.writeStringField(attribute.getKey(), attribute.getValue());
        }
        json.writeEndObject();
    }
}
