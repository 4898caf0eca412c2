package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.Lockfiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * crev proofs in cargo-crev's format (as in github.com/dpc/crev-proofs: "----- BEGIN CREV PROOF -----", a YAML body,
 * an Ed25519 signature of it by the author's id), signed here with keys made for the test: my id trusts alice
 * (medium), alice trusts bob (high, so bob is medium to me), bob trusts carol (low); I distrust eve.
 */
class CrevReviewTest {

    @TempDir
    Path dir;

    private record Id(KeyPair keys, String id) {
    }

    private Id me;
    private Id alice;
    private Id bob;
    private Id carol;
    private Id eve;

    private static Id id() throws GeneralSecurityException {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        EdECPublicKey key = (EdECPublicKey) keys.getPublic();
        byte[] big = key.getPoint().getY().toByteArray();
        byte[] raw = new byte[32];
        for (int i = 0; i < 32 && i < big.length; i++) {
            raw[i] = big[big.length - 1 - i]; // little-endian y
        }
        if (key.getPoint().isXOdd()) {
            raw[31] |= (byte) 0x80;
        }
        return new Id(keys, Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }

    private static String proof(Id from, String body) throws GeneralSecurityException {
        String signed = body.replace("FROM", "from:\n  id-type: crev\n  id: " + from.id() + "\n  url: "
                + "\"https://example.com/" + from.id().substring(0, 4) + "/crev-proofs\"");
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(from.keys().getPrivate());
        signer.update(signed.getBytes(StandardCharsets.UTF_8));
        return "----- BEGIN CREV PROOF -----\n" + signed + "----- SIGN CREV PROOF -----\n"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign()) + "\n"
                + "----- END CREV PROOF -----\n\n";
    }

    private static String trust(Id from, Id to, String level) throws GeneralSecurityException {
        return proof(from, "kind: trust\nversion: -1\ndate: \"2026-03-15T13:00:15.785981436-07:00\"\nFROM\nids:\n"
                + "  - id-type: crev\n    id: " + to.id() + "\n    url: \"https://example.com/x\"\ntrust: " + level
                + "\n");
    }

    private static String review(Id from, String crate, String version, String rating) throws GeneralSecurityException {
        return proof(from, "kind: package review\nversion: -1\ndate: \"2026-04-01T10:00:00.000000000+00:00\"\nFROM\n"
                + "package:\n  source: \"https://crates.io\"\n  name: " + crate + "\n  version: " + version + "\n"
                + "  revision: \"\"\n  digest: kF9h8LZTNrTJipGZ4uJidnsICtBlwTKRBsqvDtraFkU\nreview:\n"
                + "  thoroughness: medium\n  understanding: high\n  rating: " + rating + "\n");
    }

    @BeforeEach
    void proofs() throws GeneralSecurityException {
        me = id();
        alice = id();
        bob = id();
        carol = id();
        eve = id();
        write(dir, "app/proofs/" + me.id() + "/trust/2026-03.proof.crev", trust(me, alice, "medium")
                + trust(me, eve, "distrust"));
        write(dir, "app/proofs/" + alice.id() + "/trust/2026-03.proof.crev", trust(alice, bob, "high")
                + trust(alice, eve, "high"));
        write(dir, "app/proofs/" + bob.id() + "/trust/2026-03.proof.crev", trust(bob, carol, "low"));
        write(dir, "app/proofs/" + bob.id() + "/reviews/2026-04.proof.crev", review(bob, "itoa", "1.0.11",
                "positive"));
        write(dir, "app/proofs/" + carol.id() + "/reviews/2026-04.proof.crev", review(carol, "ryu", "1.0.18",
                "strong"));
        write(dir, "app/proofs/" + eve.id() + "/reviews/2026-04.proof.crev", review(eve, "evil", "0.1.0",
                "strong"));
        // alice's warning, and a review whose body was changed after it was signed.
        write(dir, "app/proofs/" + alice.id() + "/reviews/2026-04.proof.crev", review(alice, "evil", "0.1.0",
                "dangerous") + review(alice, "ryu", "1.0.18", "positive").replace("thoroughness: medium",
                "thoroughness: high"));

        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "app/before.lock", Lockfiles.appDependingOn());
        write(dir, "app/Cargo.lock", Lockfiles.appDependingOn("evil 0.1.0", "itoa 1.0.11", "ryu 1.0.18"));
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\n\n[review]\nrequire = \"safe-to-deploy\"\n"
                + "crev-proofs = \"proofs\"\ncrev-id = \"" + me.id() + "\"\n");
    }

    private static List<String> findings(JsonNode report) {
        List<String> found = new ArrayList<>();
        report.path("findings").forEach(f -> {
            String id = f.path("id").asText();
            if (id.equals("unreviewed") || id.startsWith("crev")) {
                found.add(id + " " + (f.path("crate").isTextual() ? f.path("crate").asText() : "-") + " "
                        + f.path("severity").asText());
            }
        });
        return found;
    }

    @Test
    void positiveReviewsFromTrustedIdsCoverAVersionAndTrustedWarningsAreReported() {
        Run gate = Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline", "--format", "json");
        assertThat(gate.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(findings(gate.json())).containsExactlyInAnyOrder(
                "unreviewed evil high",              // eve's review does not count: I distrust eve
                "unreviewed ryu high",               // carol is trusted low only; alice's review was tampered with
                "crev-negative-review evil high",    // alice: dangerous
                "crev-proof-rejected - low");
        assertThat(gate.out()).contains("its signature does not verify with the key of its author " + alice.id());

        Run listed = Run.in(dir, "review", "app", "--format", "json");
        JsonNode itoa = null;
        for (JsonNode status : listed.json().path("statuses")) {
            if (status.path("crate").asText().equals("itoa")) {
                itoa = status;
            }
        }
        assertThat(itoa).isNotNull();
        assertThat(itoa.path("how").asText()).isEqualTo("audited for safe-to-deploy by crev:"
                + bob.id().substring(0, 8) + " (crev)");
    }

    @Test
    void aLowerTrustThresholdLetsTheLessTrustedReviewerCount() {
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\n\n[review]\nrequire = \"safe-to-deploy\"\n"
                + "crev-proofs = \"proofs\"\ncrev-id = \"" + me.id() + "\"\ncrev-trust = \"low\"\n");
        Run gate = Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline", "--format", "json");
        assertThat(findings(gate.json())).doesNotContain("unreviewed ryu high").contains("unreviewed evil high");
    }

    @Test
    void crevSettingsWithoutTheirPartsAreRefusedWithTheirLine() {
        write(dir, "app/warden.toml", "[review]\ncrev-proofs = \"proofs\"\n");
        Run run = Run.in(dir, "gate", "app", "--offline");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("warden.toml:2: crev-proofs needs crev-id");
    }
}
