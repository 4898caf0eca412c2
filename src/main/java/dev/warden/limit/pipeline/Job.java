package dev.warden.limit.pipeline;

import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job of a pipeline.
 *
 * @param file        the file it is defined in
 * @param id          its key in the file
 * @param line        where it starts
 * @param permissions its own {@code permissions:} (GitHub), or null when it inherits the workflow's
 * @param env         its own variables (GitLab: merged from {@code extends} and the file's {@code variables})
 * @param container   the image and options the steps run in, or null
 * @param steps       in order
 * @param idTokens    GitLab {@code id_tokens}: name → audience (OIDC tokens the job receives)
 * @param secrets     GitLab {@code secrets:} (from Vault or a cloud secret manager), by name
 * @param timeout     GitLab {@code timeout}, GitHub {@code timeout-minutes}, or null for the default
 * @param environment the deployment environment it targets, or null
 * @param calls       a reusable workflow it calls ({@code jobs.<id>.uses}), or null
 */
public record Job(String file, String id, int line, Permissions permissions, Map<String, Value> env, Container container,
                  List<Step> steps, Map<String, Value> idTokens, List<Value> secrets, Value timeout,
                  String environment, Value calls) {

    public Job {
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        steps = List.copyOf(steps);
        idTokens = Collections.unmodifiableMap(new LinkedHashMap<>(idTokens));
        secrets = List.copyOf(secrets);
    }

    /** The image the job's commands run in and the options it is started with ({@code --network none}). */
    public record Container(String image, Value options) {
    }
}
