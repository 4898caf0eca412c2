package dev.warden.cli;

import dev.warden.core.store.StoreLocation;
import dev.warden.core.Stage;
import dev.warden.core.WardenException;
import dev.warden.exercise.Drill;
import dev.warden.metrics.SupplyChainReport;
import dev.warden.report.DrillReport;
import dev.warden.report.Format;
import dev.warden.report.SupplyChainPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "drill", description = {
    "Replay real supply-chain attacks end to end, harmlessly: registries on loopback, real cargo, marked fake",
    "secrets. Each attack goes through the gate and the sandboxed build; the scorecard shows what caught it,",
    "whether a fake secret left the sandbox, MTTD and MTTR. A control build without Warden shows the attack is real."})
final class DrillCommand implements Callable<Outcome> {

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Run only these: typosquat-exfiltration, compromised-maintainer, dependency-confusion.")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--keep", description = "Keep the drill's workspace (registries, project, logs) to inspect.")
    boolean keep;

    @Option(names = "--workspace", paramLabel = "DIR", description = "Build the drill's world here instead of in /tmp.")
    Path workspace;

    @Option(names = "--no-control", description = "Skip the control builds without Warden.")
    boolean noControl;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Format format = context.format(Format.TEXT, Format.JSON);
        Drill.Result result = Drill.run(context.env(), new Drill.Options(keep, !noControl,
                workspace == null ? null : context.env().workingDirectory().resolve(workspace), scenarios),
                line -> {
                    context.err().println(line);
                    context.err().flush();
                });
        Instant now = context.env().clock().instant();
        context.emit(out -> {
            if (format == Format.JSON) {
                DrillReport.json(result, out);
            } else {
                DrillReport.text(result, out);
            }
        });
        // The drill's own report: this run and the drills before it, on one page. The scorecard above is the
        // drill's result; a history that cannot be written costs a warning, not that result.
        try {
            Drill.record(result, context.env(), now);
            Path history = Drill.historyStore(context.env());
            SupplyChainReport report = SupplyChainReport.build(new SupplyChainReport.Inputs(SupplyChainReport.DRILLS,
                    new StoreLocation.Sqlite(history), history, history, context.env().cacheDirectory(), now, null, null, EnumSet.of(Stage.EXERCISE)));
            Path page = (result.workspace() != null ? result.workspace() : history.getParent()).resolve("report.html");
            context.write(page, out -> SupplyChainPage.html(report, out));
            context.err().println("drill: report written to " + page);
        } catch (WardenException e) {
            context.warn(List.of("drill: no report: " + e.getMessage()));
        }
        return result.passed() ? Outcome.OK : Outcome.FINDINGS;
    }
}
