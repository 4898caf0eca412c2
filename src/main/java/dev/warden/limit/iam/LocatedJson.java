package dev.warden.limit.iam;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read with the line every value starts on, so a finding about an IAM statement names its line. (Jackson's tree
 * model drops locations; its streaming parser has them.)
 */
public sealed interface LocatedJson {

    int line();

    record Obj(Map<String, LocatedJson> fields, int line) implements LocatedJson {
        LocatedJson get(String key) {
            return fields.get(key);
        }
    }

    record Arr(List<LocatedJson> items, int line) implements LocatedJson {
    }

    /** A string, number, boolean or null, as text (null for JSON null). */
    record Scalar(String text, int line) implements LocatedJson {
    }

    int MAX_DEPTH = 64;

    static LocatedJson parse(String text) throws IOException {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).build()).build();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("empty document");
            }
            LocatedJson value = value(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON value (line " + parser.currentLocation().getLineNr() + ")");
            }
            return value;
        }
    }

    private static LocatedJson value(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, LocatedJson> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.put(name, value(parser));
            }
            return new Obj(fields, line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<LocatedJson> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(value(parser));
            }
            return new Arr(items, line);
        }
        return new Scalar(token == JsonToken.VALUE_NULL ? null : parser.getText(), line);
    }

    /** A string or a list of strings (IAM allows both for Action and Resource), each with its line. */
    static List<Scalar> strings(LocatedJson value) {
        List<Scalar> strings = new ArrayList<>();
        if (value instanceof Scalar scalar && scalar.text() != null) {
            strings.add(scalar);
        } else if (value instanceof Arr array) {
            for (LocatedJson item : array.items()) {
                if (item instanceof Scalar scalar && scalar.text() != null) {
                    strings.add(scalar);
                }
            }
        }
        return strings;
    }
}
