package dev.warden.cargo.project;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.core.Environment;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class LocalSourcesTest {

    @TempDir
    Path dir;

    private static final String CRATES = "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

    private Project project() {
        write(dir, "p/Cargo.toml", "[package]\nname = \"p\"\nversion = \"0.1.0\"\n[dependencies]\nfoo = \"1\"\nbar = \"2\"\n");
        write(dir, "p/Cargo.lock", "version = 4\n"
                + "[[package]]\nname = \"p\"\nversion = \"0.1.0\"\ndependencies = [\"bar\", \"foo\"]\n"
                + "[[package]]\nname = \"foo\"\nversion = \"1.2.0\"\n" + CRATES + "dependencies = [\"cc\", \"libc\"]\n"
                + "[[package]]\nname = \"bar\"\nversion = \"2.0.0\"\n" + CRATES
                + "[[package]]\nname = \"cc\"\nversion = \"1.0.0\"\n" + CRATES
                + "[[package]]\nname = \"libc\"\nversion = \"0.2.0\"\n" + CRATES);
        write(dir, "p/.cargo/config.toml", """
                [source.crates-io]
                replace-with = "vendored"
                [source.vendored]
                directory = "vendor"
                """);
        return new ProjectLoader(env()).load(dir.resolve("p").toString());
    }

    private Environment env() {
        return TestEnv.at(dir, dir.resolve("home"), Map.of("CARGO_HOME", dir.resolve("cargo-home").toString()));
    }

    @Test
    void findsVendoredAndCachedSourcesAndUsesTheirManifestsForEdgeKinds() {
        Project project = project();
        write(dir, "p/vendor/foo/Cargo.toml", """
                [package]
                name = "foo"
                version = "1.2.0"
                [dependencies]
                libc = "0.2"
                [build-dependencies]
                cc = "1"
                """);
        write(dir, "cargo-home/registry/src/index.crates.io-1949cf8c6b5b557f/bar-2.0.0/Cargo.toml",
                "[package]\nname = \"bar\"\nversion = \"2.0.0\"\n");
        LocalSources sources = LocalSources.of(project, env());
        assertThat(sources.directory(project.lockfile().named("foo").getFirst())).contains(dir.resolve("p/vendor/foo"));
        assertThat(sources.directory(project.lockfile().named("bar").getFirst()))
                .contains(dir.resolve("cargo-home/registry/src/index.crates.io-1949cf8c6b5b557f/bar-2.0.0"));
        assertThat(sources.directory(project.lockfile().named("cc").getFirst())).isEmpty();

        DependencyGraph graph = GraphBuilder.build(project, sources::manifest);
        DependencyGraph.Node foo = graph.find("foo").getFirst();
        assertThat(graph.dependencies(foo)).extracting(e -> graph.node(e.to()).name() + ":" + e.kinds())
                .containsExactly("cc:[BUILD]", "libc:[NORMAL]");
        assertThat(sources.warnings()).isEmpty();
    }

    @Test
    void aVendoredDirectoryOfAnotherVersionIsNotUsedAndBrokenManifestsOnlyWarn() {
        Project project = project();
        write(dir, "p/vendor/foo/Cargo.toml", "[package]\nname = \"foo\"\nversion = \"1.1.0\"\n");
        write(dir, "p/vendor/bar-2.0.0/Cargo.toml", "[package]\nname = \"bar\"\nversion = ");
        LocalSources sources = LocalSources.of(project, env());
        assertThat(sources.directory(project.lockfile().named("foo").getFirst())).isEmpty();
        assertThat(sources.manifest(project.lockfile().named("bar").getFirst())).isNull();
        assertThat(sources.warnings()).singleElement().asString()
                .startsWith("cannot read the manifest of bar 2.0.0: ").contains("missing value for key 'version'");
    }
}
