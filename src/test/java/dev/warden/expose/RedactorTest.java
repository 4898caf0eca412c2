package dev.warden.expose;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    private static final String REAL = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String DECOY = "Q7bS2kLmN8pR4tVwX1yZ3aC5eG7iK9mO0qS2uW4y";
    private final Redactor redactor = new Redactor(Map.of("$AWS_SECRET_ACCESS_KEY", REAL, "short", "abc"),
            Set.of(DECOY));

    @Test
    void aRealSecretIsMaskedAsItIsAndEncoded() {
        byte[] bytes = REAL.getBytes(StandardCharsets.UTF_8);
        for (String form : List.of(REAL, HexFormat.of().formatHex(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))) {
            String shown = redactor.text("curl -d " + form + " https://x");
            assertThat(shown).as(form).doesNotContain(form).contains("matches ").contains("$AWS_SECRET_ACCESS_KEY");
        }
        assertThat(redactor.text("x " + REAL)).isEqualTo("x …(40 chars, matches $AWS_SECRET_ACCESS_KEY)");
        assertThat(redactor.text("abc is too short to be a secret")).isEqualTo("abc is too short to be a secret");
    }

    @Test
    void secretShapedValuesAreMaskedAndDecoysShown() {
        String token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
        assertThat(redactor.text("token " + token)).isEqualTo("token ghp_…(40 chars, secret-shaped)");
        assertThat(redactor.text("https://user:hunter2pw@example.com/x")).isEqualTo(
                "https://user:…(9 chars, secret-shaped)@example.com/x");
        assertThat(redactor.text("decoy " + DECOY)).isEqualTo("decoy " + DECOY);
        assertThat(redactor.text(null)).isNull();
    }

    @Test
    void dnsNamesKeepTheirDomainAndLoseTheSecret() {
        String hex = HexFormat.of().formatHex(REAL.getBytes(StandardCharsets.UTF_8));
        String name = hex.substring(0, 60) + "." + hex.substring(60) + ".evil.example";
        assertThat(redactor.dnsName(name)).endsWith(".evil.example").doesNotContain(hex.substring(0, 16))
                .contains("hex of $AWS_SECRET_ACCESS_KEY");
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(("ghp_" + "Zz9".repeat(12))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(redactor.dnsName(token + ".drop.example")).endsWith(".drop.example")
                .contains("secret-shaped").doesNotContain(token);
        String decoy = Base64.getUrlEncoder().withoutPadding().encodeToString(DECOY.getBytes(StandardCharsets.UTF_8));
        assertThat(redactor.dnsName(decoy + ".x.example")).isEqualTo(decoy + ".x.example");
        assertThat(redactor.dnsName("crates.io")).isEqualTo("crates.io");
    }
}
