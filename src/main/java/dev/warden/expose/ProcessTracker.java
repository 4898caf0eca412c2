package dev.warden.expose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Follows the build's process tree from strace's view of it (clone/fork/vfork results and execve), so that every
 * event can be attributed: build-script binaries live at {@code target/…/build/<crate>-<hash>/build-script-build},
 * rustc names the crate it compiles with {@code --crate-name} and its proc macros with {@code --extern name=….so},
 * and a process started by either inherits the attribution.
 */
public final class ProcessTracker {

    private static final Set<String> SPAWN = Set.of("clone", "clone3", "fork", "vfork");
    /** What sets the sandbox up before the build command starts: bubblewrap, or unshare and its setup script. */
    /** The first line of the shell script that sets up an unshare sandbox, which marks its shell as the sandbox's. */
    public static final String SANDBOX_SCRIPT = "# warden sandbox setup";
    private static final Set<String> SANDBOX_TOOLS = Set.of("bwrap", "unshare", "ip", "mount", "mkdir", "touch", "env");

    private final Map<Integer, Actor> actors = new HashMap<>();
    /** Processes inside clone/fork/vfork, latest last: a pid nobody has named yet is one of their children. */
    private final LinkedHashSet<Integer> spawning = new LinkedHashSet<>();
    private final Map<Integer, Boolean> alive = new HashMap<>();
    private final Function<String, String> packageName;
    private int root = -1;

    /** @param packageName maps a crate name as rustc or cargo spells it ({@code url_parse}) to the lockfile's name */
    public ProcessTracker(Function<String, String> packageName) {
        this.packageName = packageName;
    }

    /** Updates the tree from one call; returns the actor of the calling process (after an exec, the new program's). */
    public Actor observe(Syscall call) {
        if (root < 0) {
            root = call.pid();
            actors.put(root, new Actor(Actor.Role.SANDBOX, null, "sandbox", List.of()));
        }
        alive.put(call.pid(), true);
        Actor actor = actor(call.pid());
        if (SPAWN.contains(call.name())) {
            spawning.remove(call.pid());
        }
        if (SPAWN.contains(call.name()) && call.result() != null && call.result() > 0) {
            int child = call.result().intValue();
            actors.putIfAbsent(child, actor);
            alive.put(child, true);
        } else if ((call.name().equals("execve") || call.name().equals("execveat")) && !call.failed()) {
            List<byte[]> strings = call.strings();
            if (!strings.isEmpty()) {
                String program = new String(strings.getFirst(), StandardCharsets.UTF_8);
                List<String> argv = new ArrayList<>();
                for (byte[] arg : strings.subList(1, strings.size())) {
                    argv.add(new String(arg, StandardCharsets.UTF_8));
                }
                actor = classify(program, argv, actor);
                actors.put(call.pid(), actor);
            }
        }
        return actor;
    }

    public void exited(int pid) {
        alive.put(pid, false);
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
            Actor parent = actors.get(spawning.getLast());
            if (parent != null) {
                actors.put(pid, parent);
                return parent;
            }
        }
        return root >= 0 ? actors.get(root) : new Actor(Actor.Role.OTHER, null, "pid " + pid, List.of());
    }

    /** Processes seen alive that never exited: still running when the build's main process ended. */
    public List<Integer> stillAlive() {
        return alive.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    public int root() {
        return root;
    }

    private Actor classify(String program, List<String> argv, Actor parent) {
        String base = program.substring(program.lastIndexOf('/') + 1);
        int build = program.lastIndexOf("/build/");
        if (base.startsWith("build-script-") && build >= 0) {
            String dir = program.substring(build + "/build/".length(), program.lastIndexOf('/'));
            return new Actor(Actor.Role.BUILD_SCRIPT, packageName.apply(withoutHash(dir)), base, List.of());
        }
        if (base.equals("rustc") || base.equals("clippy-driver")) {
            String crate = option(argv, "--crate-name");
            if (crate == null) {
                return new Actor(Actor.Role.COMPILER, parent.crate(), base, List.of());
            }
            if (crate.equals("build_script_build")) {
                String outDir = option(argv, "--out-dir");
                crate = outDir == null ? crate : withoutHash(outDir.substring(outDir.lastIndexOf('/') + 1));
            }
            List<String> macros = new ArrayList<>();
            for (int i = 0; i + 1 < argv.size(); i++) {
                if (argv.get(i).equals("--extern") && argv.get(i + 1).endsWith(".so")) {
                    String name = argv.get(i + 1).substring(0, argv.get(i + 1).indexOf('='));
                    macros.add(packageName.apply(name));
                }
            }
            return new Actor(Actor.Role.COMPILER, packageName.apply(crate), base, macros);
        }
        if (base.equals("cargo")) {
            return new Actor(Actor.Role.CARGO, null, base, List.of());
        }
        if (parent.role() == Actor.Role.SANDBOX && (SANDBOX_TOOLS.contains(base)
                || base.equals("sh") && argv.size() > 2 && argv.get(2).startsWith(SANDBOX_SCRIPT))) {
            return new Actor(Actor.Role.SANDBOX, null, base, List.of());
        }
        // Anything else runs on behalf of whoever started it (a build script's curl is the build script's doing).
        return new Actor(parent.role() == Actor.Role.SANDBOX ? Actor.Role.OTHER : parent.role(), parent.crate(), base,
                parent.procMacros());
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
