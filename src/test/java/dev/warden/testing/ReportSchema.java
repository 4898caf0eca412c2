package dev.warden.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code schema/warden-report.schema.json}, the published shape of every JSON report, applied in tests. */
public final class ReportSchema {

    private static final JsonSchema SCHEMA;

    static {
        try {
            SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(new ObjectMapper().readTree(Path.of("schema/warden-report.schema.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ReportSchema() {
    }

    /** Fails with every violation when {@code report} is not a valid Warden report. */
    public static void assertValid(JsonNode report) {
        Set<ValidationMessage> errors = SCHEMA.validate(report);
        if (!errors.isEmpty()) {
            throw new AssertionError("report does not match schema/warden-report.schema.json:\n"
                    + errors.stream().map(ValidationMessage::getMessage).sorted().limit(20)
                            .collect(Collectors.joining("\n")));
        }
    }

    /** Whether the document is in another tool's format (SARIF, cargo-audit's JSON), not a Warden report. */
    public static boolean isForeign(JsonNode document) {
        return document.path("$schema").asText().contains("sarif")
                || document.has("vulnerabilities") && document.has("database") && !document.has("schemaVersion");
    }
}
