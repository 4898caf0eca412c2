package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.check.CheckContext;
import dev.warden.exercise.ThreatModel;
import dev.warden.fortify.policy.Policy;
import dev.warden.recon.typosquat.PopularCrates;
import dev.warden.report.ExerciseReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "threat-model", description = {"Write a STRIDE threat model of the project's supply chain from its",
    "graph: which crates run code at build time, where crates come from, which secrets a build here could see,",
    "and the control for each threat. Markdown (text) or JSON."})
final class ThreatModelCommand implements Callable<Outcome> {

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "The project (default: current directory).")
    String path;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.MARKDOWN, Format.JSON);
        Project project = context.project(path);
        Policy policy = policyOption.load(context.env(), project.root());
        PopularCrates popular = PopularCrates.of(policy.recon());
        ThreatModel.Model model = ThreatModel.of(new CheckContext(project, context.graph(project), context.env()),
                popular, policy.recon());
        context.emit(out -> {
            if (format == Format.JSON) {
                ExerciseReport.threatModelJson(model, out);
            } else {
                ExerciseReport.threatModelMarkdown(model, out);
            }
        });
        return Outcome.OK;
    }
}
