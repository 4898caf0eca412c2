package dev.warden.expose;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Follows the build's process tree from strace's view of it (clone/fork/vfork results and execve), so that every
 * event can be attributed — by lineage, never by a program's name: the command the sandbox starts is the user's;
 * what cargo starts from the target directory is a build script ({@code build/<crate>-<hash>/build-script-*}), a test
 * binary ({@code deps/<crate>-<hash>}) or a program of the package; rustc names the crate it compiles and its proc
 * macros; and anything an untrusted process starts stays untrusted and keeps its crate, whatever it is called (a
 * script named {@code cargo} in {@code OUT_DIR} is the build script's). A trusted tool run from a writable place is
 * untrusted too. The tracker also follows each process's working directory, so relative paths can be judged.
 */
public final class ProcessTracker {

    /**
     * Where the build is.
     *
     * @param targetDir        the target directory, where cargo puts what it runs
     * @param writable         directories the build can write (the target directory, /tmp): nothing run from there
     *                         is a trusted tool
     * @param workingDirectory where the build command starts
     */
    public record Places(String targetDir, List<String> writable, String workingDirectory) {

        public Places {
            writable = List.copyOf(writable);
        }

        boolean writable(String program) {
            return writable.stream().anyMatch(dir -> program.startsWith(dir.endsWith("/") ? dir : dir + "/"));
        }
    }

    private static final Set<String> SPAWN = Set.of("clone", "clone3", "fork", "vfork");
    private static final Set<String> COMPILERS = Set.of("rustc", "rustdoc", "clippy-driver");
    /** What rustc runs to link, by the names toolchains give them ({@code x86_64-linux-gnu-gcc-12}, {@code rust-lld}). */
    private static final Pattern LINKER = Pattern.compile("(?:[\\w.]+-)?(?:cc|c\\+\\+|gcc|g\\+\\+|clang(?:\\+\\+)?"
            + "|ld(?:\\.\\w+)?|lld|rust-lld|ld64\\.lld|wasm-ld|ar|llvm-ar|strip|dsymutil)(?:-[\\d.]+)?");

    private final Map<Integer, Actor> actors = new HashMap<>();
    private final Map<Integer, String> cwd = new HashMap<>();
    private final Map<Integer, Map<Integer, String>> directories = new HashMap<>();
    /** Processes inside clone/fork/vfork, latest last: a pid nobody has named yet is one of their children. */
    private final LinkedHashSet<Integer> spawning = new LinkedHashSet<>();
    private final Map<Integer, Boolean> alive = new HashMap<>();
    /** Processes whose end was seen: a parent's clone may name a child only after the child has already exited. */
    private final Set<Integer> ended = new java.util.HashSet<>();
    /** The proc macros each crate was compiled with: its test binary carries their code. */
    private final Map<String, List<String>> macrosOf = new HashMap<>();
    private final Function<String, String> packageName;
    private final Places places;
    private int root = -1;

    /**
     * @param packageName maps a crate name as rustc or cargo spells it ({@code url_parse}) to the lockfile's name
     */
    public ProcessTracker(Function<String, String> packageName, Places places) {
        this.packageName = packageName;
        this.places = places;
    }

    /** Updates the tree from one call; returns the actor of the calling process (after an exec, the new program's). */
    public Actor observe(Syscall call) {
        if (root < 0) {
            root = call.pid();
            actors.put(root, new Actor(Actor.Role.SANDBOX, null, "sandbox", List.of()));
            cwd.put(root, places.workingDirectory());
        }
        alive.put(call.pid(), true);
        ended.remove(call.pid());
        Actor actor = actor(call.pid());
        if (SPAWN.contains(call.name())) {
            spawning.remove(call.pid());
        }
        if (SPAWN.contains(call.name()) && call.result() != null && call.result() > 0
                && call.result() <= Integer.MAX_VALUE) {
            int child = call.result().intValue();
            actors.putIfAbsent(child, actor);
            cwd.putIfAbsent(child, workingDirectory(call.pid()));
            Map<Integer, String> inherited = directories.get(call.pid());
            if (inherited != null) {
                directories.putIfAbsent(child, new HashMap<>(inherited));
            }
            if (!ended.contains(child)) {
                alive.put(child, true);
            }
        } else if ((call.name().equals("execve") || call.name().equals("execveat")) && !call.failed()) {
            List<byte[]> strings = call.strings();
            if (!strings.isEmpty()) {
                String program = absolute(call.pid(), new String(strings.getFirst(), StandardCharsets.UTF_8));
                List<String> argv = new ArrayList<>();
                for (byte[] arg : strings.subList(1, strings.size())) {
                    argv.add(new String(arg, StandardCharsets.UTF_8));
                }
                actor = classify(program, argv, actor);
                actors.put(call.pid(), actor);
            }
        } else if (call.name().equals("chdir") && !call.failed() && call.firstString() != null) {
            cwd.put(call.pid(), absolute(call.pid(), call.firstString()));
        } else if (call.name().equals("fchdir") && !call.failed() && directory(call.pid(), call.descriptor()) != null) {
            cwd.put(call.pid(), directory(call.pid(), call.descriptor()));
        }
        return actor;
    }

    /** A process opened a directory as descriptor {@code fd}: later {@code *at} calls and fchdir may use it. */
    public void directoryOpened(int pid, long fd, String path) {
        if (fd >= 0 && fd <= Integer.MAX_VALUE) {
            directories.computeIfAbsent(pid, p -> new HashMap<>()).put((int) fd, absolute(pid, path));
        }
    }

    /** The directory behind a process's descriptor, when it was seen opened; null otherwise. */
    public String directory(int pid, Integer fd) {
        Map<Integer, String> open = fd == null ? null : directories.get(pid);
        return open == null ? null : open.get(fd);
    }

    public void exited(int pid) {
        alive.put(pid, false);
        ended.add(pid);
        spawning.remove(pid);
    }

    /** {@code pid} is inside a clone/fork/vfork whose result is not out yet. */
    public void spawning(int pid) {
        spawning.remove(pid);
        spawning.add(pid);
    }

    /**
     * Who a process acts for. One not yet named by its parent's clone is the child of the latest process still
     * inside a clone (strace shows a child's first calls before the parent's call returns), or else of the sandbox.
     */
    public Actor actor(int pid) {
        Actor known = actors.get(pid);
        if (known != null) {
            return known;
        }
        if (!spawning.isEmpty()) {
            int parent = spawning.getLast();
            Actor parentActor = actors.get(parent);
            if (parentActor != null) {
                actors.put(pid, parentActor);
                cwd.putIfAbsent(pid, workingDirectory(parent));
                return parentActor;
            }
        }
        return root >= 0 ? actors.get(root) : new Actor(Actor.Role.OTHER, null, "pid " + pid, List.of());
    }

    /** {@code path} as the process meant it: relative paths resolved against its working directory. */
    public String absolute(int pid, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        return Path.of(workingDirectory(pid)).resolve(path).normalize().toString();
    }

    private String workingDirectory(int pid) {
        return cwd.getOrDefault(pid, places.workingDirectory());
    }

    /** Processes seen alive that never exited: still running when the build's main process ended. */
    public List<Integer> stillAlive() {
        return alive.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    public int root() {
        return root;
    }

    private Actor classify(String program, List<String> argv, Actor current) {
        String base = program.substring(program.lastIndexOf('/') + 1);
        boolean writable = places.writable(program);
        return switch (current.role()) {
            // The tracer's child becomes bubblewrap; what bubblewrap starts is the user's command.
            case SANDBOX -> base.equals("bwrap") && !writable && current.program().equals("sandbox")
                    ? new Actor(Actor.Role.SANDBOX, null, base, List.of()) : command(program, base, argv, writable);
            case COMMAND -> command(program, base, argv, writable);
            case CARGO -> fromCargo(program, base, argv, writable);
            case COMPILER -> writable
                    ? new Actor(base.startsWith("rust_out") || program.contains("/rustdoctest")
                    ? Actor.Role.TEST : Actor.Role.OTHER, current.crate(), base, macros(current.crate()))
                    // rustc itself runs only linkers: anything else it starts, a proc macro it loaded started
                    : COMPILERS.contains(current.program()) && !current.procMacros().isEmpty()
                    && !LINKER.matcher(base).matches() && !COMPILERS.contains(base)
                    ? new Actor(Actor.Role.PROC_MACRO, current.crate(), base, current.procMacros())
                    : compiler(base, argv, current);
            // Untrusted code stays untrusted, and keeps its crate, whatever it runs next.
            default -> new Actor(current.role(), current.crate(), base, current.procMacros());
        };
    }

    /** The user's command and what it starts: trusted, unless run from a writable place. */
    private Actor command(String program, String base, List<String> argv, boolean writable) {
        if (writable) {
            return new Actor(Actor.Role.OTHER, null, base, List.of());
        }
        if (base.equals("cargo") || base.startsWith("cargo-")) {
            return new Actor(Actor.Role.CARGO, null, base, List.of());
        }
        if (COMPILERS.contains(base)) {
            return compiler(base, argv, new Actor(Actor.Role.COMMAND, null, base, List.of()));
        }
        return new Actor(Actor.Role.COMMAND, null, base, List.of());
    }

    /** What cargo runs: the toolchain, or the crates' own code from the target directory. */
    private Actor fromCargo(String program, String base, List<String> argv, boolean writable) {
        if (!writable) {
            return base.equals("cargo") || base.startsWith("cargo-") ? new Actor(Actor.Role.CARGO, null, base, List.of())
                    : COMPILERS.contains(base) ? compiler(base, argv, new Actor(Actor.Role.CARGO, null, base, List.of()))
                    : new Actor(Actor.Role.COMMAND, null, base, List.of());
        }
        String target = places.targetDir().endsWith("/") ? places.targetDir() : places.targetDir() + "/";
        if (!program.startsWith(target)) {
            return new Actor(Actor.Role.OTHER, null, base, List.of());
        }
        Path relative = Path.of(program.substring(target.length()));
        int parts = relative.getNameCount();
        String parent = parts >= 2 ? relative.getName(parts - 2).toString() : "";
        String grandparent = parts >= 3 ? relative.getName(parts - 3).toString() : "";
        if (base.startsWith("build-script-") && grandparent.equals("build")) {
            return new Actor(Actor.Role.BUILD_SCRIPT, packageName.apply(withoutHash(parent)), base, List.of());
        }
        if (parent.equals("deps")) {
            String crate = packageName.apply(withoutHash(base));
            return new Actor(Actor.Role.TEST, crate, base, macros(crate));
        }
        String crate = packageName.apply(base);
        return new Actor(Actor.Role.RUN, crate, base, macros(crate));
    }

    /** rustc names the crate it compiles and the proc macros it loads; its linker acts for the same crate. */
    private Actor compiler(String base, List<String> argv, Actor current) {
        String crate = option(argv, "--crate-name");
        if (crate == null) {
            return new Actor(Actor.Role.COMPILER, current.crate(), base, current.procMacros());
        }
        if (crate.equals("build_script_build")) {
            String outDir = option(argv, "--out-dir");
            crate = outDir == null ? crate : withoutHash(outDir.substring(outDir.lastIndexOf('/') + 1));
        }
        List<String> macros = new ArrayList<>();
        for (int i = 0; i + 1 < argv.size(); i++) {
            String value = argv.get(i + 1);
            int equals = value.indexOf('=');
            if (argv.get(i).equals("--extern") && value.endsWith(".so") && equals > 0) {
                macros.add(packageName.apply(value.substring(0, equals)));
            }
        }
        String name = packageName.apply(crate);
        if (!macros.isEmpty()) {
            macrosOf.put(name, List.copyOf(macros));
        }
        return new Actor(Actor.Role.COMPILER, name, base, macros);
    }

    private List<String> macros(String crate) {
        return crate == null ? List.of() : macrosOf.getOrDefault(crate, List.of());
    }

    /** {@code url-parse-0a1b2c3d4e5f6789} → {@code url-parse}. */
    private static String withoutHash(String dir) {
        int dash = dir.lastIndexOf('-');
        return dash > 0 && dir.substring(dash + 1).matches("[0-9a-f]{16}") ? dir.substring(0, dash) : dir;
    }

    private static String option(List<String> argv, String name) {
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).equals(name) && i + 1 < argv.size()) {
                return argv.get(i + 1);
            }
            if (argv.get(i).startsWith(name + "=")) {
                return argv.get(i).substring(name.length() + 1);
            }
        }
        return null;
    }
}
