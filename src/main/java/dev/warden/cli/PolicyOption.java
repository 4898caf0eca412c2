package dev.warden.cli;

import dev.warden.core.Environment;
import dev.warden.fortify.policy.Policy;
import dev.warden.fortify.policy.PolicyLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE} for the commands that apply a policy; else the project's own {@code warden.toml}. */
final class PolicyOption {

    @Option(names = "--config", paramLabel = "FILE", description = "Policy file (default: warden.toml in the project).")
    Path config;

    Policy load(Environment env, Path projectRoot) {
        return config != null ? PolicyLoader.load(env.workingDirectory().resolve(config))
                : PolicyLoader.forProject(projectRoot);
    }
}
