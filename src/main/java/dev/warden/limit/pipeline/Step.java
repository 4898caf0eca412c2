package dev.warden.limit.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of a job: a GitHub Actions step ({@code uses} an action or {@code run}s a script; steps of a local
 * composite action are listed after the step that uses it, with that action's file), or one GitLab script line.
 *
 * @param file    the file the step is written in
 * @param line    where the step starts
 * @param name    its {@code name}/{@code id} if any, else null
 * @param uses    the action as written ({@code actions/checkout@v4}, {@code ./.github/actions/setup}), or null
 * @param with    the action's inputs
 * @param run     the script, or null
 * @param runLine the line of the script's first line
 * @param runLinesKept whether each line of the script is a line of the file (so a command's line is exact)
 * @param env     the step's own variables
 */
public record Step(String file, int line, String name, String uses, Map<String, Value> with, String run, int runLine,
                   boolean runLinesKept, Map<String, Value> env) {

    public Step {
        with = Collections.unmodifiableMap(new LinkedHashMap<>(with));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** The action without its version: {@code actions/checkout}, lower case (GitHub compares them so). */
    public String action() {
        if (uses == null) {
            return null;
        }
        int at = uses.indexOf('@');
        return (at < 0 ? uses : uses.substring(0, at)).toLowerCase(java.util.Locale.ROOT);
    }

    /** How a finding names the step. */
    public String label() {
        if (name != null) {
            return "'" + name + "'";
        }
        if (uses != null) {
            return uses;
        }
        String first = run == null ? "" : run.strip().lines().findFirst().orElse("");
        return "the step `" + (first.length() > 40 ? first.substring(0, 37) + "..." : first) + "`";
    }

    /** The file line of the script's {@code index}-th line (0-based); the script's first line when lines moved. */
    public int lineOf(int index) {
        return runLinesKept ? runLine + index : runLine;
    }

    public String input(String key) {
        Value value = with.get(key);
        return value == null ? null : value.text();
    }
}
