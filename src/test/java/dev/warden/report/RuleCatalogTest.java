package dev.warden.report;

import dev.warden.core.Rule;
import dev.warden.evaluate.audit.AuditRules;
import dev.warden.evaluate.diff.DiffRules;
import dev.warden.evaluate.scan.ScanRules;
import dev.warden.expose.ExposeRules;
import dev.warden.fortify.FortifyRules;
import dev.warden.recon.ReconRules;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
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

    @Test
    void everyDeclaredRuleIsInTheCatalog() throws IllegalAccessException {
        for (Class<?> rules : List.of(AuditRules.class, ScanRules.class, DiffRules.class, ReconRules.class,
                FortifyRules.class, ExposeRules.class)) {
            for (Field field : rules.getDeclaredFields()) {
                if (field.getType() == Rule.class && Modifier.isStatic(field.getModifiers())) {
                    assertThat(RuleCatalog.ALL).as(rules.getSimpleName() + "." + field.getName())
                            .contains((Rule) field.get(null));
                }
            }
        }
    }
}
