package dev.warden.limit.pipeline;

import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.ArrayList;
import java.util.List;

/**
 * Every cargo call that resolves dependencies runs with {@code --locked} (or {@code --frozen}), so CI builds exactly
 * what Cargo.lock — and the gate — approved; the framework asks for 100 %.
 */
final class LockedCheck implements PipelineCheck {

    static final Rule CARGO_UNLOCKED = new Rule("ci-cargo-unlocked", Stage.LIMIT, Severity.MEDIUM,
            "A CI step runs cargo without --locked, so it may build versions Cargo.lock does not name.");
    static final List<Rule> RULES = List.of(CARGO_UNLOCKED);

    @Override
    public List<Finding> run(PipelineContext context) {
        List<Finding> findings = new ArrayList<>();
        for (JobFacts facts : context.jobs()) {
            for (CargoCall call : facts.calls()) {
                if (!call.resolves() || call.locked()) {
                    continue;
                }
                String why = call.subcommand().equals("install")
                        ? "cargo install ignores the installed crate's Cargo.lock and resolves the newest "
                        + "matching versions unless --locked is given"
                        : "without --locked, cargo resolves again when Cargo.lock is out of date and builds what "
                        + "no review saw";
                findings.add(PipelineContext.finding(CARGO_UNLOCKED, CARGO_UNLOCKED.defaultSeverity(), facts,
                        PipelineContext.job(facts) + " runs `" + call.text() + "` in " + call.step().label() + ": "
                                + why + "; add --locked",
                        List.of(PipelineContext.at(call.step().file(), call.line(), call.text()))));
            }
        }
        return findings;
    }
}
