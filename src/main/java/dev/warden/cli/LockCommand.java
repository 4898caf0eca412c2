package dev.warden.cli;

import dev.warden.cargo.project.Project;
import dev.warden.report.Format;
import dev.warden.report.InventoryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "lock", description = "List every package in the lockfile (inventory).")
final class LockCommand implements Callable<Outcome> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Project directory, Cargo.toml or Cargo.lock (default: current directory).")
    String path;

    @Mixin
    CommandContext context;

    @Override
    public Outcome call() {
        Project project = context.project(path);
        Format format = context.format(Format.TEXT, Format.JSON);
        context.emit(out -> {
            if (format == Format.JSON) {
                InventoryReport.json(project.lockfile(), out);
            } else {
                InventoryReport.text(project, out);
            }
        });
        return Outcome.OK;
    }
}
