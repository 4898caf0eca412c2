package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.core.Sha256;
import dev.warden.core.WardenException;
import dev.warden.expose.BuildEvent;
import dev.warden.expose.EventStore;
import dev.warden.expose.siem.ElasticShipper;
import dev.warden.report.EventsReport;
import dev.warden.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

    @Option(names = "--to", paramLabel = "URL", description = {
        "With --export ecs: send the documents to Elasticsearch at URL with the bulk API (index template first,",
        "batches, retries), instead of printing them. Credentials from ELASTIC_API_KEY, or ELASTIC_USERNAME and",
        "ELASTIC_PASSWORD, never the command line."})
    String to;

    @Option(names = "--index", paramLabel = "NAME", defaultValue = "warden-events",
            description = "The index --to writes to (default: ${DEFAULT-VALUE}).")
    String index;

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
        if (to != null && export == null) {
            throw new WardenException("--to sends the ECS export: add --export ecs");
        }
        if (to != null && !to.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new WardenException("--to '" + dev.warden.core.Printable.of(to) + "' is not an http(s) URL");
        }
        String kindLabel = kind == null ? null : BuildEvent.Kind.parse(kind).label();
        Path root = context.directory(path);
        StoreLocation file = store.location(context.env(), root);
        try (EventStore store = EventStore.existing(file, context.env().cacheDirectory())) {
            Long buildId = buildId(store);
            List<EventStore.Row> events = store.events(buildId, crate, kindLabel, limit);
            List<EventStore.AlertRow> alerts = store.alerts(buildId).stream()
                    .filter(a -> crate == null || crate.equals(a.crate())).toList();
            if (export != null) {
                // An alert points at its event, which the filters may have left out: look it up in the whole build.
                Map<Long, EventStore.Row> byId = new LinkedHashMap<>();
                store.events(buildId, null, null, Integer.MAX_VALUE).forEach(r -> byId.put(r.id(), r));
                if (to != null) {
                    return ship(EventsReport.ecsDocuments(events, alerts, byId));
                }
                context.emit(out -> EventsReport.ecs(events, alerts, byId, out));
                return Outcome.OK;
            }
            context.emit(out -> {
                if (format == Format.JSON) {
                    EventsReport.json(events, alerts, out);
                } else {
                    EventsReport.text(events, alerts, out);
                }
            });
        }
        return Outcome.OK;
    }

    /** Sends the documents; ids are their content's hash, so sending the same events again replaces them. */
    private Outcome ship(List<String> documents) {
        List<ElasticShipper.Document> batch = documents.stream().map(json -> new ElasticShipper.Document(
                Sha256.hex(Sha256.digest().digest(json.getBytes(StandardCharsets.UTF_8))).substring(0, 32), json))
                .toList();
        ElasticShipper.Target target = new ElasticShipper.Target(to, index,
                context.env().variable("ELASTIC_API_KEY").orElse(null),
                context.env().variable("ELASTIC_USERNAME").orElse(null),
                context.env().variable("ELASTIC_PASSWORD").orElse(null));
        ElasticShipper.Result result;
        try (ElasticShipper shipper = ElasticShipper.connect(target, Duration.ofSeconds(1))) {
            shipper.installTemplate();
            result = shipper.ship(batch);
        }
        context.emit(out -> {
            out.println("events: " + result.sent() + " of " + batch.size() + " documents sent to " + index
                    + (result.retried() == 0 ? "" : " (" + result.retried() + " retries)"));
            result.reasons().forEach(reason -> out.println("  refused: " + reason));
        });
        if (result.failed() > 0) {
            throw new WardenException(result.failed() + " of " + batch.size() + " documents were refused by "
                    + index + " (see above)");
        }
        return Outcome.OK;
    }

    private Long buildId(EventStore store) {
        if (build == null) {
            return null;
        }
        if (build.equals("latest")) {
            return store.builds().stream().findFirst().map(EventStore.BuildRow::id)
                    .orElseThrow(() -> new WardenException(store.location().display() + ": no builds recorded yet"));
        }
        try {
            return Long.parseLong(build);
        } catch (NumberFormatException e) {
            throw new WardenException("--build must be a build number or 'latest', found '" + build + "'");
        }
    }
}
