package dev.warden.evaluate.lexer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RustLexerTest {

    private static Tokens lex(String source) {
        return RustLexer.lex(source.getBytes(StandardCharsets.UTF_8));
    }

    /** "KIND:text" for every token. */
    private static List<String> describe(String source) {
        Tokens tokens = lex(source);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String kind = switch (tokens.kind(i)) {
                case Tokens.IDENT -> "id";
                case Tokens.LIFETIME -> "lt";
                case Tokens.STRING -> "str";
                case Tokens.CHAR -> "chr";
                case Tokens.NUMBER -> "num";
                default -> "p";
            };
            out.add(kind + ":" + tokens.text(i));
        }
        return out;
    }

    @Test
    void nestedBlockCommentsHideEverythingInside() {
        assertThat(describe("a /* x /* unsafe { } */ still comment */ b")).containsExactly("id:a", "id:b");
        assertThat(describe("/** doc */ fn /*!*/ f() // unsafe fn\n{}"))
                .containsExactly("id:fn", "id:f", "p:(", "p:)", "p:{", "p:}");
    }

    @Test
    void rawStringsEndOnlyAtTheirOwnHashes() {
        assertThat(describe("r#\"a \"# unsafe { \"## x\"# y")).containsExactly("str:r#\"a \"#", "id:unsafe", "p:{",
                "str:\"## x\"", "p:#", "id:y");
        assertThat(describe("r##\"contains \"# and \"\"##;")).containsExactly("str:r##\"contains \"# and \"\"##", "p:;");
        assertThat(describe("br\"x\" b\"y\\\"\" c\"z\" cr#\"w\"#"))
                .containsExactly("str:br\"x\"", "str:b\"y\\\"\"", "str:c\"z\"", "str:cr#\"w\"#");
    }

    @Test
    void charactersBytesLifetimesAndLabels() {
        assertThat(describe("'a' '\\n' '\\'' '\\u{1F600}' '€' b'x' b'\\\\'"))
                .containsExactly("chr:'a'", "chr:'\\n'", "chr:'\\''", "chr:'\\u{1F600}'", "chr:'€'", "chr:b'x'",
                        "chr:b'\\\\'");
        assertThat(describe("fn f<'a, 'static>(x: &'a str) { 'outer: loop { break 'outer; } }"))
                .contains("lt:'a", "lt:'static", "lt:'outer").doesNotContain("chr:'a,");
        assertThat(describe("impl<'a> X<'a> for Y")).containsExactly("id:impl", "p:<", "lt:'a", "p:>", "id:X",
                "p:<", "lt:'a", "p:>", "id:for", "id:Y");
    }

    @Test
    void rawIdentifiersAreNeverKeywords() {
        Tokens tokens = lex("r#unsafe fn r#type");
        assertThat(tokens.isIdent(0, "unsafe")).isFalse();
        assertThat(tokens.text(0)).isEqualTo("r#unsafe");
        assertThat(tokens.isIdent(1, "fn")).isTrue();
    }

    @Test
    void numbersRangesAndMethodCalls() {
        assertThat(describe("1..2 1.0 1.5e-3 0x1F_u8 1.max(2) 1. t.0"))
                .containsExactly("num:1", "p:.", "p:.", "num:2", "num:1.0", "num:1.5e-3", "num:0x1F_u8", "num:1",
                        "p:.", "id:max", "p:(", "num:2", "p:)", "num:1.", "id:t", "p:.", "num:0");
    }

    @Test
    void stringValuesAreDecoded() {
        Tokens tokens = lex("\"AWS_\\x53ECRET\\u{5f}KEY\" r#\"raw\\n\"# b\"\\tx\" \"a\\\n   b\"");
        assertThat(tokens.stringValue(0)).isEqualTo("AWS_SECRET_KEY");
        assertThat(tokens.stringValue(1)).isEqualTo("raw\\n");
        assertThat(tokens.stringValue(2)).isEqualTo("\tx");
        assertThat(tokens.stringValue(3)).isEqualTo("ab");
    }

    @Test
    void badEscapesInACratesSourceDecodeToAReplacementNotAnError() {
        // Issue 20: "\xZZ" threw NumberFormatException out of the scanner; rustc refuses it, the scanner reads on.
        Tokens tokens = lex("\"a\\xZZb\" \"\\x4\" \"\\u{FFFFFFFFFF}\" \"\\u{zz}\"");
        assertThat(tokens.stringValue(0)).isEqualTo("a\uFFFDZZb");
        assertThat(tokens.stringValue(1)).isEqualTo("\uFFFD4");
        assertThat(tokens.stringValue(2)).isEqualTo("\uFFFD");
        assertThat(tokens.stringValue(3)).isEqualTo("\uFFFD");
    }

    @Test
    void linesAreCountedThroughMultiLineTokens() {
        Tokens tokens = lex("a\n\"x\ny\"\n/* \n\n */ b\nr#\"\n\"# c");
        assertThat(tokens.line(0)).isEqualTo(1);
        assertThat(tokens.line(1)).isEqualTo(2);
        assertThat(tokens.line(2)).isEqualTo(6);
        assertThat(tokens.line(3)).isEqualTo(7);
        assertThat(tokens.line(4)).isEqualTo(8);
        assertThat(tokens.lineCount()).isEqualTo(8);
    }

    @Test
    void shebangsAndInnerAttributes() {
        assertThat(describe("#!/usr/bin/env run-cargo-script\nfn main(){}")).startsWith("id:fn");
        assertThat(describe("#![allow(unused)]")).startsWith("p:#", "p:!", "p:[");
    }

    @Test
    void truncatedInputIsMarkedNotFatal() {
        assertThat(lex("let s = \"never closed").unterminated()).isTrue();
        assertThat(lex("/* /* */").unterminated()).isTrue();
        assertThat(lex("r##\"x\"#").unterminated()).isTrue();
        assertThat(lex("fn main() {}").unterminated()).isFalse();
    }

    @Property(tries = 2000)
    void neverFailsAndTokensStayInOrderWithinTheSource(@ForAll @StringLength(max = 200) String text) {
        Tokens tokens = lex(text);
        int previous = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.isString(i)) {
                tokens.stringValue(i); // decoding any string the lexer found never throws
            }
            assertThat(tokens.start(i)).isGreaterThanOrEqualTo(previous);
            assertThat(tokens.end(i)).isGreaterThan(tokens.start(i)).isLessThanOrEqualTo(tokens.source().length);
            previous = tokens.end(i);
        }
    }
}
