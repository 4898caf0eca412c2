package dev.warden.cargo.manifest;

import dev.warden.cargo.lock.GitReference;
import dev.warden.core.WardenException;
import dev.warden.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestParserTest {

    private static final Path FILE = Path.of("/ws/crates/app/Cargo.toml");

    private static Manifest parse(String text) {
        return ManifestParser.parse(text, FILE);
    }

    private static Dependency dependency(Manifest manifest, String name, DependencyKind kind) {
        return manifest.dependencies().stream()
                .filter(d -> d.name().equals(name) && d.kind() == kind)
                .findFirst().orElseThrow();
    }

    @Test
    void readsPackageFieldsBuildScriptAndProcMacro() {
        Manifest m = parse("""
                [package]
                name = "url-parse"
                version = "0.1.0"
                edition = "2021"
                build = "src/build.rs"
                links = "z"
                include = ["src/**", "Cargo.toml"]

                [lib]
                proc-macro = true
                """);
        PackageInfo pkg = m.pkg();
        assertThat(pkg.name()).isEqualTo("url-parse");
        assertThat(pkg.version()).isEqualTo("0.1.0");
        assertThat(pkg.build()).isEqualTo("src/build.rs");
        assertThat(pkg.links()).isEqualTo("z");
        assertThat(pkg.procMacro()).isTrue();
        assertThat(pkg.include()).containsExactly("src/**", "Cargo.toml");
        assertThat(pkg.line()).isEqualTo(1);
        assertThat(parse("[package]\nname='a'\nbuild=false\n").pkg().buildDisabled()).isTrue();
        assertThat(parse("[package]\nname='a'\nbuild=true\n").pkg().build()).isEqualTo("build.rs");
        assertThat(parse("[package]\nname='a'\n[lib]\nproc_macro=true\n").pkg().procMacro()).isTrue();
        assertThat(parse("[project]\nname='legacy'\n").pkg().name()).isEqualTo("legacy");
    }

    @Test
    void readsEveryDependencyTableAndForm() {
        Manifest m = parse("""
                [package]
                name = "app"
                version = "0.1.0"

                [dependencies]
                serde = "1.0"
                rand07 = { package = "rand", version = "0.7" }
                internal = { version = "1", registry = "corp" }
                patched = { git = "https://github.com/o/p", rev = "abc123" }
                branchy = { git = "https://github.com/o/b", branch = "dev" }
                local = { path = "../local", optional = true, default-features = false, features = ["x"] }
                old = { version = "2", default_features = false }

                [build-dependencies]
                cc = "1"

                [dev_dependencies]
                proptest = "1"

                [target.'cfg(windows)'.dependencies]
                winapi = "0.3"

                [target.x86_64-unknown-linux-gnu.build-dependencies]
                pkg-config = "0.3"
                """);
        assertThat(m.dependencies()).hasSize(11);
        Dependency renamed = dependency(m, "rand07", DependencyKind.NORMAL);
        assertThat(renamed.packageName()).isEqualTo("rand");
        assertThat(renamed.isRenamed()).isTrue();
        assertThat(dependency(m, "internal", DependencyKind.NORMAL).registry()).isEqualTo("corp");
        Dependency git = dependency(m, "patched", DependencyKind.NORMAL);
        assertThat(git.git()).isEqualTo("https://github.com/o/p");
        assertThat(git.gitReference()).isEqualTo(new GitReference(GitReference.Kind.REV, "abc123"));
        assertThat(dependency(m, "branchy", DependencyKind.NORMAL).gitReference().isPinned()).isFalse();
        Dependency local = dependency(m, "local", DependencyKind.NORMAL);
        assertThat(local.path()).isEqualTo(Path.of("/ws/crates/local"));
        assertThat(local.optional()).isTrue();
        assertThat(local.defaultFeatures()).isFalse();
        assertThat(local.features()).containsExactly("x");
        assertThat(dependency(m, "old", DependencyKind.NORMAL).defaultFeatures()).isFalse();
        assertThat(dependency(m, "cc", DependencyKind.BUILD).line()).isEqualTo(15);
        assertThat(dependency(m, "proptest", DependencyKind.DEV).versionReq()).isEqualTo("1");
        assertThat(dependency(m, "winapi", DependencyKind.NORMAL).target()).isEqualTo("cfg(windows)");
        assertThat(dependency(m, "pkg-config", DependencyKind.BUILD).target()).isEqualTo("x86_64-unknown-linux-gnu");
    }

    @Test
    void readsWorkspacePatchAndReplace() {
        Manifest m = parse("""
                [workspace]
                members = ["crates/*", "tools/cli/"]
                exclude = ["crates/experimental"]
                default-members = ["crates/app"]

                [workspace.package]
                version = "1.8.0"
                edition = "2024"

                [workspace.dependencies]
                tokio = { version = "1", features = ["rt"] }
                shared = { path = "crates/shared" }

                [patch.crates-io]
                url = { git = "https://github.com/servo/rust-url", tag = "v2.5.0" }

                [patch."https://github.com/o/r"]
                thing = { path = "vendor/thing" }

                [replace]
                "log:0.4.8" = { git = "https://github.com/fork/log", branch = "fix" }
                """);
        WorkspaceInfo ws = m.workspace();
        assertThat(m.isVirtual()).isTrue();
        assertThat(ws.members()).containsExactly("crates/*", "tools/cli/");
        assertThat(ws.exclude()).containsExactly("crates/experimental");
        assertThat(ws.defaultMembers()).containsExactly("crates/app");
        assertThat(ws.packageFields()).containsEntry("version", "1.8.0");
        assertThat(ws.dependencies().get("tokio").features()).containsExactly("rt");
        assertThat(ws.dependencies().get("shared").path()).isEqualTo(Path.of("/ws/crates/app/crates/shared"));
        assertThat(m.overrides()).extracting(Override::kind, Override::target, o -> o.replacement().name())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Override.Kind.PATCH, "crates-io", "url"),
                        org.assertj.core.groups.Tuple.tuple(Override.Kind.PATCH, "https://github.com/o/r", "thing"),
                        org.assertj.core.groups.Tuple.tuple(Override.Kind.REPLACE, "log:0.4.8", "log"));
        assertThat(m.overrides().get(2).replacement().gitReference())
                .isEqualTo(new GitReference(GitReference.Kind.BRANCH, "fix"));
    }

    @Test
    void inheritsFromTheWorkspace() {
        Manifest root = ManifestParser.parse("""
                [workspace]
                members = ["crates/app"]
                [workspace.package]
                version = "1.8.0"
                repository = "https://example.com/r"
                [workspace.dependencies]
                tokio = { version = "1.40", features = ["rt"], default-features = false }
                helper = { path = "crates/helper", package = "ws-helper" }
                """, Path.of("/ws/Cargo.toml"));
        Manifest member = parse("""
                [package]
                name = "app"
                version.workspace = true
                repository = { workspace = true }
                [dependencies]
                tokio = { workspace = true, features = ["macros"], optional = true }
                helper.workspace = true
                """);
        assertThat(member.pkg().version()).isNull();
        Manifest resolved = ManifestParser.inherit(member, root.workspace(), root.path());
        assertThat(resolved.pkg().version()).isEqualTo("1.8.0");
        assertThat(resolved.pkg().repository()).isEqualTo("https://example.com/r");
        Dependency tokio = dependency(resolved, "tokio", DependencyKind.NORMAL);
        assertThat(tokio.versionReq()).isEqualTo("1.40");
        assertThat(tokio.features()).containsExactly("rt", "macros");
        assertThat(tokio.optional()).isTrue();
        assertThat(tokio.defaultFeatures()).isFalse();
        assertThat(tokio.fromWorkspace()).isTrue();
        assertThat(tokio.line()).isEqualTo(6);
        Dependency helper = dependency(resolved, "helper", DependencyKind.NORMAL);
        assertThat(helper.packageName()).isEqualTo("ws-helper");
        assertThat(helper.path()).isEqualTo(Path.of("/ws/crates/helper"));

        Manifest missing = parse("[package]\nname='app'\n[dependencies]\n\nnope.workspace = true\n");
        assertThatThrownBy(() -> ManifestParser.inherit(missing, root.workspace(), root.path()))
                .isInstanceOf(WardenException.class)
                .hasMessage("/ws/crates/app/Cargo.toml:5: dependency 'nope' says workspace = true but "
                        + "[workspace.dependencies] in /ws/Cargo.toml does not declare it");
        Manifest missingField = parse("[package]\nname='app'\nedition.workspace = true\n");
        assertThatThrownBy(() -> ManifestParser.inherit(missingField, root.workspace(), root.path()))
                .hasMessage("/ws/crates/app/Cargo.toml:1: 'edition.workspace = true' but /ws/Cargo.toml has no "
                        + "[workspace.package] edition");
    }

    @Test
    void reportsBadManifestsWithTheirLine() {
        assertThatThrownBy(() -> parse("[package]\nname = 'a'\n[dependencies]\nserde = '>= 1.x.2'\n"))
                .hasMessageStartingWith("/ws/crates/app/Cargo.toml:4: invalid version '>= 1.x.2'");
        assertThatThrownBy(() -> parse("[package]\nname = 'a'\n[dependencies]\nserde = 1\n"))
                .hasMessage("/ws/crates/app/Cargo.toml:4: dependency 'serde' must be a version string or a table");
        assertThatThrownBy(() -> parse("[dependencies]\nserde = '1'\n"))
                .hasMessage("/ws/crates/app/Cargo.toml: manifest has neither [package] nor [workspace]");
        assertThatThrownBy(() -> parse("[package]\nversion = '1.0.0'\n"))
                .hasMessage("/ws/crates/app/Cargo.toml:1: [package] is missing 'name'");
        assertThatThrownBy(() -> parse("[package]\nname='a'\n[dependencies]\nx = { git = 'u', branch = 'a', rev = 'b' }\n"))
                .hasMessage("/ws/crates/app/Cargo.toml:4: only one of 'branch', 'tag' or 'rev' may be given");
        assertThatThrownBy(() -> parse("[package]\nname='a'\nbuild = 3\n"))
                .hasMessage("/ws/crates/app/Cargo.toml:3: 'build' must be a path or a boolean");
    }

    @Test
    void everyCorpusManifestParses() {
        List<Path> manifests = new java.util.ArrayList<>(Corpus.files(Corpus.bundled(), "Cargo.toml"));
        assertThat(manifests).hasSizeGreaterThan(250);
        Corpus.shared().ifPresent(shared -> manifests.addAll(Corpus.files(shared.resolve("lockfiles"), "Cargo.toml")));
        for (Path manifest : manifests) {
            Manifest m = ManifestParser.parse(manifest);
            assertThat(m.pkg() != null || m.workspace() != null).as(manifest.toString()).isTrue();
        }
    }
}
