package dev.warden.evaluate.scan;

import dev.warden.evaluate.lexer.RustLexer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each snippet, and what the folder must make of it ({@code value (how)}). */
class ConstantFolderTest {

    private static List<String> fold(String source) {
        return ConstantFolder.fold(RustLexer.lex(source.getBytes(StandardCharsets.UTF_8))).stream()
                .map(f -> f.value() + " (" + f.how() + ")").toList();
    }

    @Test
    void stringsBuiltInPieces() {
        assertThat(fold("let h = ['e', 'v', 'i', 'l', '.', 'x', 'y', 'z'];"))
                .containsExactly("evil.xyz (built from a char array)");
        assertThat(fold("let h = \"moc.elpmaxe\".chars().rev().collect::<String>();"))
                .containsExactly("example.com (reversed)");
        assertThat(fold("let p = home.join(\".ssh\").join(\"authorized_keys\");"))
                .containsExactly(".ssh/authorized_keys (joined as a path)");
        assertThat(fold("const HOST: &str = \"drop\"; fn f() { let u = format!(\"{}.{}\", HOST, \"example.com\"); }"))
                .containsExactly("drop.example.com (joined from 3 pieces)");
        assertThat(fold("let k = &[0x47, 0x48, 0x5f, 0x54u8];")).containsExactly("GH_T (decoded from a byte array)");
    }

    @Test
    void dataIsNotText() {
        assertThat(fold("static TABLE: [u8; 6] = [0, 1, 2, 3, 200, 255];")).isEmpty();
        assertThat(fold("let v = [1, 2, 3];")).isEmpty();
        assertThat(fold("let big = [0xB8BC6765, 1, 2, 3];")).isEmpty();
        assertThat(fold("let buffer = [0u8; 4096];")).isEmpty();
    }
}
