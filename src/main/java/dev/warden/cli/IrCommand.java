package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.core.WardenException;
import dev.warden.exercise.IncidentResponse;
import dev.warden.expose.EventStore;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.report.Format;
import dev.warden.report.IncidentReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "ir", description = {"Incident response for a crate found malicious: from the project's store, which",
    "gate runs resolved it and what they decided, which builds ran its code, what it did, which secrets it could",
    "read — and the response steps (remove, rotate, block, purge, report) as a checklist."})
final class IrCommand implements Callable<Outcome> {

    @Parameters(index = "0", paramLabel = "CRATE[@VERSION]", description = "The crate, optionally one version.")
    String crate;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
            description = "The project whose store to read (default: current directory).")
    String path;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        int at = crate.indexOf('@');
        if (at == 0 || at == crate.length() - 1) {
            throw new WardenException("expected CRATE or CRATE@VERSION, found '" + crate + "'");
        }
        String name = at < 0 ? crate : crate.substring(0, at);
        String version = at < 0 ? null : crate.substring(at + 1);
        Path dir = context.directory(path);
        StoreLocation file = store.location(context.env(), dir);
        IncidentResponse.Report report;
        try (EventStore events = EventStore.existing(file, context.env().cacheDirectory());
             DecisionLog gate = DecisionLog.open(file, context.env().cacheDirectory())) {
            report = IncidentResponse.investigate(name, version, gate, events);
        }
        context.emit(out -> {
            if (format == Format.JSON) {
                IncidentReport.json(report, out);
            } else {
                IncidentReport.text(report, out);
            }
        });
        return Outcome.OK;
    }
}
