package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.cargo.graph.DependencyGraph;
import dev.warden.cargo.project.Project;
import dev.warden.core.WardenException;
import dev.warden.exercise.Tabletop;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;
import dev.warden.report.ExerciseReport;
import dev.warden.report.Format;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlArray;
import dev.warden.toml.TomlTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "tabletop", description = {"A tabletop exercise: walk the team through a malicious crate in this",
    "project, question by question; answers are checked against the response playbook, and each participant's",
    "1-5 confidence score is stored to track the team's confidence across exercises."})
final class TabletopCommand implements Callable<Outcome> {

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "The project (default: current directory).")
    String path;

    @Option(names = "--participant", paramLabel = "NAME",
            description = "Interview NAME on the terminal (repeatable; default: $USER).")
    List<String> participants = new ArrayList<>();

    @Option(names = "--answers", paramLabel = "FILE", description = {"Read the answers from a TOML file instead:",
        "[[participant]] name = \"…\", confidence = 1-5, answers = [\"…\", …] (one per question)."})
    Path answers;

    @Option(names = "--questions", description = "Print the scenario and questions, and stop.")
    boolean questionsOnly;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        Path dir = context.directory(path);
        String scenario = scenario(dir);
        if (questionsOnly) {
            context.emit(out -> {
                out.println("scenario: " + scenario);
                for (int i = 0; i < Tabletop.QUESTIONS.size(); i++) {
                    out.println((i + 1) + ". " + Tabletop.QUESTIONS.get(i));
                }
            });
            return Outcome.OK;
        }
        List<Tabletop.Participant> given = answers != null ? fromFile(context.env().workingDirectory().resolve(answers))
                : interviews(scenario);
        StoreLocation file = store.location(context.env(), dir);
        Instant now = context.env().clock().instant();
        Tabletop.Session session = Tabletop.record(file, context.env().cacheDirectory(), now, scenario, given);
        try (MetricLog metrics = MetricLog.open(file, context.env())) {
            metrics.record(dir.toAbsolutePath().normalize().toString(), now, "tabletop#" + session.id(), List.of(
                    MetricLog.Measurement.of(Metric.TEAM_CONFIDENCE, session.teamConfidence()),
                    new MetricLog.Measurement(Metric.TEAM_CONFIDENCE, scenario, session.teamConfidence())));
        }
        List<Tabletop.Session> history = Tabletop.history(file, context.env().cacheDirectory());
        context.emit(out -> {
            if (format == Format.JSON) {
                ExerciseReport.tabletopJson(session, history, out);
            } else {
                ExerciseReport.tabletopText(session, history, out);
            }
        });
        return Outcome.OK;
    }

    /** The seed's attack, told about a crate this project really builds when there is one. */
    private String scenario(Path dir) {
        String crate = "url-parse 0.1.0, a new dependency of rust-utilities-v2 2.1.1,";
        if (Files.isRegularFile(dir.resolve("Cargo.lock"))) {
            Project project = context.project(dir.toString());
            DependencyGraph graph = context.graph(project);
            crate = graph.nodes().stream().filter(n -> n.pkg().source() != null && n.manifest() != null
                            && n.manifest().pkg() != null && (n.manifest().pkg().procMacro()
                            || n.manifest().buildScript().isPresent()))
                    .map(n -> n.pkg().id().nameAndVersion() + ", which runs code in every build of "
                            + project.root().getFileName() + ",")
                    .findFirst().orElse(crate);
        }
        return "a credible report says " + crate + " was published by an attacker: its build script reads "
                + "AWS_SECRET_ACCESS_KEY and GITHUB_TOKEN and leaks them as DNS lookups of <base64>.malicious-domain.com";
    }

    private List<Tabletop.Participant> interviews(String scenario) {
        List<String> names = participants.isEmpty()
                ? List.of(context.env().variable("USER").orElse("participant")) : participants;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        context.err().println("scenario: " + scenario);
        List<Tabletop.Participant> interviewed = new ArrayList<>();
        for (String name : names) {
            context.err().println();
            context.err().println("— " + name + " —");
            interviewed.add(Tabletop.interview(name, in, context.err()));
        }
        return interviewed;
    }

    private static List<Tabletop.Participant> fromFile(Path file) {
        TomlTable root = Toml.parse(file);
        TomlArray array = root.getArray("participant");
        if (array == null || array.size() == 0) {
            throw new WardenException(file + ": no [[participant]] tables");
        }
        List<Tabletop.Participant> read = new ArrayList<>();
        for (TomlTable entry : array.tables(root, "participant")) {
            String name = entry.getString("name");
            Long confidence = entry.getInteger("confidence");
            List<String> given = entry.getStrings("answers");
            if (name == null || confidence == null) {
                throw WardenException.at(file, entry.line(), "each participant needs a name and a confidence (1-5)");
            }
            if (confidence < 1 || confidence > 5) {
                throw entry.error("confidence", "confidence must be 1 to 5, found " + confidence);
            }
            if (given.size() != Tabletop.QUESTIONS.size()) {
                throw WardenException.at(file, entry.line(), name + " has " + given.size() + " answers; expected one "
                        + "per question (" + Tabletop.QUESTIONS.size() + ")");
            }
            read.add(new Tabletop.Participant(name, given, confidence.intValue()));
        }
        return read;
    }
}
