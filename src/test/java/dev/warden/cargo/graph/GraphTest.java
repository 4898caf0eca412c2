package dev.warden.cargo.graph;

import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.testing.Corpus;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class GraphTest {

    @TempDir
    Path dir;

    private DependencyGraph graph;

    private static final String CRATES = "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

    @BeforeEach
    void workspace() {
        write(dir, "Cargo.toml", "[workspace]\nmembers = [\"app\", \"tool\"]\n");
        write(dir, "app/Cargo.toml", """
                [package]
                name = "app"
                version = "0.1.0"
                [dependencies]
                serde = "1"
                tool = { path = "../tool" }
                [build-dependencies]
                cc = "1"
                [dev-dependencies]
                proptest = "1"
                [target.'cfg(windows)'.dependencies]
                winapi = "0.3"
                """);
        write(dir, "tool/Cargo.toml", """
                [package]
                name = "tool"
                version = "0.1.0"
                [dependencies]
                serde = "1"
                [dev-dependencies]
                app = { path = "../app" }
                """);
        write(dir, "Cargo.lock", """
                version = 4
                [[package]]
                name = "app"
                version = "0.1.0"
                dependencies = ["cc", "proptest", "serde", "tool", "winapi"]
                [[package]]
                name = "cc"
                version = "1.0.0"
                """ + CRATES + """
                [[package]]
                name = "proptest"
                version = "1.0.0"
                """ + CRATES + """
                dependencies = ["serde"]
                [[package]]
                name = "serde"
                version = "1.0.0"
                """ + CRATES + """
                dependencies = ["serde_derive"]
                [[package]]
                name = "serde_derive"
                version = "1.0.0"
                """ + CRATES + """
                [[package]]
                name = "tool"
                version = "0.1.0"
                dependencies = ["app", "serde"]
                [[package]]
                name = "winapi"
                version = "0.3.9"
                """ + CRATES);
        Project project = new ProjectLoader(TestEnv.in(dir)).load(dir.toString());
        graph = GraphBuilder.build(project);
    }

    private DependencyGraph.Node node(String name) {
        return graph.find(name).getFirst();
    }

    private DependencyGraph.Edge edge(String from, String to) {
        return graph.dependencies(node(from)).stream()
                .filter(e -> graph.node(e.to()).name().equals(to)).findFirst().orElseThrow();
    }

    @Test
    void edgeKindsAndTargetsComeFromTheManifests() {
        assertThat(edge("app", "serde").kinds()).containsExactly(DependencyKind.NORMAL);
        assertThat(edge("app", "cc").kinds()).containsExactly(DependencyKind.BUILD);
        assertThat(edge("app", "proptest").devOnly()).isTrue();
        assertThat(edge("app", "winapi").targets()).containsExactly("cfg(windows)");
        assertThat(edge("app", "serde").targets()).isEmpty();
        assertThat(edge("tool", "app").devOnly()).isTrue();
        assertThat(edge("serde", "serde_derive").kindKnown()).isFalse();
    }

    @Test
    void rootsAreMembersAndDepthCountsEdgesFromTheNearest() {
        assertThat(graph.roots()).extracting(DependencyGraph.Node::name).containsExactly("app", "tool");
        assertThat(graph.depth(node("serde"))).isEqualTo(1);
        assertThat(graph.depth(node("serde_derive"))).isEqualTo(2);
        assertThat(graph.depth(node("proptest"))).isEqualTo(1);
        assertThat(graph.dependents(node("serde"))).extracting(e -> graph.node(e.from()).name())
                .containsExactlyInAnyOrder("app", "proptest", "tool");
    }

    @Test
    void whyCountsEveryPathAndDevDependenciesOnlyFromTheirMember() {
        PathFinder finder = new PathFinder(graph);
        // serde_derive: app→serde, tool→serde, app→tool→serde, app→proptest(dev)→serde, tool→app(dev)→serde,
        // tool→app(dev)→tool? no: a path never revisits a package. Each then →serde_derive.
        PathFinder.PathCount count = finder.count(node("serde_derive"));
        assertThat(count.exact()).isTrue();
        List<List<DependencyGraph.Node>> paths = finder.paths(node("serde_derive"), 100);
        assertThat(paths).extracting(p -> p.stream().map(DependencyGraph.Node::name).toList())
                .containsExactlyInAnyOrder(
                        List.of("app", "serde", "serde_derive"),
                        List.of("tool", "serde", "serde_derive"),
                        List.of("app", "tool", "serde", "serde_derive"),
                        List.of("app", "proptest", "serde", "serde_derive"),
                        List.of("tool", "app", "serde", "serde_derive"));
        assertThat(count.value()).isEqualTo(BigInteger.valueOf(paths.size()));
        assertThat(paths.stream().map(List::size).toList()).isSorted();
        // proptest is only reachable as app's dev-dependency; through tool→app(dev) it would be a second dev hop.
        assertThat(finder.paths(node("proptest"), 10)).extracting(p -> p.stream().map(DependencyGraph.Node::name).toList())
                .containsExactly(List.of("app", "proptest"));
        assertThat(finder.paths(node("serde_derive"), 2)).hasSize(2);
    }

    @Test
    void treeGroupsSectionsFiltersEdgesAndMarksRepeats() {
        List<TreeNode> trees = new TreeBuilder(graph, EdgeFilter.ALL, -1, false).build(graph.roots());
        TreeNode app = trees.getFirst();
        assertThat(app.children()).extracting(c -> c.node().name() + ":" + c.kind())
                .containsExactly("serde:NORMAL", "tool:NORMAL", "winapi:NORMAL", "cc:BUILD", "proptest:DEV");
        TreeNode toolUnderApp = app.children().get(1);
        assertThat(toolUnderApp.children()).extracting(c -> c.node().name() + ":" + c.repeated())
                .containsExactly("serde:true"); // expanded just above, and tool's dev-dependency on app is not built
        TreeNode tool = trees.get(1); // every root gets its own full tree, as in cargo tree
        assertThat(tool.children()).extracting(c -> c.node().name() + ":" + c.kind() + ":" + c.repeated())
                .containsExactly("serde:NORMAL:false", "app:DEV:false");
        List<TreeNode> normalOnly = new TreeBuilder(graph, EdgeFilter.parse("normal"), -1, false).build(graph.roots());
        assertThat(normalOnly.getFirst().children()).extracting(c -> c.node().name())
                .containsExactly("serde", "tool", "winapi");
        List<TreeNode> shallow = new TreeBuilder(graph, EdgeFilter.parse("no-dev,no-build"), 1, false)
                .build(graph.roots());
        assertThat(shallow.getFirst().children().getFirst().children()).isEmpty();
    }

    @Test
    void invertedTreeShowsDependents() {
        List<TreeNode> trees = new TreeBuilder(graph, EdgeFilter.ALL, -1, true).build(graph.find("serde"));
        assertThat(trees.getFirst().children()).extracting(c -> c.node().name())
                .containsExactlyInAnyOrder("app", "proptest", "tool");
        TreeNode viaProptest = trees.getFirst().children().stream()
                .filter(c -> c.node().name().equals("proptest")).findFirst().orElseThrow();
        assertThat(viaProptest.children()).extracting(c -> c.node().name() + ":" + c.kind())
                .containsExactly("app:DEV");
    }

    @Test
    void findAcceptsPartialVersionsAndBothSeparators() {
        assertThat(graph.find("serde-derive")).hasSize(1);
        assertThat(graph.find("winapi@0.3")).hasSize(1);
        assertThat(graph.find("winapi@0.4")).isEmpty();
        assertThat(graph.find("winapi@0.3.9")).hasSize(1);
    }

    @Test
    void edgeFilterParsesCargoTreeSyntax() {
        assertThat(EdgeFilter.parse("all,no-dev").kinds()).isEqualTo(Set.of(DependencyKind.NORMAL, DependencyKind.BUILD));
        assertThat(EdgeFilter.parse("no-normal").kinds()).isEqualTo(Set.of(DependencyKind.BUILD, DependencyKind.DEV));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EdgeFilter.parse("features"))
                .hasMessageStartingWith("unknown edge kind 'features'");
    }

    @Test
    void foundryWhyIsAnsweredExactlyInOneCall() {
        Path root = Corpus.bundled("lockfiles/foundry-rs__foundry");
        DependencyGraph foundry = GraphBuilder.build(new ProjectLoader(TestEnv.in(root)).load(root.toString()));
        List<Why.Answer> answers = Why.ask(foundry, "syn", 5);
        assertThat(answers).hasSizeGreaterThanOrEqualTo(2);
        for (Why.Answer answer : answers) {
            assertThat(answer.count().exact()).isTrue();
            assertThat(answer.paths()).hasSize(5);
            assertThat(answer.paths()).allSatisfy(path -> {
                assertThat(path.getFirst().root()).isTrue();
                assertThat(path.getLast()).isEqualTo(answer.node());
                assertThat(path.size() - 1).isGreaterThanOrEqualTo(answer.depth());
            });
            assertThat(answer.paths().getFirst().size() - 1).isEqualTo(answer.depth());
        }
    }
}
