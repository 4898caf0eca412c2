package dev.warden.evaluate.review;

import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.graph.GraphBuilder;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** cargo-vet's data read the way cargo-vet reads it, on cargo-vet's own repository. */
class ReviewCheckTest {

    private static final Path VET = Path.of("src/test/resources/cargo-vet");

    @Test
    void cargoVetsOwnLockfileIsFullyVettedAsItsCiSays() {
        Project project = new ProjectLoader(TestEnv.in(VET.toAbsolutePath())).load(VET.toAbsolutePath().toString());
        DependencyGraph graph = GraphBuilder.build(project);
        VetData data = VetData.read(VET.resolve("supply-chain"));
        List<ReviewCheck.Status> statuses = new ReviewCheck(data, ReviewPolicy.defaults()).statuses(graph);
        assertThat(statuses).hasSizeGreaterThan(100);
        List<String> unvetted = statuses.stream().filter(s -> !s.decision().vetted())
                .map(s -> s.pkg().id().nameAndVersion() + " " + s.required() + " missing " + s.decision().missing())
                .toList();
        assertThat(unvetted).as(String.join("\n", unvetted)).isEmpty();
        // Each way of being vetted occurs: an audit, an exemption, a trusted publisher, an imported wildcard audit.
        String hows = statuses.stream().map(s -> s.decision().how()).collect(Collectors.joining("\n"));
        assertThat(hows).contains("audited for", "exempted for", "published by trusted", "(bytecodealliance)",
                ", then ");
    }

    @Test
    void withoutTheImportsTheCratesOnlyOthersReviewedAreUnvetted(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path own = dir.resolve("supply-chain");
        java.nio.file.Files.createDirectories(own);
        for (String file : List.of("config.toml", "audits.toml")) {
            java.nio.file.Files.copy(VET.resolve("supply-chain").resolve(file), own.resolve(file));
        }
        Project project = new ProjectLoader(TestEnv.in(VET.toAbsolutePath())).load(VET.toAbsolutePath().toString());
        List<ReviewCheck.Status> statuses = new ReviewCheck(VetData.read(own), ReviewPolicy.defaults())
                .statuses(GraphBuilder.build(project));
        List<String> unvetted = statuses.stream().filter(s -> !s.decision().vetted()).map(s -> s.pkg().name())
                .toList();
        // Trusted publishers need imports.lock to say who published each version; imported audits are gone too.
        assertThat(unvetted).contains("anstream", "bumpalo").hasSizeGreaterThan(20);
    }
}
