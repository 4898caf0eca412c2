package dev.warden.cli;

import dev.warden.core.WardenException;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.EventStore;
import dev.warden.report.EventsReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "events", description = {
    "Query the build event log (the store, --store): what each build ran, resolved, connected to and",
    "opened, with the crate responsible, and the alerts raised. --export ecs writes ECS JSON lines for a SIEM."})
final class EventsCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "The project whose log to read (default: current directory).")
    String path;

    @Option(names = "--build", paramLabel = "ID", description = "Only this build (a number, or 'latest').")
    String build;

    @Option(names = "--crate", paramLabel = "NAME", description = "Only events attributed to this crate.")
    String crate;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Only this kind: exec, connect, dns, send, file, evasion or outlived.")
    String kind;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10000",
            description = "At most this many events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--export", paramLabel = "FORMAT", description = "Export instead of listing: ecs (JSON lines).")
    String export;

    @Mixin
    StoreOption store;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        if (export != null && !export.equals("ecs")) {
            throw new WardenException("unknown --export '" + export + "' (expected ecs)");
        }
        String kindLabel = kind == null ? null : BuildEvent.Kind.parse(kind).label();
        Path root = context.directory(path);
        Path file = store.file(context.env(), root);
        try (EventStore store = EventStore.existing(file, context.env().cacheDirectory())) {
            Long buildId = buildId(store);
            List<EventStore.Row> events = store.events(buildId, crate, kindLabel, limit);
            List<EventStore.AlertRow> alerts = store.alerts(buildId).stream()
                    .filter(a -> crate == null || crate.equals(a.crate())).toList();
            context.emit(out -> {
                if (export != null) {
                    Map<Long, EventStore.Row> byId = new LinkedHashMap<>();
                    store.events(buildId, null, null, Integer.MAX_VALUE).forEach(r -> byId.put(r.id(), r));
                    EventsReport.ecs(events, alerts, byId, out);
                } else if (format == Format.JSON) {
                    EventsReport.json(events, alerts, out);
                } else {
                    EventsReport.text(events, alerts, out);
                }
            });
        }
        return Outcome.OK;
    }

    private Long buildId(EventStore store) {
        if (build == null) {
            return null;
        }
        if (build.equals("latest")) {
            return store.builds().stream().findFirst().map(EventStore.BuildRow::id)
                    .orElseThrow(() -> new WardenException(store.file() + ": no builds recorded yet"));
        }
        try {
            return Long.parseLong(build);
        } catch (NumberFormatException e) {
            throw new WardenException("--build must be a build number or 'latest', found '" + build + "'");
        }
    }
}
