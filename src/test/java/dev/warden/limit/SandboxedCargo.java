package dev.warden.limit;

import dev.warden.core.Environment;
import dev.warden.testing.CargoTool;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/** What the end-to-end build tests need: real cargo, bubblewrap that makes a user namespace, strace. */
final class SandboxedCargo {

    private SandboxedCargo() {
    }

    /** The cargo to build with; skips the calling test class when any of the three is missing here. */
    static Path require() {
        Path cargo = CargoTool.find().orElse(null);
        Assumptions.assumeTrue(cargo != null, "cargo is not installed");
        SandboxProbe.Capabilities found = SandboxProbe.probe(Environment.system());
        Assumptions.assumeTrue(found.tracer() != null && found.sandbox() != SandboxProbe.Kind.NONE,
                "no sandbox or tracer here: " + found.problems());
        return cargo;
    }
}
