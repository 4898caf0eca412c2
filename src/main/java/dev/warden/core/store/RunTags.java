package dev.warden.core.store;

import dev.warden.core.Environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a run happened, as an organisation-wide store tags each build and gate run: the repository (as the CI
 * system names it), the host, and the CI run — so "which builds, on which hosts, ran this crate" has an answer
 * across projects. Null fields are unknown (a laptop has no CI run).
 */
public record RunTags(String repository, String host, String ciRun) {

    /** Where a run happened is not known (tests, the drill's own projects). */
    public static final RunTags UNKNOWN = new RunTags(null, null, null);

    /** Repository names and run ids as GitHub Actions, GitLab CI, Azure Pipelines, Buildkite and CircleCI set them. */
    private static final List<String> REPOSITORY = List.of("GITHUB_REPOSITORY", "CI_PROJECT_PATH",
            "BUILD_REPOSITORY_NAME", "BUILDKITE_REPO", "CIRCLE_PROJECT_REPONAME");
    private static final List<String> RUN = List.of("GITHUB_RUN_ID", "CI_JOB_ID", "BUILD_BUILDID",
            "BUILDKITE_BUILD_ID", "CIRCLE_WORKFLOW_ID");

    public static RunTags of(Environment env) {
        String run = first(env, RUN);
        if (run != null && env.variable("GITHUB_RUN_ATTEMPT").isPresent() && env.variable("GITHUB_RUN_ID").isPresent()) {
            run = run + "/" + env.variable("GITHUB_RUN_ATTEMPT").get(); // a re-run is another run of the same id
        }
        return new RunTags(first(env, REPOSITORY), host(env), run);
    }

    private static String first(Environment env, List<String> names) {
        return names.stream().map(env::variable).flatMap(Optional::stream).findFirst().orElse(null);
    }

    /** {@code $WARDEN_HOST}, else the kernel's host name (the environment seldom exports {@code HOSTNAME}). */
    private static String host(Environment env) {
        return env.variable("WARDEN_HOST").or(() -> env.variable("HOSTNAME")).orElseGet(() -> {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
    }
}
