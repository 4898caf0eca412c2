package dev.warden.cli;

import dev.warden.fortify.policy.Policy;
import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.fortify.policy.PolicyTemplate;
import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class InitCliTest {

    @TempDir
    Path dir;

    @Test
    void writesADocumentedPolicyThatMeansTheDefaults() throws Exception {
        Run init = Run.in(dir, "init", "p");
        assertThat(init.status()).as(init.err()).isZero();
        assertThat(init.out()).startsWith("wrote p/warden.toml");
        Policy written = PolicyLoader.load(dir.resolve("p/warden.toml"));
        Policy defaults = Policy.defaults();
        assertThat(written.audit()).isEqualTo(defaults.audit());
        assertThat(written.indexUrl()).isEqualTo(defaults.indexUrl());
        assertThat(written.diff()).isEqualTo(defaults.diff());
        assertThat(written.recon()).isEqualTo(defaults.recon());
        assertThat(written.limit()).isEqualTo(defaults.limit());
        assertThat(written.buildFailLevel()).isEqualTo(defaults.buildFailLevel());
        assertThat(written.sources()).isEqualTo(defaults.sources());
        assertThat(written.code()).isEqualTo(defaults.code());
        assertThat(written.scanFailLevel()).isEqualTo(defaults.scanFailLevel());
        assertThat(written.gate()).isEqualTo(defaults.gate());
    }

    @Test
    void neverOverwritesAPolicy() throws Exception {
        Path file = Fixtures.write(dir, "warden.toml", "[recon]\ninternal-prefixes = [\"acme-\"]\n");
        Run init = Run.in(dir, "init");
        assertThat(init.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(init.err()).contains("warden.toml: a policy already exists");
        assertThat(Files.readString(file)).isEqualTo("[recon]\ninternal-prefixes = [\"acme-\"]\n");
    }

    @Test
    void everyCommentedExampleIsValidWhenUncommented() throws Exception {
        Pattern example = Pattern.compile("^# ((?:[a-z-]+ = |  +\\{|\\]).*)$");
        String uncommented = PolicyTemplate.text().lines().map(line -> {
            var matcher = example.matcher(line);
            return matcher.matches() && !line.contains("<") ? matcher.group(1) : line;
        }).collect(Collectors.joining("\n", "", "\n"));
        assertThat(uncommented).contains("\nallow-registries = [\"internal\"]", "\nbudget = 50");
        Path file = Fixtures.write(dir, "warden.toml", uncommented);
        Policy policy = PolicyLoader.load(file);
        assertThat(policy.sources().allowRegistries()).containsExactly("internal");
        assertThat(policy.code().buildCode()).extracting(a -> a.name()).containsExactly("serde_derive");
        assertThat(policy.code().unsafeBudget()).isEqualTo(50);
        assertThat(policy.audit().ignores()).hasSize(1);
        assertThat(policy.gate().ignores()).singleElement().satisfies(i -> assertThat(i.crate()).isEqualTo("toml_parser"));
    }
}
