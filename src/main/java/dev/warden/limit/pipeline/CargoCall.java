package dev.warden.limit.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One {@code cargo} invocation in a step: from its shell script, through {@code warden build -- cargo …} (then it is
 * sandboxed), or through the {@code actions-rs/cargo} action.
 *
 * @param step       the step it is in
 * @param line       its line in the step's file
 * @param subcommand {@code build}, {@code test}… (aliases expanded)
 * @param args       every word after {@code cargo}, global flags included
 * @param sandboxed  run by {@code warden build}: no secrets, no network, monitored
 */
public record CargoCall(Step step, int line, String subcommand, List<String> args, boolean sandboxed) {

    /** Subcommands that compile dependencies, so their build scripts and proc macros run. */
    private static final Set<String> BUILDING = Set.of("build", "test", "run", "bench", "check", "clippy", "doc",
            "install", "nextest", "llvm-cov", "miri", "tarpaulin", "rustc", "rustdoc", "fix", "publish", "package",
            "hack");
    /** Subcommands that resolve the dependency graph and so can rewrite Cargo.lock without --locked. */
    private static final Set<String> RESOLVING = Set.of("fetch", "vendor");

    public CargoCall {
        args = List.copyOf(args);
    }

    public boolean builds() {
        // publish and package compile the package to verify it, unless told not to.
        boolean verifies = !(subcommand.equals("publish") || subcommand.equals("package"))
                || !args.contains("--no-verify");
        return BUILDING.contains(subcommand) && verifies;
    }

    /** Whether the call is one the --locked rule applies to: it builds or resolves. */
    public boolean resolves() {
        return builds() || RESOLVING.contains(subcommand);
    }

    public boolean locked() {
        return args.contains("--locked") || args.contains("--frozen");
    }

    public String text() {
        List<String> words = new ArrayList<>();
        words.add("cargo");
        words.addAll(args);
        String text = String.join(" ", words);
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }

    static String canonical(String subcommand) {
        return switch (subcommand) {
            case "b" -> "build";
            case "t" -> "test";
            case "r" -> "run";
            case "c" -> "check";
            case "d" -> "doc";
            default -> subcommand;
        };
    }
}
