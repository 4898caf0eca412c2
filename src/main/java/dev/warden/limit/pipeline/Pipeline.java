package dev.warden.limit.pipeline;

import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CI definition: a GitHub Actions workflow or a GitLab CI configuration (with its local includes).
 *
 * @param kind        which CI reads it
 * @param file        the file, relative to the repository
 * @param line        where its first key is (where a top-level setting such as {@code permissions:} goes)
 * @param events      what starts it ({@code pull_request}, {@code push}, {@code merge_request}…) and their lines
 * @param permissions GitHub's top-level {@code permissions:}, or null when absent
 * @param env         top-level variables
 */
public record Pipeline(Kind kind, String file, int line, Map<String, Integer> events, Permissions permissions,
                       Map<String, Value> env, List<Job> jobs) {

    public Pipeline {
        events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        jobs = List.copyOf(jobs);
    }

    public enum Kind {
        GITHUB_ACTIONS("GitHub Actions"), GITLAB_CI("GitLab CI");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
