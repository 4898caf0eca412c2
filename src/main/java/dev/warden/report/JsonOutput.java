package dev.warden.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.core.util.Separators;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.SourceId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Streams JSON with two-space indentation and one value per line, so large inventories are written without
 * building a tree in memory and diffs of saved reports stay readable.
 */
public final class JsonOutput {

    /** Jackson refuses documents nested over 1,000 levels by default; a dependency tree can be deeper than that. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build()).build();

    private JsonOutput() {
    }

    /** Something that writes one JSON document; IOExceptions are rethrown unchecked. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * The version of the shape of Warden's JSON reports ({@code schema/warden-report.schema.json}): every report
     * object starts with it. Raised when a key is renamed or removed or changes type; new keys do not raise it.
     */
    public static final int SCHEMA_VERSION = 1;

    /** Writes one of Warden's own reports: a top-level object gets {@code "schemaVersion"} first. */
    public static void write(Writer out, Body body) {
        pretty(out, json -> body.write(new JsonGeneratorDelegate(json, true) {
            @Override
            public void writeStartObject() throws IOException {
                boolean root = getOutputContext().inRoot();
                super.writeStartObject();
                if (root) {
                    writeNumberField("schemaVersion", SCHEMA_VERSION);
                }
            }
        }));
    }

    /** Writes a document in someone else's format (SARIF) exactly as given. */
    public static void foreign(Writer out, Body body) {
        pretty(out, body);
    }

    private static void pretty(Writer out, Body body) {
        try {
            JsonGenerator json = FACTORY.createGenerator(out);
            DefaultIndenter indenter = new CappedIndenter();
            json.setPrettyPrinter(new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                            .withArrayEmptySeparator("")
                            .withObjectEmptySeparator(""))
                    .withObjectIndenter(indenter)
                    .withArrayIndenter(indenter));
            body.write(json);
            json.flush();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Two spaces a level, but no deeper than {@link #MAX_INDENT} levels: indentation grows with depth, so a
     * 10,000-deep dependency chain (generated, or hostile) would otherwise print gigabytes of spaces. Past the cap
     * the document is the same JSON, only flatter to look at.
     */
    private static final class CappedIndenter extends DefaultIndenter {

        static final int MAX_INDENT = 40;

        CappedIndenter() {
            super("  ", "\n");
        }

        @Override
        public void writeIndentation(JsonGenerator json, int level) throws IOException {
            super.writeIndentation(json, Math.min(level, MAX_INDENT));
        }
    }

    /** Writes one compact JSON document followed by a newline: a JSON-lines record. */
    public static void line(Writer out, Body body) {
        try {
            JsonGenerator json = FACTORY.createGenerator(out);
            body.write(json);
            json.flush();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a string field, or null when the value is null, so every object has the same keys. */
    public static void stringOrNull(JsonGenerator json, String field, Object value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value.toString());
        }
    }

    /** A label as a JSON key: {@code source-changed} → {@code sourceChanged}, {@code build script} → {@code buildScript}. */
    public static String key(String label) {
        StringBuilder key = new StringBuilder();
        boolean upper = false;
        for (char c : label.toCharArray()) {
            if (c == '-' || c == '_' || c == ' ') {
                upper = !key.isEmpty();
            } else {
                key.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return key.toString();
    }

    /**
     * Where a package comes from, in the one form every report uses: {@code "<field>"} exactly as Cargo wrote it
     * (null for path and workspace packages) and {@code "<field>Kind"}: registry, sparse, git, path,
     * local-registry or directory.
     */
    public static void source(JsonGenerator json, String field, LockedPackage pkg) throws IOException {
        SourceId source = pkg == null ? null : pkg.source();
        stringOrNull(json, field, source);
        stringOrNull(json, field + "Kind", pkg == null ? null : source == null ? "path" : source.kind().prefix());
    }

    /** {@code "field": ["a", "b"]}. */
    public static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
