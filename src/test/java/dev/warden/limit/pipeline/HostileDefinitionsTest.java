package dev.warden.limit.pipeline;

import dev.warden.core.FileTree;
import dev.warden.core.Finding;
import dev.warden.core.WardenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CI definitions arrive with the change being gated, so they are hostile input: each is read or refused with one
 * line naming the file (and line), and nothing they contain reaches the terminal as a control character.
 */
class HostileDefinitionsTest {

    @TempDir
    Path dir;

    private Pipelines read() {
        return Pipelines.read(FileTree.directory(dir));
    }

    @Test
    void invalidYamlNamesTheFileAndLine() {
        write(dir, ".github/workflows/ci.yml", "on: push\njobs:\n  build:\n    steps: [\n      - run: x\n");
        assertThatThrownBy(this::read).isInstanceOf(WardenException.class)
                .hasMessageStartingWith(".github/workflows/ci.yml:5: not valid YAML");
        write(dir, ".github/workflows/ci.yml", "- just\n- a list\n");
        assertThatThrownBy(this::read).hasMessage(".github/workflows/ci.yml:1: a workflow must be a mapping with on: "
                + "and jobs:");
        write(dir, ".github/workflows/ci.yml", "on: push\non: pull_request\n");
        assertThatThrownBy(this::read).hasMessageContaining("ci.yml:2: not valid YAML").hasMessageContaining("on");
    }

    @Test
    void nestingBuiltToExhaustTheStackIsRefused() {
        write(dir, ".github/workflows/deep.yml", "on: push\njobs: " + "[".repeat(200_000) + "]".repeat(200_000));
        assertThatThrownBy(this::read).isInstanceOf(WardenException.class)
                .hasMessage(".github/workflows/deep.yml: nested more deeply than a CI definition is");
    }

    @Test
    void aliasesAreSharedNotExpanded() {
        StringBuilder bomb = new StringBuilder("on: push\nx0: &x0 [a, a, a, a, a, a, a, a, a]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("x").append(i).append(": &x").append(i).append(" [")
                    .append(("*x" + (i - 1) + ", ").repeat(8)).append("*x").append(i - 1).append("]\n");
        }
        bomb.append("jobs:\n  build:\n    steps:\n      - run: cargo build --locked\n");
        write(dir, ".github/workflows/bomb.yml", bomb.toString());
        assertThat(read().pipelines().getFirst().jobs()).extracting(Job::id).containsExactly("build");
    }

    @Test
    void bytesThatAreNotTextAreRefused() throws IOException {
        Files.createDirectories(dir.resolve(".github/workflows"));
        Files.write(dir.resolve(".github/workflows/ci.yml"), new byte[] {0, (byte) 0xff, (byte) 0xfe, 'x'});
        assertThatThrownBy(this::read).isInstanceOf(WardenException.class).hasMessageEndingWith(": not UTF-8 text");
    }

    @Test
    void controlCharactersNeverReachTheMessages() {
        write(dir, ".github/workflows/ci.yml", "on: push\njobs:\n  \"a\\e[2J\\nwarden: forged\":\n    steps:\n"
                + "      - name: \"\\e]0;title\\a\"\n        run: cargo build\n");
        for (Finding finding : PipelineAudit.run(read(), PipelinePolicy.defaults()).findings()) {
            assertThat(finding.message()).doesNotContain("\n", "\u001b", "\u0007");
            assertThat(finding.attributes().get("job")).isEqualTo("a?[2J?warden: forged");
        }
    }

    @Test
    void gitlabIncludesCannotLeaveTheRepositoryOrLoop() {
        write(dir, ".gitlab-ci.yml", "include:\n  - local: ../outside.yml\n  - local: /ci/a.yml\njob:\n  script: [x]\n");
        write(dir, "ci/a.yml", "include:\n  - local: /.gitlab-ci.yml\n  - local: /ci/a.yml\na:\n  script: [y]\n");
        Pipelines pipelines = read();
        assertThat(pipelines.unread()).extracting(Pipelines.Unread::what)
                .containsExactly("include ../outside.yml leaves the repository");
        assertThat(pipelines.pipelines().getFirst().jobs()).extracting(Job::id).containsExactlyInAnyOrder("a", "job");
    }
}
