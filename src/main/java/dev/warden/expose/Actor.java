package dev.warden.expose;

import java.util.List;

/**
 * Who did something during a build: the crate whose code ran and in what role. A build script's process and
 * everything it starts belong to its crate; a rustc process belongs to the crate it compiles, and code it runs
 * on the side is its proc macros' ({@code procMacros}: the proc-macro crates loaded into it).
 *
 * @param crate      the crate (package name as in Cargo.lock), or null for cargo, the sandbox, or unknown code
 * @param program    the executable of the process itself
 * @param procMacros for a rustc process: the proc-macro crates it loaded; for a test binary or program: the ones its
 *                   crate was compiled with (their code may be in it)
 */
public record Actor(Role role, String crate, String program, List<String> procMacros) {

    /** Where the code that acted comes from. */
    public enum Role {
        SANDBOX("sandbox"), COMMAND("command"), CARGO("cargo"), COMPILER("rustc"), BUILD_SCRIPT("build script"),
        PROC_MACRO("proc macro"), TEST("test binary"), RUN("program"), OTHER("process");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /**
         * Whether third-party code runs in this role: the user's command, cargo and the compiler are trusted tools;
         * build scripts, proc macros, test binaries and the package's programs run the crates' code.
         */
        public boolean untrusted() {
            return this == BUILD_SCRIPT || this == PROC_MACRO || this == TEST || this == RUN || this == OTHER;
        }
    }

    public Actor {
        procMacros = List.copyOf(procMacros);
    }

    /** "url-parse build script", "proc macro url-parse (compiling app)", "cargo". */
    public String describe() {
        return switch (role) {
            case BUILD_SCRIPT -> crate + " build script";
            case PROC_MACRO -> "proc macro " + String.join(" or ", procMacros) + " (compiling " + crate + ")";
            case COMPILER -> crate == null ? "rustc" : "rustc compiling " + crate;
            case TEST, RUN -> (crate == null ? program : crate) + " " + role.label() + " (" + program + ")"
                    + (procMacros.isEmpty() ? "" : ", built with proc macro " + String.join(", ", procMacros));
            default -> crate == null ? role.label() + " " + program : crate + " (" + program + ")";
        };
    }

    /** The crate to blame: the proc macro when one alone was loaded, else the crate in whose name the code ran. */
    public String blamed() {
        return role == Role.PROC_MACRO && procMacros.size() == 1 ? procMacros.getFirst() : crate;
    }
}
