package dev.warden.cli;

import dev.warden.core.Severity;
import picocli.CommandLine.Option;

/** {@code --sarif-level}: which findings a SARIF upload carries (blocking ones always). */
final class SarifOption {

    @Option(names = "--sarif-level", paramLabel = "SEVERITY", defaultValue = "medium", description = {
        "With --format sarif: leave out findings below this severity unless they block",
        "(default: ${DEFAULT-VALUE}; info keeps everything)."})
    Severity level;

    Severity minimum() {
        return level;
    }
}
