package dev.warden.cli;

import dev.warden.evaluate.advisory.AdvisoryDatabase;
import dev.warden.evaluate.advisory.AdvisorySources;
import dev.warden.fortify.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "db", description = "Show or update the advisory data Warden audits against.",
        subcommands = {DbCommand.Update.class, DbCommand.Info.class})
final class DbCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "update", description = {"Fetch (or fast-forward) the RustSec advisory-db with git into Warden's",
        "cache and index it; later audits use it when it is newer than the built-in snapshot."})
    static final class Update implements Callable<Outcome> {

        @Option(names = "--url", paramLabel = "URL", defaultValue = AdvisorySources.DEFAULT_URL,
                description = "Git URL of the advisory database (default: ${DEFAULT-VALUE}).")
        String url;

        @Option(names = "--if-stale", description = {"Only when the data an audit would use now is older than",
            "--stale (for CI: a fresh cache costs no fetch)."})
        boolean ifStale;

        @Option(names = "--stale", paramLabel = "DURATION", defaultValue = "90d",
                description = "With --if-stale: how old is too old (default: ${DEFAULT-VALUE}).")
        String stale;

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            if (ifStale) {
                Duration threshold = PolicyLoader.duration("--stale", stale);
                AdvisoryDatabase current = AdvisorySources.select(List.of(), context.env());
                LocalDate today = LocalDate.ofInstant(context.env().clock().instant(), ZoneOffset.UTC);
                if (current.dataDate() != null
                        && !current.dataDate().plusDays(threshold.toDays()).isBefore(today)) {
                    context.emit(out -> out.printf("advisory data of %s is fresh (less than %s old): not updated%n",
                            current.dataDate(), stale));
                    return Outcome.OK;
                }
            }
            AdvisorySources.Update update = AdvisorySources.update(url, context.env());
            context.warn(update.problems());
            context.emit(out -> out.printf("advisory-db at %s: commit %s (%s), %d advisories indexed%n",
                    update.checkout(), update.commit(), update.date(), update.advisories()));
            return Outcome.OK;
        }
    }

    @Command(name = "info", description = "Describe the advisory data an audit would use now.")
    static final class Info implements Callable<Outcome> {

        @Mixin
        CommandContext context;

        @Override
        public Outcome call() {
            AdvisoryDatabase db = AdvisorySources.select(List.of(), context.env());
            context.emit(out -> describe(db, out));
            return Outcome.OK;
        }

        private static void describe(AdvisoryDatabase db, PrintWriter out) {
            out.println(db.description());
            out.println("  data as of: " + db.dataDate());
            out.println("  crates with advisories: " + db.crates().size());
            out.println("  crates known to be malicious in every version: " + db.maliciousCrates().size());
        }
    }
}
