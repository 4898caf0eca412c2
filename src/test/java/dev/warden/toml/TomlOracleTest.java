package dev.warden.toml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.warden.testing.Corpus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test: every TOML file of the corpus (Cargo.toml manifests and Cargo.lock files) must read to the same
 * values with our positional parser as with Jackson's independent TOML reader.
 */
class TomlOracleTest {

    private static final TomlMapper JACKSON = new TomlMapper();

    @TestFactory
    Stream<DynamicTest> agreesWithJacksonOnEveryCorpusFile() {
        List<Path> files = new ArrayList<>(Corpus.files(Corpus.bundled(), ".toml"));
        files.addAll(Corpus.files(Corpus.bundled(), ".lock"));
        Corpus.shared().ifPresent(shared -> {
            files.addAll(Corpus.files(shared.resolve("lockfiles"), ".toml"));
            files.addAll(Corpus.files(shared.resolve("lockfiles"), ".lock"));
        });
        assertThat(files).hasSizeGreaterThan(200);
        return files.stream().map(file -> DynamicTest.dynamicTest(Corpus.bundled().relativize(file).toString(), () -> {
            String text = Files.readString(file);
            Object ours = plain(Toml.parse(text, file));
            Object theirs = plain(JACKSON.readTree(text));
            assertThat(ours).isEqualTo(theirs);
        }));
    }

    static Object plain(Object value) {
        return switch (value) {
            case TomlTable table -> {
                Map<String, Object> map = new LinkedHashMap<>();
                table.asMap().forEach((k, v) -> map.put(k, plain(v)));
                yield map;
            }
            case TomlArray array -> array.values().stream().map(TomlOracleTest::plain).toList();
            case TomlDateTime date -> date.text();
            default -> value;
        };
    }

    static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                map.put(entry.getKey(), plain(entry.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(plain(element)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.textValue();
    }
}
