package dev.warden.toml;

import dev.warden.core.WardenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TomlTest {

    private static final Path FILE = Path.of("test.toml");

    private static TomlTable parse(String text) {
        return Toml.parse(text, FILE);
    }

    private static void rejects(String text, String messagePart, int line) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(WardenException.class)
                .hasMessageStartingWith("test.toml:" + line + ": invalid TOML: ")
                .hasMessageContaining(messagePart);
    }

    @Test
    void readsScalarsAndRecordsTheLineOfEachKey() {
        TomlTable root = parse("""
                # comment
                title = "Warden"
                count = 42

                ratio = 0.5
                enabled = true
                """);
        assertThat(root.getString("title")).isEqualTo("Warden");
        assertThat(root.getInteger("count")).isEqualTo(42L);
        assertThat(root.get("ratio")).isEqualTo(0.5);
        assertThat(root.getBoolean("enabled")).isTrue();
        assertThat(root.line("title")).isEqualTo(2);
        assertThat(root.line("ratio")).isEqualTo(5);
    }

    @Test
    void tablesArraysOfTablesAndDottedKeysKeepTheirLines() {
        TomlTable root = parse("""
                [package]
                name = "a"

                [[bin]]
                name = "x"

                [[bin]]
                name = "y"
                [target.'cfg(unix)'.dependencies]
                libc = "0.2"
                serde.version = "1"
                """);
        assertThat(root.getTable("package").line()).isEqualTo(1);
        TomlArray bins = root.getArray("bin");
        assertThat(bins.isArrayOfTables()).isTrue();
        assertThat(bins.tables(root, "bin")).extracting(t -> t.getString("name")).containsExactly("x", "y");
        assertThat(bins.line(1)).isEqualTo(7);
        TomlTable deps = root.getTable("target").getTable("cfg(unix)").getTable("dependencies");
        assertThat(deps.line("libc")).isEqualTo(10);
        assertThat(deps.getTable("serde").getString("version")).isEqualTo("1");
        assertThat(deps.line("serde")).isEqualTo(11);
    }

    @Test
    void stringsOfEveryKind() {
        TomlTable root = parse("""
                basic = "tab\\there \\"quoted\\" \\u00e9 \\U0001F600"
                literal = 'C:\\Users\\no\\escapes'
                multi = \"\"\"
                first
                  second\\
                     joined\"\"\"
                raw = '''
                keep \\n as is'''
                quotes = \"\"\"two ""quotes"" inside\"\"\"\"
                """);
        assertThat(root.getString("basic")).isEqualTo("tab\there \"quoted\" é \uD83D\uDE00");
        assertThat(root.getString("literal")).isEqualTo("C:\\Users\\no\\escapes");
        assertThat(root.getString("multi")).isEqualTo("first\n  secondjoined");
        assertThat(root.getString("raw")).isEqualTo("keep \\n as is");
        assertThat(root.getString("quotes")).isEqualTo("two \"\"quotes\"\" inside\"");
    }

    @Test
    void lineNumbersStayRightAfterMultiLineValues() {
        TomlTable root = parse("a = \"\"\"\n1\n2\n\"\"\"\nb = [\n  1,\n  2,\n]\nc = 3\r\nd = 4\n");
        assertThat(root.line("b")).isEqualTo(5);
        assertThat(root.getArray("b").line(1)).isEqualTo(7);
        assertThat(root.line("c")).isEqualTo(9);
        assertThat(root.line("d")).isEqualTo(10);
    }

    @Test
    void numbersInAllNotations() {
        TomlTable root = parse("""
                a = +99
                b = -17
                c = 1_000
                d = 0xDEAD_beef
                e = 0o755
                f = 0b1101
                g = 6.626e-34
                h = -inf
                i = nan
                j = 1e6
                k = 9_223_372_036_854_775_807
                """);
        assertThat(root.getInteger("a")).isEqualTo(99L);
        assertThat(root.getInteger("b")).isEqualTo(-17L);
        assertThat(root.getInteger("c")).isEqualTo(1000L);
        assertThat(root.getInteger("d")).isEqualTo(0xDEADBEEFL);
        assertThat(root.getInteger("e")).isEqualTo(0755L);
        assertThat(root.getInteger("f")).isEqualTo(13L);
        assertThat(root.get("g")).isEqualTo(6.626e-34);
        assertThat(root.get("h")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) root.get("i")).isNaN();
        assertThat(root.get("j")).isEqualTo(1e6);
        assertThat(root.getInteger("k")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void datesAndTimes() {
        TomlTable root = parse("""
                odt = 1979-05-27T07:32:00Z
                odt2 = 1979-05-27 00:32:00.999-07:00
                ldt = 1979-05-27T07:32:00
                ld = 1979-05-27
                lt = 07:32:00
                """);
        assertThat(((TomlDateTime) root.get("odt")).value()).isInstanceOf(OffsetDateTime.class);
        assertThat(((TomlDateTime) root.get("odt2")).value()).isEqualTo(OffsetDateTime.parse("1979-05-27T00:32:00.999-07:00"));
        assertThat(((TomlDateTime) root.get("ldt")).value()).isEqualTo(LocalDateTime.parse("1979-05-27T07:32:00"));
        assertThat(((TomlDateTime) root.get("ld")).value()).isEqualTo(LocalDate.parse("1979-05-27"));
        assertThat(((TomlDateTime) root.get("lt")).value()).isEqualTo(LocalTime.parse("07:32:00"));
    }

    @Test
    void inlineTablesAcceptTheToml11RelaxationsCargoAccepts() {
        TomlTable root = parse("""
                dep = { version = "1", features = [
                    "a", # a comment
                    "b",
                  ], }
                """);
        TomlTable dep = root.getTable("dep");
        assertThat(dep.getStrings("features")).containsExactly("a", "b");
        assertThat(dep.getArray("features").line(1)).isEqualTo(3);
    }

    @Test
    void typedGettersReportTheKeyLine() {
        TomlTable root = parse("a = 1\n\nname = 5\n");
        assertThatThrownBy(() -> root.getString("name"))
                .hasMessage("test.toml:3: 'name' must be a string, found an integer");
        assertThatThrownBy(() -> parse("list = [\"a\",\n 2]").getStrings("list"))
                .hasMessage("test.toml:2: 'list' must contain only strings, found an integer");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a = 1\\na = 2                  | duplicate key 'a'                    | 2",
        "[a]\\n[a]                      | table 'a' is defined more than once  | 2",
        "[a]\\nb = 1\\n[a.b]            | table 'a.b' is defined more than once | 3",
        "a.b = 1\\n[a]                  | table 'a' is defined more than once  | 2",
        "a = {b = 1}\\n[a.c]            | cannot hold a sub-table              | 2",
        "a = {b = 1}\\na.c = 2          | cannot add key 'a.c'                 | 2",
        "a = [1]\\n[[a]]                | not an array of tables               | 2",
        "[[a]]\\n[a]                    | defined more than once               | 2",
        "[a.b.c]\\nz = 9\\n[a]\\nb.c.t = 1 | cannot add key 'b.c.t'            | 4",
        "s = \"abc                      | unterminated string                  | 1",
        "s = \"a\\qb\"                  | invalid escape sequence              | 1",
        "s = \"\"\"never closed          | unterminated multi-line string       | 1",
        "a = [1, 2                      | unterminated array                   | 1",
        "a = {x = 1                     | unterminated inline table            | 1",
        "a =                            | missing value for key 'a'            | 1",
        "a = 1 b = 2                    | expected a new line after the value  | 1",
        "[a                             | expected ']'                         | 1",
        "a = 01                         | leading zeros                        | 1",
        "a = 1__0                       | underscores must sit between digits  | 1",
        "a = 0x-1                       | invalid integer                      | 1",
        "a = 99999999999999999999       | out-of-range integer                 | 1",
        "a = 1.                         | invalid number                       | 1",
        "a = +0x10                      | cannot have a sign                   | 1",
        "a = tru                        | invalid value                        | 1",
        "a = 1979-13-45                 | invalid date-time                    | 1",
        "= 1                            | expected a key                       | 1",
        "\"\"\"k\"\"\" = 1              | multi-line strings cannot be keys    | 1",
    })
    void rejectsInvalidDocumentsWithTheirLine(String text, String message, int line) {
        rejects(text.replace("\\n", "\n"), message.trim(), line);
    }

    @Test
    void rejectsControlCharactersAndBareCarriageReturns() {
        rejects("a = \"x\u0001y\"", "control character U+0001", 1);
        rejects("# bell \u0007\n", "control character in comment", 1);
        rejects("a = 1\rb = 2", "bare carriage return", 1);
    }

    @Test
    void refusesPathologicalNesting() {
        String deep = "a = " + "[".repeat(200) + "]".repeat(200);
        rejects(deep, "nested more than 128 levels", 1);
    }

    @Test
    void acceptsSubTablesOfDottedTablesButNotRedefinition() {
        TomlTable root = parse("""
                [fruit]
                apple.color = "red"
                apple.taste.sweet = true
                [fruit.apple.texture]
                smooth = true
                """);
        assertThat(root.getTable("fruit").getTable("apple").getTable("texture").getBoolean("smooth")).isTrue();
        rejects("[fruit]\napple.color = 'red'\n[fruit.apple]\n", "defined more than once", 3);
    }

    @Test
    void readsBomAndEmptyDocuments() {
        assertThat(parse("\uFEFFa = 1").getInteger("a")).isEqualTo(1L);
        assertThat(parse("").isEmpty()).isTrue();
        assertThat(parse("\n\n# only comments\n").isEmpty()).isTrue();
    }

    @Test
    void stringListsAndMissingKeys() {
        TomlTable root = parse("members = ['a', \"b\"]");
        assertThat(root.getStrings("members")).isEqualTo(List.of("a", "b"));
        assertThat(root.getStrings("absent")).isEmpty();
        assertThat(root.getString("absent", "fallback")).isEqualTo("fallback");
        assertThat(root.line("absent")).isEqualTo(1);
    }
}
