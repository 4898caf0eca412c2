package dev.warden.evaluate.scan;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ScanRuleSetTest {

    @Test
    void theVersionNamesTheScannerItIsLoadedFrom() {
        assertThat(ScanRuleSet.version()).matches("scan-[0-9a-f]{16}").isEqualTo(ScanRuleSet.version());
    }

    @Test
    void anyChangedByteOrRenamedFileIsANewRuleSet() {
        SortedMap<String, byte[]> rules = new TreeMap<>();
        rules.put("dev/warden/evaluate/scan/CrateScanner.class", bytes("one"));
        rules.put("dev/warden/evaluate/lexer/RustLexer.class", bytes("two"));
        String base = ScanRuleSet.digest(rules);

        SortedMap<String, byte[]> changed = new TreeMap<>(rules);
        changed.put("dev/warden/evaluate/lexer/RustLexer.class", bytes("twO"));
        SortedMap<String, byte[]> renamed = new TreeMap<>();
        renamed.put("dev/warden/evaluate/scan/CrateScanner2.class", bytes("one"));
        renamed.put("dev/warden/evaluate/lexer/RustLexer.class", bytes("two"));
        // the same bytes split differently between two files must not collide
        SortedMap<String, byte[]> shifted = new TreeMap<>();
        shifted.put("dev/warden/evaluate/scan/CrateScanner.class", bytes("on"));
        shifted.put("dev/warden/evaluate/lexer/RustLexer.class", bytes("etwo"));

        assertThat(ScanRuleSet.digest(new TreeMap<>(rules))).isEqualTo(base);
        assertThat(ScanRuleSet.digest(changed)).isNotEqualTo(base);
        assertThat(ScanRuleSet.digest(renamed)).isNotEqualTo(base);
        assertThat(ScanRuleSet.digest(shifted)).isNotEqualTo(base);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
