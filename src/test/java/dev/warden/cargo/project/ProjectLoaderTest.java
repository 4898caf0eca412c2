package dev.warden.cargo.project;

import dev.warden.cargo.manifest.Manifest;
import dev.warden.core.WardenException;
import dev.warden.testing.Corpus;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectLoaderTest {

    @TempDir
    Path dir;

    private Project load(String path) {
        return new ProjectLoader(TestEnv.in(dir)).load(path);
    }

    private static final String LOCK = """
            version = 4

            [[package]]
            name = "app"
            version = "0.1.0"
            dependencies = ["helper", "serde"]

            [[package]]
            name = "helper"
            version = "0.2.0"

            [[package]]
            name = "serde"
            version = "1.0.200"
            source = "registry+https://github.com/rust-lang/crates.io-index"
            checksum = "aaaa"
            """;

    private void workspace() {
        write(dir, "ws/Cargo.toml", """
                [workspace]
                members = ["crates/*"]
                exclude = ["crates/scratch"]
                [workspace.package]
                version = "0.1.0"
                """);
        write(dir, "ws/Cargo.lock", LOCK);
        write(dir, "ws/crates/app/Cargo.toml", """
                [package]
                name = "app"
                version.workspace = true
                [dependencies]
                helper = { path = "../../libs/helper" }
                serde = "1"
                """);
        write(dir, "ws/libs/helper/Cargo.toml", "[package]\nname = \"helper\"\nversion = \"0.2.0\"\n");
        write(dir, "ws/crates/scratch/Cargo.toml", "[package]\nname = \"scratch\"\nversion = \"9.9.9\"\n");
        write(dir, "ws/crates/README.md", "not a crate");
    }

    @Test
    void findsTheWorkspaceFromAnyEntryPoint() {
        workspace();
        for (String entry : new String[] {"ws", "ws/Cargo.toml", "ws/Cargo.lock", "ws/crates/app",
            "ws/crates/app/Cargo.toml"}) {
            Project project = load(entry);
            assertThat(project.root()).as(entry).isEqualTo(dir.resolve("ws"));
            assertThat(project.members()).as(entry).extracting(m -> m.pkg().name())
                    .containsExactlyInAnyOrder("app", "helper");
            assertThat(project.outOfDate()).as(entry).isEmpty();
            assertThat(project.lockfile().packages()).hasSize(3);
        }
        Manifest app = load("ws").members().stream().filter(m -> m.pkg().name().equals("app")).findFirst().orElseThrow();
        assertThat(app.pkg().version()).isEqualTo("0.1.0");
    }

    @Test
    void excludedPackagesAreTheirOwnRoot() {
        workspace();
        write(dir, "ws/crates/scratch/Cargo.lock", "version = 4\n[[package]]\nname = \"scratch\"\nversion = \"9.9.9\"\n");
        Project scratch = load("ws/crates/scratch");
        assertThat(scratch.root()).isEqualTo(dir.resolve("ws/crates/scratch"));
        assertThat(scratch.members()).extracting(m -> m.pkg().name()).containsExactly("scratch");
    }

    @Test
    void followsAnExplicitWorkspacePointer() {
        workspace();
        write(dir, "ws/crates/app/Cargo.toml", """
                [package]
                name = "app"
                version = "0.1.0"
                workspace = "../.."
                """);
        assertThat(load("ws/crates/app").root()).isEqualTo(dir.resolve("ws"));
    }

    @Test
    void localPackagesOutsideTheWorkspaceAreKnownButNotMembers() {
        workspace();
        write(dir, "ws/Cargo.toml", """
                [workspace]
                members = ["crates/*"]
                exclude = ["crates/scratch"]
                [workspace.package]
                version = "0.1.0"
                [patch.crates-io]
                serde = { path = "../forks/serde" }
                """);
        write(dir, "forks/serde/Cargo.toml", "[package]\nname = \"serde\"\nversion = \"1.0.200\"\n");
        write(dir, "ws/crates/app/Cargo.toml", """
                [package]
                name = "app"
                version.workspace = true
                [dependencies]
                helper = { path = "../../../outside/helper" }
                """);
        write(dir, "outside/helper/Cargo.toml", "[package]\nname = \"helper\"\nversion = \"0.2.0\"\n");
        Project project = load("ws");
        assertThat(project.members()).extracting(m -> m.pkg().name()).containsExactly("app");
        assertThat(project.otherLocal()).extracting(m -> m.pkg().name()).containsExactlyInAnyOrder("helper", "serde");
    }

    @Test
    void aLockfileAloneIsEnough() {
        write(dir, "only/Cargo.lock", LOCK);
        Project project = load("only");
        assertThat(project.hasManifests()).isFalse();
        assertThat(project.lockfile().packages()).hasSize(3);
        Project viaFile = load("only/Cargo.lock");
        assertThat(viaFile.root()).isEqualTo(dir.resolve("only"));
    }

    @Test
    void warnsWhenTheLockfileIsOutOfDate() {
        workspace();
        write(dir, "ws/libs/helper/Cargo.toml", "[package]\nname = \"helper\"\nversion = \"0.3.0\"\n");
        assertThat(load("ws").outOfDate()).containsExactly("workspace member 'helper 0.3.0' is not in Cargo.lock: "
                + "the lockfile is out of date (cargo build --locked would fail)");
    }

    @Test
    void clearErrorsForMissingThings() {
        assertThatThrownBy(() -> load("nope")).isInstanceOf(WardenException.class)
                .hasMessage(dir.resolve("nope") + ": no such file or directory");
        write(dir, "empty/README", "");
        assertThatThrownBy(() -> load("empty")).hasMessage(dir.resolve("empty") + ": no Cargo.toml or Cargo.lock here");
        write(dir, "nolock/Cargo.toml", "[package]\nname = \"a\"\n");
        assertThatThrownBy(() -> load("nolock")).hasMessage(dir.resolve("nolock/Cargo.lock")
                + ": no Cargo.lock (run `cargo generate-lockfile`, and commit it)");
        write(dir, "ghost/Cargo.toml", "[workspace]\nmembers = [\"crates/ghost\"]\n");
        write(dir, "ghost/Cargo.lock", "version = 4\n");
        assertThatThrownBy(() -> load("ghost")).hasMessage(dir.resolve("ghost/Cargo.toml")
                + ":1: workspace member crates/ghost has no Cargo.toml");
    }

    @Test
    void corpusWorkspacesAreInSyncWithTheirLockfiles() {
        for (String name : new String[] {"foundry-rs__foundry", "diem__diem", "tikv__tikv", "ogham__exa"}) {
            Path root = Corpus.bundled("lockfiles/" + name);
            Project project = new ProjectLoader(TestEnv.in(root)).load(root.toString());
            long pathPackages = project.lockfile().packages().stream().filter(p -> p.source() == null).count();
            assertThat(project.members().size() + project.otherLocal().size()).as(name).isEqualTo(pathPackages);
            assertThat(project.outOfDate()).as(name).isEmpty();
        }
        assertThat(Files.exists(Corpus.bundled("lockfiles/foundry-rs__foundry/Cargo.toml"))).isTrue();
    }
}
