package dev.warden.expose;

import dev.warden.core.Finding;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DetectorTest {

    private static final String DECOY = "Q7bS2kLmN8pR4tVwX1yZ3aC5eG7iK9mO0qS2uW4y";
    private static final Actor SCRIPT = new Actor(Actor.Role.BUILD_SCRIPT, "url-parse", "build-script-build", List.of());

    private static BuildEvent dns(String name) {
        return new BuildEvent(1, BuildEvent.Kind.DNS, 42, SCRIPT, name, "A", null);
    }

    private static Optional<Finding> judge(Detector detector, BuildEvent event) {
        return detector.judge(event);
    }

    @Test
    void aDecoyIsRecognisedWhateverTheEncoding() {
        Detector detector = new Detector(Map.of("AWS_SECRET_ACCESS_KEY", DECOY), Redactor.shapesOnly(), Set.of());
        byte[] loot = (DECOY + ";").getBytes(StandardCharsets.UTF_8);
        String base64 = Base64.getUrlEncoder().withoutPadding().encodeToString(loot);
        String hex = HexFormat.of().formatHex(loot);
        String base32 = base32(loot).toLowerCase(Locale.ROOT);
        for (String label : List.of(base64.substring(0, 30) + "." + base64.substring(30), hex.substring(0, 60) + "."
                + hex.substring(60), base32.substring(0, 40) + "." + base32.substring(40))) {
            Finding finding = new Detector(Map.of("AWS_SECRET_ACCESS_KEY", DECOY), Redactor.shapesOnly(), Set.of())
                    .judge(dns(label + ".evil.example")).orElseThrow();
            assertThat(finding.id()).as(label).isEqualTo("dns-exfiltration");
            assertThat(finding.attributes()).containsEntry("secrets", "AWS_SECRET_ACCESS_KEY");
        }
        // A truncated piece still counts: payloads cut what does not fit.
        String piece = Base64.getUrlEncoder().withoutPadding().encodeToString(DECOY.substring(3, 20)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(judge(detector, dns(piece + ".evil.example"))).get().extracting(Finding::id)
                .isEqualTo("dns-exfiltration");
    }

    @Test
    void encodedLookingNamesAndManySubdomainsAreFlaggedEvenWithoutADecoy() {
        Detector detector = new Detector(Map.of(), Redactor.shapesOnly(), Set.of());
        assertThat(judge(detector, dns("k3j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8o9p0z1x2c3v4b5n6m7l8k9j0h.x.example")))
                .get().extracting(Finding::id).isEqualTo("dns-encoded-query");
        assertThat(judge(detector, dns("crates.io"))).get().extracting(Finding::id).isEqualTo("egress-attempt");
        String last = null;
        for (int i = 0; i < Detector.MANY_SUBDOMAINS; i++) {
            last = judge(detector, dns("chunk" + i + ".drop.example")).map(Finding::id).orElse(null);
        }
        assertThat(last).isEqualTo("dns-many-subdomains");
    }

    @Test
    void repeatsOfOneAlertAreRaisedOnce() {
        Detector detector = new Detector(Map.of(), Redactor.shapesOnly(), Set.of());
        assertThat(judge(detector, dns("crates.io"))).isPresent();
        assertThat(judge(detector, dns("crates.io"))).isEmpty();
        assertThat(judge(detector, dns("static.crates.io"))).isPresent();
    }

    @Test
    void trustedToolsAndLoopbackAreQuiet() {
        Detector detector = new Detector(Map.of(), Redactor.shapesOnly(), Set.of("/usr/bin/cc"));
        Actor cargo = new Actor(Actor.Role.CARGO, null, "cargo", List.of());
        assertThat(judge(detector, new BuildEvent(1, BuildEvent.Kind.EXEC, 1, cargo, "/usr/bin/curl", "curl x", null)))
                .isEmpty();
        assertThat(judge(detector, new BuildEvent(1, BuildEvent.Kind.CONNECT, 1, SCRIPT, "127.0.0.1:53", "inet",
                null))).isEmpty();
        assertThat(judge(detector, new BuildEvent(1, BuildEvent.Kind.EXEC, 1, SCRIPT, "/usr/bin/cc", "cc -c x.c",
                null))).isEmpty();
        assertThat(judge(detector, new BuildEvent(1, BuildEvent.Kind.EXEC, 1, SCRIPT, "/usr/bin/nc", "nc h 1",
                null))).get().extracting(Finding::id).isEqualTo("network-tool-run");
        assertThat(judge(detector, new BuildEvent(1, BuildEvent.Kind.EXEC, 1, SCRIPT, "/usr/bin/perl", "perl x",
                null))).get().extracting(Finding::id).isEqualTo("first-seen-executable");
    }

    @Test
    void aProcMacroIsBlamedWhenItIsTheOnlyOneLoaded() {
        Actor macro = new Actor(Actor.Role.PROC_MACRO, "app", "rustc", List.of("url-parse"));
        Finding finding = new Detector(Map.of(), Redactor.shapesOnly(), Set.of()).judge(new BuildEvent(1, BuildEvent.Kind.DNS, 7, macro,
                "x.evil.example", "A", null)).orElseThrow();
        assertThat(finding.crate()).isEqualTo("url-parse");
        assertThat(finding.message()).startsWith("proc macro url-parse (compiling app) tried to resolve");
        Actor two = new Actor(Actor.Role.PROC_MACRO, "app", "rustc", List.of("a", "b"));
        assertThat(new Detector(Map.of(), Redactor.shapesOnly(), Set.of()).judge(new BuildEvent(1, BuildEvent.Kind.DNS, 7, two,
                "x.evil.example", "A", null)).orElseThrow().crate()).isEqualTo("app");
    }

    private static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = buffer << 8 | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt(buffer >> (bits - 5) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt(buffer << (5 - bits) & 31));
        }
        return out.toString();
    }

    private static BuildEvent event(BuildEvent.Kind kind, Actor actor, String target, String detail, String error) {
        return new BuildEvent(1, kind, 42, actor, target, detail, error);
    }

    @Test
    void escapeAndPersistenceAttemptsAreHighAndCriticalAfterASecretRead() {
        Detector detector = new Detector(Map.of(), Redactor.shapesOnly(), Set.of());
        assertThat(detector.judge(event(BuildEvent.Kind.PERSISTENCE, SCRIPT, "/root/.cargo/bin/cargo",
                "tried to write", "EROFS"))).get().satisfies(f -> {
                    assertThat(f.id()).isEqualTo("persistence-attempt");
                    assertThat(f.severity()).isEqualTo(dev.warden.core.Severity.HIGH);
                    assertThat(f.crate()).isEqualTo("url-parse");
                });
        assertThat(detector.judge(event(BuildEvent.Kind.PRIVILEGED, SCRIPT, "mount", "denied", "SIGSYS")))
                .get().extracting(Finding::id).isEqualTo("privileged-syscall");
        assertThat(detector.judge(event(BuildEvent.Kind.CONNECT, SCRIPT, "unix:/var/run/docker.sock", "unix", null)))
                .get().extracting(Finding::id, Finding::severity)
                .containsExactly("unix-socket-connect", dev.warden.core.Severity.HIGH);
        // The same crate now opens a credential: that is the second half of an attack, critical.
        assertThat(detector.judge(event(BuildEvent.Kind.FILE, SCRIPT, "/root/.aws/credentials", "open", null)))
                .get().satisfies(f -> {
                    assertThat(f.id()).isEqualTo("secret-file-access");
                    assertThat(f.severity()).isEqualTo(dev.warden.core.Severity.CRITICAL);
                    assertThat(f.message()).contains("after it");
                });
        Actor other = new Actor(Actor.Role.BUILD_SCRIPT, "serde", "build-script-build", List.of());
        assertThat(detector.judge(event(BuildEvent.Kind.OUTLIVED, other, "sleep", "", null))).get()
                .extracting(Finding::severity).as("another crate's attempt stays high")
                .isEqualTo(dev.warden.core.Severity.HIGH);
    }

    @Test
    void aRealSecretLeavingIsCriticalAndNeverShown() {
        String real = "ghp_R3alT0kenValue0123456789abcdefABCDEF";
        Redactor redactor = new Redactor(Map.of("$GITHUB_TOKEN", real), Set.of(DECOY));
        Detector detector = new Detector(Map.of("AWS_SECRET_ACCESS_KEY", DECOY), redactor, Set.of());
        String hex = HexFormat.of().formatHex(real.getBytes(StandardCharsets.UTF_8));
        Finding finding = detector.judge(dns(hex.substring(0, 60) + "." + hex.substring(60) + ".evil.example"))
                .orElseThrow();
        assertThat(finding.id()).isEqualTo("dns-exfiltration");
        assertThat(finding.message()).contains("the real value of $GITHUB_TOKEN", "evil.example")
                .doesNotContain(hex.substring(0, 20), real);
        assertThat(finding.attributes().toString()).doesNotContain(hex.substring(0, 20));
        assertThat(finding.evidence().toString()).doesNotContain(hex.substring(0, 20));
        Actor curl = new Actor(Actor.Role.BUILD_SCRIPT, "url-parse", "curl", List.of());
        Finding ran = detector.judge(event(BuildEvent.Kind.EXEC, curl, "/usr/bin/curl",
                "-H Authorization: token " + real + " https://x", null)).orElseThrow();
        assertThat(ran.message()).doesNotContain(real).contains("ghp_…(40 chars, matches $GITHUB_TOKEN)");
    }
}
