package dev.warden.limit;

import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectSecretsTest {

    private static final String INSTALLATION_TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    @TempDir
    Path dir;

    private Map<Path, String> replaced(ProjectSecrets found) {
        return found.replacements().stream().collect(Collectors.toMap(ProjectSecrets.Replacement::original,
                ProjectSecrets.Replacement::content));
    }

    @Test
    void whatActionsCheckoutLeavesInGitConfigIsScrubbed() {
        String basic = Base64.getEncoder().encodeToString(("x-access-token:" + INSTALLATION_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        Fixtures.write(dir, "p/.git/config", "[core]\n\trepositoryformatversion = 0\n"
                + "[remote \"origin\"]\n\turl = https://ci:pa55w0rd-x@github.com/o/r\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
                + "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic " + basic + "\n"
                + "[credential]\n\thelper = store\n[includeIf \"gitdir:/x/\"]\n\tpath = /tmp/creds.config\n");
        ProjectSecrets found = ProjectSecrets.find(dir.resolve("p"), dir.resolve("p/target"), List.of(), List.of(),
                new Canaries());
        String config = replaced(found).get(dir.resolve("p/.git/config"));
        assertThat(config).contains("repositoryformatversion", "url = https://github.com/o/r", "fetch =")
                .doesNotContain(basic, "extraheader", "helper", "pa55w0rd", "creds.config");
        assertThat(found.values().values()).contains(basic, INSTALLATION_TOKEN, "pa55w0rd-x");
    }

    @Test
    void envFilesBecomeDecoysKeysAndSocketsDisappearAndShownFilesStay() throws Exception {
        Fixtures.write(dir, "p/.env", "# local\nDATABASE_URL=postgres://app:realpw@db/app\nexport API_KEY=\"k-123456789\"\n");
        Fixtures.write(dir, "p/deploy/server.key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n");
        Fixtures.write(dir, "p/tests/fixtures/cert.pem", "-----BEGIN CERTIFICATE-----\n");
        Fixtures.write(dir, "p/target/debug/leftover.pem", "in the target directory: not ours to hide");
        Fixtures.write(dir, "elsewhere/prod.env", "TOKEN=real\n");
        java.nio.file.Files.createSymbolicLink(dir.resolve("p/.env.production"), dir.resolve("elsewhere/prod.env"));
        Path socket = dir.resolve("p/daemon.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Canaries canaries = new Canaries();
            ProjectSecrets found = ProjectSecrets.find(dir.resolve("p"), dir.resolve("p/target"), List.of(),
                    List.of("tests/fixtures/*.pem"), canaries);
            String env = replaced(found).get(dir.resolve("p/.env"));
            assertThat(env).startsWith("DATABASE_URL=").contains("\nAPI_KEY=").doesNotContain("realpw", "k-123456789");
            assertThat(env).contains(canaries.all().get("API_KEY"));
            assertThat(found.hidden()).containsExactlyInAnyOrder(dir.resolve("p/deploy/server.key"), socket,
                    dir.resolve("p/.env.production"));
            assertThat(found.values()).containsEntry(".env: API_KEY", "k-123456789");
            assertThat(found.values().values()).contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
        }
    }

    @Test
    void cargoConfigurationKeepsItsShapeWithoutItsTokens() {
        Fixtures.write(dir, "home/.cargo/config.toml", "[registries.internal]\nindex = \"sparse+https://r.example/\"\n"
                + "token = \"cio-real-registry-token-1234\"\n[http]\nproxy = \"http://u:proxypass@proxy:3128\"\n"
                + "[registries]\nother = { index = \"https://o.example/index\", token = 'inline-real-token' }\n");
        Canaries canaries = new Canaries();
        Path config = dir.resolve("home/.cargo/config.toml");
        ProjectSecrets found = ProjectSecrets.find(dir.resolve("p-missing"), dir.resolve("p-missing/target"),
                List.of(config), List.of(), canaries);
        String scrubbed = replaced(found).get(config);
        assertThat(scrubbed).contains("index = \"sparse+https://r.example/\"", "proxy = \"http://proxy:3128\"",
                "token = \"" + canaries.all().get("token in config.toml") + "\"")
                .doesNotContain("cio-real-registry-token-1234", "proxypass", "inline-real-token");
        assertThat(found.values().values()).contains("cio-real-registry-token-1234", "inline-real-token", "proxypass");
    }
}
