package dev.warden.limit;

import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxPlanTest {

    @TempDir
    Path dir;

    private SandboxPlan plan(Map<String, String> env, LimitPolicy policy, List<String> allow) {
        Path home = dir.resolve("home");
        return new SandboxPlan(new SandboxPlan.Inputs(dir.resolve("project"), List.of(dir.resolve("vendor")),
                dir.resolve("project/target"), home, home.resolve(".cargo"), home.resolve(".rustup"), env, policy,
                allow, List.of(), dir.resolve("run")));
    }

    @Test
    void onlyTheAllowlistGetsInAndSecretsAreReplacedByDecoys() {
        SandboxPlan plan = plan(Map.of("PATH", "/usr/bin", "CARGO_TERM_COLOR", "always", "RUSTFLAGS", "-Dwarnings",
                "AWS_SECRET_ACCESS_KEY", "real-secret-1", "CARGO_REGISTRY_TOKEN", "real-secret-2",
                "SSH_AUTH_SOCK", "/tmp/agent", "MY_API_KEY", "real-secret-3", "EDITOR", "vim"), LimitPolicy.defaults(),
                List.of());
        Map<String, String> inside = plan.environment();
        assertThat(inside).containsEntry("PATH", "/usr/bin").containsEntry("CARGO_TERM_COLOR", "always")
                .containsEntry("RUSTFLAGS", "-Dwarnings").containsEntry("CARGO_NET_OFFLINE", "true")
                .containsEntry("HOME", dir.resolve("home").toString())
                .doesNotContainKey("EDITOR");
        // The agent socket's name looks like a credential: a decoy stands in for it, the real socket stays out.
        assertThat(inside.values()).doesNotContain("real-secret-1", "real-secret-2", "real-secret-3", "/tmp/agent");
        assertThat(inside.get("AWS_SECRET_ACCESS_KEY")).matches("[A-Za-z0-9]{40}");
        assertThat(inside.get("GITHUB_TOKEN")).as("planted though the caller had none").startsWith("ghp_");
        assertThat(inside.get("MY_API_KEY")).isNotBlank().isNotEqualTo("real-secret-3");
        assertThat(plan.removedVariables()).containsExactlyInAnyOrder("AWS_SECRET_ACCESS_KEY",
                "CARGO_REGISTRY_TOKEN", "SSH_AUTH_SOCK", "MY_API_KEY", "EDITOR");
        assertThat(plan.canaries()).containsEntry("AWS_SECRET_ACCESS_KEY", inside.get("AWS_SECRET_ACCESS_KEY"))
                .containsKeys("~/.aws/credentials", "~/.ssh/id_ed25519");
    }

    @Test
    void aCredentialValueStaysOutWhateverItsNameAndRegistryTokensAlways() {
        SandboxPlan plan = plan(Map.of("CARGO_HTTP_PROXY", "http://builder:pr0xy-pw@proxy:3128",
                "CARGO_HTTP_TIMEOUT", "30", "RUSTFLAGS", "--cfg token=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
                "CARGO_REGISTRIES_INTERNAL_TOKEN", "cio-internal", "CARGO_TERM_COLOR", "never"),
                LimitPolicy.defaults(), List.of("CARGO_REGISTRIES_INTERNAL_TOKEN"));
        assertThat(plan.environment()).containsEntry("CARGO_HTTP_TIMEOUT", "30")
                .containsEntry("CARGO_TERM_COLOR", "never")
                .doesNotContainKeys("CARGO_HTTP_PROXY", "RUSTFLAGS")
                .doesNotContainEntry("CARGO_REGISTRIES_INTERNAL_TOKEN", "cio-internal");
        assertThat(plan.realSecrets()).containsValues("http://builder:pr0xy-pw@proxy:3128", "cio-internal");
    }

    @Test
    void theHomesCredentialValuesAreKnownForMaskingButNotTheirKeys() {
        Fixtures.write(dir, "home/.aws/credentials", "[default]\naws_access_key_id = AKIAREALKEY000000000\n"
                + "aws_secret_access_key = realSecretValue/123456789\n");
        Fixtures.write(dir, "home/.netrc", "machine github.com login dev password netrcRealPassword\n");
        Fixtures.write(dir, "home/.docker/config.json", "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":"
                + "\"ZGV2OnJlYWxEb2NrZXJQYXNz\"}}}\n");
        SandboxPlan plan = plan(Map.of(), LimitPolicy.defaults(), List.of());
        assertThat(plan.realSecrets().values()).contains("AKIAREALKEY000000000", "realSecretValue/123456789",
                "netrcRealPassword", "ZGV2OnJlYWxEb2NrZXJQYXNz")
                .doesNotContain("aws_access_key_id", "aws_secret_access_key", "github.com");
    }

    @Test
    void allowEnvLetsAVariableThroughAsIs() {
        SandboxPlan plan = plan(Map.of("NPM_TOKEN", "needed", "BUILD_FLAVOUR", "x"), new LimitPolicy(List.of(),
                List.of("BUILD_FLAVOUR"), List.of()), List.of("NPM_TOKEN"));
        assertThat(plan.environment()).containsEntry("NPM_TOKEN", "needed").containsEntry("BUILD_FLAVOUR", "x");
    }

    @Test
    void bubblewrapHidesHomeAndTmpButKeepsTheProjectAndNeverCarriesTheEnvironment() throws Exception {
        Fixtures.write(dir, "home/.cargo/credentials.toml", "[registry]\ntoken = \"real\"\n");
        Fixtures.write(dir, "secrets/deploy.key", "real");
        SandboxPlan plan = plan(Map.of("AWS_SECRET_ACCESS_KEY", "real-secret"),
                new LimitPolicy(List.of(dir.resolve("secrets").toString(), "~/.gnupg"), List.of(), List.of()), List.of());
        plan.prepare();
        List<String> args = plan.bubblewrap(List.of("cargo", "build"), dir.resolve("project"));
        String line = String.join(" ", args);
        assertThat(line).startsWith("bwrap --unshare-all --unshare-user --uid 65534 --gid 65534 --disable-userns "
                        + "--cap-drop ALL --die-with-parent --new-session --ro-bind / /")
                .contains("--tmpfs /tmp", "--tmpfs " + dir.resolve("home"), "--seccomp 9", "--tmpfs /run",
                        "--bind " + dir.resolve("project/target") + " " + dir.resolve("project/target"),
                        dir.resolve("run/resolv.conf") + " /etc/resolv.conf",
                        " " + dir.resolve("home/.aws/credentials"),
                        " " + dir.resolve("home/.cargo/credentials.toml"),
                        "--tmpfs " + dir.resolve("secrets"))
                .endsWith("--chdir " + dir.resolve("project") + " -- cargo build")
                .doesNotContain("real-secret", "--setenv");
        assertThat(plan.sensitivePaths()).contains(dir.resolve("home/.aws").toString(),
                dir.resolve("secrets").toString(), dir.resolve("home/.cargo/credentials.toml").toString());
        assertThat(Files.readString(dir.resolve("run/resolv.conf"))).isEqualTo("nameserver 127.0.0.1\n"
                + "options timeout:1 attempts:1\n").doesNotContainIgnoringCase("warden").doesNotContain("sandbox");
        assertThat(Files.size(plan.seccompProgram())).isPositive();
        assertThat(plan.writablePaths()).contains(dir.resolve("project/target").toString(), "/tmp");
    }
}
