package dev.warden.cargo.graph;

import dev.warden.core.WardenException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A platform a build targets, from its triple ({@code x86_64-unknown-linux-gnu}), and whether a platform-specific
 * dependency ({@code [target.'cfg(windows)'.dependencies]}, {@code [target.x86_64-pc-windows-msvc.dependencies]})
 * applies to it. The cfg language is small — {@code name}, {@code key = "value"}, {@code all(…)}, {@code any(…)},
 * {@code not(…)} — and the facts are derived from the triple the way rustc's built-in target list has them for the
 * common platforms; it is parsed here rather than asked of rustc so that it works with no toolchain installed.
 */
public final class TargetPlatform {

    private static final Set<String> UNIX = Set.of("linux", "android", "macos", "ios", "tvos", "watchos", "visionos",
            "freebsd", "netbsd", "openbsd", "dragonfly", "solaris", "illumos", "fuchsia", "redox", "haiku", "aix",
            "hurd", "emscripten", "nto", "vxworks", "l4re", "horizon");
    private static final Set<String> WIDE = Set.of("x86_64", "aarch64", "riscv64", "powerpc64", "s390x", "wasm64",
            "loongarch64", "mips64", "sparc64", "arm64ec");

    private final String triple;
    private final Map<String, String> facts;
    private final Set<String> names;

    private TargetPlatform(String triple, Map<String, String> facts, Set<String> names) {
        this.triple = triple;
        this.facts = facts;
        this.names = names;
    }

    /** The platform a triple names; refused when it does not look like one ({@code arch-vendor-os[-env]}). */
    public static TargetPlatform of(String triple) {
        String[] parts = triple.trim().toLowerCase(Locale.ROOT).split("-");
        if (parts.length < 2 || parts[0].isEmpty() || !triple.matches("[A-Za-z0-9_.-]+")) {
            throw new WardenException("--target expects a target triple such as x86_64-unknown-linux-gnu, found '"
                    + triple + "'");
        }
        String arch = arch(parts[0]);
        String os = os(parts);
        String family = os.equals("windows") ? "windows" : arch.startsWith("wasm") && !os.equals("emscripten")
                ? "wasm" : UNIX.contains(os) ? "unix" : "";
        String last = parts[parts.length - 1];
        String env = last.startsWith("gnu") ? "gnu" : last.startsWith("musl") ? "musl" : last.startsWith("msvc")
                ? "msvc" : last.equals("sgx") ? "sgx" : last.startsWith("uclibc") ? "uclibc" : "";
        String vendor = parts.length >= 3 ? parts[1] : "unknown";
        boolean big = arch.equals("s390x") || arch.equals("sparc64") || arch.equals("sparc")
                || (arch.startsWith("powerpc") && !parts[0].endsWith("le")) || (arch.startsWith("mips")
                && !parts[0].endsWith("el"));
        String width = last.equals("gnux32") ? "32" : WIDE.contains(arch) ? "64" : "32";
        Map<String, String> facts = Map.of("target_arch", arch, "target_os", os, "target_family", family,
                "target_env", env, "target_vendor", vendor, "target_endian", big ? "big" : "little",
                "target_pointer_width", width);
        return new TargetPlatform(triple.trim(), facts, family.isEmpty() ? Set.of() : Set.of(family));
    }

    /** The platform this JVM runs on, as cargo's host triple names it. */
    public static TargetPlatform host() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64")
                || arch.equals("arm64") ? "aarch64" : arch;
        String triple = os.startsWith("windows") ? cpu + "-pc-windows-msvc" : os.startsWith("mac")
                ? cpu + "-apple-darwin" : cpu + "-unknown-linux-gnu";
        return of(triple);
    }

    public String triple() {
        return triple;
    }

    /**
     * Whether a dependency declared for {@code target} (a cfg expression or a triple) is built for this platform. A
     * condition that cannot be read (it comes from a crate's manifest) counts as applying: what is not understood is
     * not left out.
     */
    public boolean matches(String target) {
        String text = target.trim();
        if (!text.startsWith("cfg(")) {
            return text.equalsIgnoreCase(triple);
        }
        if (!text.endsWith(")")) {
            return true;
        }
        try {
            Parser parser = new Parser(text.substring(4, text.lastIndexOf(')')));
            boolean result = parser.predicate();
            parser.end();
            return result;
        } catch (WardenException e) {
            return true;
        }
    }

    private static String arch(String cpu) {
        if (cpu.matches("i[3-6]86")) {
            return "x86";
        }
        if (cpu.startsWith("armv") || cpu.startsWith("thumbv") || cpu.equals("arm")) {
            return "arm";
        }
        if (cpu.startsWith("riscv64")) {
            return "riscv64";
        }
        if (cpu.startsWith("riscv32")) {
            return "riscv32";
        }
        if (cpu.startsWith("powerpc64")) {
            return "powerpc64";
        }
        if (cpu.startsWith("mips64")) {
            return "mips64";
        }
        if (cpu.startsWith("mips")) {
            return "mips";
        }
        return cpu;
    }

    private static String os(String[] parts) {
        for (String part : parts) {
            if (part.equals("android") || part.startsWith("androideabi")) {
                return "android";
            }
        }
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("darwin")) {
                return "macos";
            }
            if (part.startsWith("freebsd")) {
                return "freebsd";
            }
            if (part.startsWith("wasi")) {
                return "wasi";
            }
            if (part.equals("linux") || part.equals("windows") || part.equals("ios") || part.equals("netbsd")
                    || part.equals("openbsd") || part.equals("dragonfly") || part.equals("solaris")
                    || part.equals("illumos") || part.equals("fuchsia") || part.equals("redox")
                    || part.equals("haiku") || part.equals("emscripten") || part.equals("none") || part.equals("aix")
                    || part.equals("hurd") || part.equals("tvos") || part.equals("watchos") || part.equals("uefi")) {
                return part;
            }
        }
        return "unknown";
    }

    /** Recursive descent over one cfg predicate. */
    private final class Parser {

        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        boolean predicate() {
            String name = identifier();
            skipSpace();
            if (peek('(')) {
                at++;
                List<Boolean> values = new ArrayList<>();
                skipSpace();
                while (!peek(')')) {
                    values.add(predicate());
                    skipSpace();
                    if (peek(',')) {
                        at++;
                        skipSpace();
                    } else if (!peek(')')) {
                        throw bad();
                    }
                }
                at++;
                return switch (name) {
                    case "all" -> values.stream().allMatch(v -> v);
                    case "any" -> values.stream().anyMatch(v -> v);
                    case "not" -> {
                        if (values.size() != 1) {
                            throw bad();
                        }
                        yield !values.getFirst();
                    }
                    default -> throw bad();
                };
            }
            if (peek('=')) {
                at++;
                skipSpace();
                String value = string();
                return value.equals(facts.get(name));
            }
            return names.contains(name);
        }

        void end() {
            skipSpace();
            if (at != text.length()) {
                throw bad();
            }
        }

        private String identifier() {
            skipSpace();
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (start == at) {
                throw bad();
            }
            return text.substring(start, at);
        }

        private String string() {
            if (!peek('"')) {
                throw bad();
            }
            int end = text.indexOf('"', at + 1);
            if (end < 0) {
                throw bad();
            }
            String value = text.substring(at + 1, end);
            at = end + 1;
            return value;
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private WardenException bad() {
            return new WardenException("cannot read the platform condition cfg(" + text + ")");
        }
    }
}
