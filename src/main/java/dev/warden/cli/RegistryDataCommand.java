package dev.warden.cli;

import dev.warden.core.WardenException;
import dev.warden.recon.publishers.RegistryData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "registry-data", description = {"Keep crates.io's registry data offline — who publishes and owns each",
    "crate — for the publisher and owner checks of recon and gate."},
        subcommands = {RegistryDataCommand.Update.class, RegistryDataCommand.Info.class})
final class RegistryDataCommand implements Runnable {

    static final String DUMP_URL = "https://static.crates.io/db-dump.tar.gz";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "update", description = {"Build the snapshot from crates.io's database dump, streamed (never",
        "unpacked): a .tar.gz file, or a URL to download it from."})
    static final class Update implements Callable<Outcome> {

        @Option(names = "--dump", paramLabel = "FILE|URL", defaultValue = DUMP_URL,
                description = "The dump (default: ${DEFAULT-VALUE}, about 1 GB).")
        String dump;

        @Option(names = "--snapshot", paramLabel = "FILE",
                description = "Where to write the snapshot (default: registry-data.db in Warden's cache).")
        Path snapshot;

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            Path target = snapshot != null ? context.env().workingDirectory().resolve(snapshot)
                    : RegistryData.defaultFile(context.env());
            RegistryData.Built built;
            try (InputStream in = open(dump)) {
                built = RegistryData.build(in, dump, target, context.env().cacheDirectory());
            } catch (IOException e) {
                throw new WardenException(dump + ": cannot read: " + e.getMessage());
            }
            context.emit(out -> out.printf("registry data of %s: %,d crates, %,d versions, %,d users, %,d owner "
                    + "entries -> %s%n", built.dumpedAt() == null ? "an unknown date" : built.dumpedAt(),
                    built.crates(), built.versions(), built.users(), built.owners(), target));
            return Outcome.OK;
        }

        private InputStream open(String source) throws IOException {
            if (source.startsWith("https://") || source.startsWith("http://")) {
                URI uri = URI.create(source);
                HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(Duration.ofSeconds(30)).build();
                try {
                    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        response.body().close();
                        throw new WardenException(source + ": HTTP " + response.statusCode());
                    }
                    return response.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WardenException(source + ": interrupted");
                }
            }
            Path file = context.env().resolve(source);
            if (!Files.isRegularFile(file)) {
                throw new WardenException(file + ": no such file (give a db-dump.tar.gz or its URL)");
            }
            return Files.newInputStream(file);
        }
    }

    @Command(name = "info", description = "Say which registry data the publisher checks would use.")
    static final class Info implements Callable<Outcome> {

        @Mixin
        RegistryDataOption registryData;

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            try (RegistryData data = registryData.open(context.env()).orElse(null)) {
                context.emit(out -> out.println(data == null ? RegistryDataOption.describe(null)
                        : RegistryDataOption.describe(data) + " at " + data.file()));
            }
            return Outcome.OK;
        }
    }
}
