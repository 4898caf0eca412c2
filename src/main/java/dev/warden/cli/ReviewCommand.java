package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.core.WardenException;
import dev.warden.evaluate.review.ReviewCheck;
import dev.warden.evaluate.review.VetData;
import dev.warden.fortify.policy.Policy;
import dev.warden.report.Format;
import dev.warden.report.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "review", description = {
    "The project's reviews (cargo-vet data in supply-chain/): each third-party crate with the review that covers it",
    "or none; with CRATE@VERSION, record your own review in audits.toml, in cargo-vet's format."})
final class ReviewCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH|CRATE@VERSION",
            description = "The project (default: current directory), or the crate version you reviewed.")
    String target;

    @Option(names = "--criteria", paramLabel = "NAME", defaultValue = "safe-to-deploy",
            description = "With CRATE@VERSION: what you reviewed it for (default: ${DEFAULT-VALUE}).")
    String criteria;

    @Option(names = "--who", paramLabel = "NAME <EMAIL>", description = "With CRATE@VERSION: who reviewed it.")
    String who;

    @Option(names = "--delta", paramLabel = "FROM", description = "With CRATE@VERSION: you reviewed the change from "
            + "this version (a delta audit), not the whole crate.")
    String delta;

    @Option(names = "--notes", paramLabel = "TEXT", description = "With CRATE@VERSION: what you found.")
    String notes;

    @Mixin
    PolicyOption policyOption;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        boolean record = target != null && target.contains("@") && !Files.exists(context.env().resolve(target));
        Project project = context.project(record ? null : target);
        Policy policy = policyOption.load(context.env(), project.root());
        Path store = project.root().resolve(policy.review().store());
        if (record) {
            return record(store);
        }
        ReviewCheck check = ReviewCheck.forProject(project.root(), policy.review()).orElseThrow(() ->
                new WardenException(store + ": no cargo-vet data here (config.toml, audits.toml), and no "
                        + "[review] crev-proofs"));
        Format format = context.format(Format.TEXT, Format.JSON);
        List<ReviewCheck.Status> statuses = check.statuses(context.graph(project));
        long unvetted = statuses.stream().filter(s -> !s.decision().vetted()).count();
        context.emit(out -> {
            if (format == Format.JSON) {
                JsonOutput.write(out, json -> {
                    json.writeStartObject();
                    json.writeStringField("command", "review");
                    json.writeNumberField("crates", statuses.size());
                    json.writeNumberField("unreviewed", unvetted);
                    json.writeArrayFieldStart("statuses");
                    for (ReviewCheck.Status status : statuses) {
                        json.writeStartObject();
                        json.writeStringField("crate", status.pkg().name());
                        json.writeStringField("version", status.pkg().version().toString());
                        json.writeStringField("requires", String.join(", ", status.required()));
                        json.writeBooleanField("reviewed", status.decision().vetted());
                        json.writeStringField("how", status.decision().vetted() ? status.decision().how()
                                : "not reviewed for " + status.decision().missing());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
                return;
            }
            out.println("review: " + statuses.size() + " third-party crates, " + unvetted + " unreviewed ("
                    + project.root().relativize(store) + ")");
            for (ReviewCheck.Status status : statuses) {
                out.println((status.decision().vetted() ? "  ok   " : "  MISS ") + status.pkg().id().nameAndVersion()
                        + " [" + String.join(", ", status.required()) + "]: " + (status.decision().vetted()
                        ? status.decision().how() : "no review for " + status.decision().missing()
                        + (status.decision().nearest().isEmpty() ? "" : " (reviewed: "
                        + String.join(", ", status.decision().nearest()) + ")")));
            }
        });
        return unvetted > 0 ? Outcome.FINDINGS : Outcome.OK;
    }

    /** Appends a cargo-vet audit entry; the file is created with cargo-vet's header when it does not exist. */
    private Outcome record(Path store) {
        String crate = target.substring(0, target.indexOf('@'));
        String version = target.substring(target.indexOf('@') + 1);
        if (!crate.matches("[A-Za-z0-9_-]{1,64}") || !version.matches("[0-9A-Za-z.+-]{1,64}")
                || delta != null && !delta.matches("[0-9A-Za-z.+-]{1,64}")) {
            throw new WardenException("'" + dev.warden.core.Printable.of(target) + "' is not CRATE@VERSION");
        }
        if (who == null || who.isBlank()) {
            throw new WardenException("--who is required: cargo-vet records who reviewed each crate");
        }
        StringBuilder entry = new StringBuilder("\n[[audits.").append(crate).append("]]\n");
        entry.append("who = ").append(quoted(who)).append('\n');
        entry.append("criteria = ").append(quoted(criteria)).append('\n');
        entry.append(delta == null ? "version = " + quoted(version) : "delta = " + quoted(delta + " -> " + version))
                .append('\n');
        if (notes != null) {
            entry.append("notes = ").append(quoted(notes)).append('\n');
        }
        Path audits = store.resolve("audits.toml");
        try {
            Files.createDirectories(store);
            if (!Files.exists(audits)) {
                Files.writeString(audits, "\n# cargo-vet audits file\n", StandardCharsets.UTF_8);
            }
            Files.writeString(audits, entry, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            VetData.read(store); // what was written reads back, or the command says so
        } catch (IOException e) {
            throw new WardenException(audits + ": cannot write: " + e.getMessage());
        }
        context.emit(out -> out.println("recorded: " + crate + " " + (delta == null ? version : delta + " -> "
                + version) + " reviewed for " + criteria + " by " + dev.warden.core.Printable.of(who) + " in "
                + audits));
        return Outcome.OK;
    }

    /** A TOML basic string: quotes, backslashes and control characters escaped. */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
