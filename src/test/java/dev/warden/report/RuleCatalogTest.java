package dev.warden.report;

import dev.warden.core.Rule;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RuleCatalogTest {

    @Test
    void everyFindingCodeIsUniqueKebabCaseWithAOneLineDescription() {
        Set<String> codes = new HashSet<>();
        for (Rule rule : RuleCatalog.ALL) {
            assertThat(codes.add(rule.code())).as("duplicate code " + rule.code()).isTrue();
            assertThat(rule.code()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
            assertThat(rule.description()).doesNotContain("\n").endsWith(".");
        }
        assertThat(codes).hasSizeGreaterThanOrEqualTo(10);
    }
}
