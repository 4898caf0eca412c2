package dev.warden.cargo.config;

import dev.warden.core.WardenException;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CargoConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void mergesFromTheProjectUpwardThenCargoHomeWithDeeperFilesWinning() {
        Path home = dir.resolve("home");
        write(home, ".cargo/config.toml", """
                [net]
                offline = true
                [build]
                rustflags = ["-Chome"]
                [registries.corp]
                index = "sparse+https://home.example/index/"
                token = "secret-on-disk"
                """);
        write(dir, "repo/.cargo/config.toml", """
                [build]
                rustflags = "-Crepo -Cmore"
                target-dir = "out"
                [registry]
                default = "corp"
                """);
        write(dir, "repo/crate/.cargo/config.toml", """
                [build]
                rustflags = ["-Ccrate"]
                [registries.corp]
                index = "sparse+https://crate.example/index/"
                """);
        CargoConfig config = CargoConfigLoader.load(dir.resolve("repo/crate"), TestEnv.at(dir, home, Map.of()));
        assertThat(config.files()).containsExactly(dir.resolve("repo/crate/.cargo/config.toml"),
                dir.resolve("repo/.cargo/config.toml"), home.resolve(".cargo/config.toml"));
        assertThat(config.offline()).isTrue();
        assertThat(config.rustflags()).containsExactly("-Chome", "-Crepo", "-Cmore", "-Ccrate");
        assertThat(config.targetDir()).isEqualTo(dir.resolve("repo/out"));
        assertThat(config.defaultRegistry()).isEqualTo("corp");
        RegistryDefinition corp = config.registries().get("corp");
        assertThat(corp.index()).isEqualTo("sparse+https://crate.example/index/");
        assertThat(corp.tokenInConfig()).isTrue();
    }

    @Test
    void legacyConfigWithoutExtensionWinsLikeInCargo() {
        write(dir, ".cargo/config", "[net]\noffline = true\n");
        write(dir, ".cargo/config.toml", "[net]\noffline = false\n");
        CargoConfig config = CargoConfigLoader.load(dir, TestEnv.in(dir));
        assertThat(config.files()).containsExactly(dir.resolve(".cargo/config"));
        assertThat(config.offline()).isTrue();
    }

    @Test
    void sourceReplacementChainsToVendoredDirectories() {
        write(dir, ".cargo/config.toml", """
                [source.crates-io]
                replace-with = "mirror"

                [source.mirror]
                replace-with = "vendored"

                [source.vendored]
                directory = "vendor"
                """);
        CargoConfig config = CargoConfigLoader.load(dir, TestEnv.in(dir));
        assertThat(config.replacementChain("crates-io")).extracting(SourceDefinition::name)
                .containsExactly("crates-io", "mirror", "vendored");
        SourceDefinition vendored = config.cratesIoReplacement().orElseThrow();
        assertThat(vendored.directory()).isEqualTo(dir.resolve("vendor"));
        assertThat(vendored.line()).isEqualTo(7);
    }

    @Test
    void replacementCyclesAndDanglingNamesAreErrors() {
        write(dir, ".cargo/config.toml", """
                [source.crates-io]
                replace-with = "a"
                [source.a]
                replace-with = "crates-io"
                """);
        assertThatThrownBy(() -> CargoConfigLoader.load(dir, TestEnv.in(dir)).replacementChain("crates-io"))
                .isInstanceOf(WardenException.class)
                .hasMessageEndingWith("config.toml:1: source replacement cycle through 'crates-io'");
        write(dir, ".cargo/config.toml", "[source.crates-io]\nreplace-with = \"nowhere\"\n");
        assertThatThrownBy(() -> CargoConfigLoader.load(dir, TestEnv.in(dir)).cratesIoReplacement())
                .hasMessageEndingWith("config.toml:1: source 'crates-io' is replaced with 'nowhere', which is not defined");
    }

    @Test
    void environmentOverridesFiles() {
        write(dir, ".cargo/config.toml", "[net]\noffline = true\n[build]\ntarget-dir = 'a'\n");
        CargoConfig config = CargoConfigLoader.load(dir, TestEnv.at(dir, dir.resolve("home"), Map.of(
                "CARGO_NET_OFFLINE", "false", "CARGO_TARGET_DIR", "/tmp/t",
                "CARGO_REGISTRIES_MY_CORP_INDEX", "https://corp.example/git-index")));
        assertThat(config.offline()).isFalse();
        assertThat(config.targetDir()).isEqualTo(Path.of("/tmp/t"));
        assertThat(config.registries().get("my-corp").index()).isEqualTo("https://corp.example/git-index");
    }

    @Test
    void cargoHomeComesFromTheEnvironment() {
        Path cargoHome = dir.resolve("custom-cargo");
        write(cargoHome, "config.toml", "[net]\noffline = true\n");
        CargoConfig config = CargoConfigLoader.load(dir.resolve("p"),
                TestEnv.at(dir, dir.resolve("home"), Map.of("CARGO_HOME", cargoHome.toString())));
        assertThat(config.files()).containsExactly(cargoHome.resolve("config.toml"));
        assertThat(config.offline()).isTrue();
    }

    @Test
    void malformedConfigNamesFileAndLine() {
        write(dir, ".cargo/config.toml", "[net]\noffline = yes\n");
        assertThatThrownBy(() -> CargoConfigLoader.load(dir, TestEnv.in(dir)))
                .hasMessage(dir.resolve(".cargo/config.toml") + ":2: invalid TOML: invalid value 'yes' (strings must be quoted)");
        write(dir, ".cargo/config.toml", "[net]\noffline = 'yes'\n");
        assertThatThrownBy(() -> CargoConfigLoader.load(dir, TestEnv.in(dir)))
                .hasMessage(dir.resolve(".cargo/config.toml") + ":2: 'offline' must be a boolean, found a string");
    }
}
