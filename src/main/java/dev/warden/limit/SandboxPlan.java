package dev.warden.limit;

import dev.warden.core.SecretNames;
import dev.warden.core.WardenException;
import dev.warden.expose.ProcessTracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the build sandbox will be, worked out before anything runs: the environment that enters (an allowlist,
 * minus anything secret-looking, plus decoys), the credential paths hidden and the decoys put there, what stays
 * visible read-only, the only writable places, and the command line for bubblewrap or unshare.
 */
public final class SandboxPlan {

    /** Credential stores under the home directory, as build code would look for them. */
    public static final List<String> CREDENTIAL_STORES = List.of(".aws", ".ssh", ".config/gcloud", ".kube", ".docker",
            ".netrc", ".git-credentials");

    /**
     * What the plan is made from.
     *
     * @param visible   directories the build must read (project root, directory sources, path dependencies) that may
     *                  lie under a hidden tree such as the home directory or /tmp
     * @param targetDir the only project directory the build may write
     * @param runDir    Warden's own directory for this build (resolv.conf and decoy files), never writable inside
     */
    public record Inputs(Path projectRoot, List<Path> visible, Path targetDir, Path home, Path cargoHome,
                         Path rustupHome, Map<String, String> callerEnv, LimitPolicy policy, List<String> allowEnv,
                         Path runDir) {
    }

    private final Inputs inputs;
    private final Map<String, String> env = new TreeMap<>();
    private final List<String> removed = new ArrayList<>();
    private final Canaries canaries = new Canaries();
    private final Map<Path, String> decoys = new LinkedHashMap<>();
    private final List<Path> hiddenTrees = new ArrayList<>();
    private final List<Path> hiddenFiles = new ArrayList<>();
    private final List<String> sensitive = new ArrayList<>();

    public SandboxPlan(Inputs inputs) {
        this.inputs = inputs;
        filterEnvironment();
        credentials();
    }

    private void filterEnvironment() {
        List<String> allowed = new ArrayList<>(inputs.allowEnv());
        allowed.addAll(inputs.policy().allowEnv());
        EnvironmentFilter.Result filtered = EnvironmentFilter.filter(inputs.callerEnv(), allowed);
        env.putAll(filtered.kept());
        removed.addAll(filtered.removed());
        for (String name : filtered.removed()) {
            if (SecretNames.looksSecret(name)) {
                env.put(name, canaries.plant(name));
            }
        }
        for (String name : Canaries.STANDARD) {
            env.putIfAbsent(name, canaries.plant(name));
        }
        env.put("HOME", inputs.home().toString());
        env.put("CARGO_HOME", inputs.cargoHome().toString());
        env.put("RUSTUP_HOME", inputs.rustupHome().toString());
        env.put("CARGO_TARGET_DIR", inputs.targetDir().toString());
        env.put("CARGO_NET_OFFLINE", "true");
        env.put("TMPDIR", "/tmp");
    }

    /** The usual credential stores get decoys; the policy's extra paths are hidden outright. */
    private void credentials() {
        Path home = inputs.home();
        String awsKey = canaries.plant("~/.aws/credentials");
        decoy(home.resolve(".aws/credentials"), "[default]\naws_access_key_id = " + canaries.plant("AWS_ACCESS_KEY_ID")
                + "\naws_secret_access_key = " + awsKey + "\n");
        decoy(home.resolve(".git-credentials"), "https://builder:" + canaries.plant("~/.git-credentials")
                + "@github.com\n");
        decoy(home.resolve(".netrc"), "machine github.com login builder password " + canaries.plant("~/.netrc") + "\n");
        decoy(home.resolve(".ssh/id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + canaries.plant("~/.ssh/id_ed25519") + "\n-----END OPENSSH PRIVATE KEY-----\n");
        decoy(home.resolve(".docker/config.json"), "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + Base64.getEncoder().encodeToString(("builder:" + canaries.plant("~/.docker/config.json"))
                .getBytes(StandardCharsets.UTF_8)) + "\"}}}\n");
        decoy(home.resolve(".kube/config"), "users:\n- name: builder\n  user:\n    token: "
                + canaries.plant("~/.kube/config") + "\n");
        decoy(home.resolve(".config/gcloud/application_default_credentials.json"), "{\"type\":\"authorized_user\","
                + "\"refresh_token\":\"" + canaries.plant("~/.config/gcloud") + "\"}\n");
        for (String name : List.of("credentials", "credentials.toml")) {
            Path file = inputs.cargoHome().resolve(name);
            sensitive.add(file.toString());
            if (Files.isRegularFile(file)) {
                decoy(file, "[registry]\ntoken = \"" + canaries.plant("$CARGO_HOME/" + name) + "\"\n");
            }
        }
        for (String entry : inputs.policy().hide()) {
            Path path = entry.startsWith("~/") ? home.resolve(entry.substring(2)) : Path.of(entry);
            sensitive.add(path.toString());
            if (Files.isDirectory(path)) {
                hiddenTrees.add(path);
            } else if (Files.exists(path)) {
                hiddenFiles.add(path);
            }
        }
        for (String dir : CREDENTIAL_STORES) {
            sensitive.add(home.resolve(dir).toString());
        }
    }

    private void decoy(Path path, String content) {
        decoys.put(path, content);
    }

    /** Writes the files the sandbox shows in place of Warden's: resolv.conf and the decoys. */
    public void prepare() {
        try {
            Files.createDirectories(inputs.runDir());
            Files.writeString(inputs.runDir().resolve("resolv.conf"),
                    "# Warden build sandbox: queries go to loopback, where they are recorded and go no further.\n"
                            + "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
            int n = 0;
            for (Map.Entry<Path, String> decoy : decoys.entrySet()) {
                Files.writeString(inputs.runDir().resolve("decoy-" + n++), decoy.getValue());
            }
            Files.createDirectories(inputs.targetDir());
        } catch (IOException e) {
            throw new WardenException(inputs.runDir() + ": cannot prepare the sandbox: " + e.getMessage());
        }
    }

    /** The bubblewrap command line: a read-only view of the system with private /tmp, home, network and processes. */
    public List<String> bubblewrap(List<String> command, Path workingDirectory) {
        List<String> args = new ArrayList<>(List.of("bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                "--tmpfs", inputs.home().toString()));
        for (Path path : readable()) {
            args.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
        args.addAll(List.of("--bind", inputs.targetDir().toString(), inputs.targetDir().toString()));
        int n = 0;
        for (Path decoy : decoys.keySet()) {
            if (decoy.startsWith(inputs.home()) || Files.isRegularFile(decoy)) {
                args.addAll(List.of("--ro-bind", inputs.runDir().resolve("decoy-" + n).toString(), decoy.toString()));
            }
            n++;
        }
        for (Path tree : hiddenTrees) {
            args.addAll(List.of("--tmpfs", tree.toString()));
        }
        for (Path file : hiddenFiles) {
            args.addAll(List.of("--ro-bind", "/dev/null", file.toString()));
        }
        // The environment is handed over by the process environment, never on the command line, where any process
        // (and the event log) could read it.
        args.addAll(List.of("--ro-bind", inputs.runDir().resolve("resolv.conf").toString(), "/etc/resolv.conf",
                "--chdir", workingDirectory.toString(), "--"));
        args.addAll(command);
        return args;
    }

    /**
     * Without bubblewrap, as root: unshare's network, PID and mount namespaces, and a setup script that brings
     * loopback up, lays tmpfs over the credential directories that exist (with decoys inside) and decoys over the
     * credential files that exist, then starts the command. Nothing is created on the host; home, /tmp and the rest
     * of the file system stay visible and writable, which is why bubblewrap is preferred.
     */
    public List<String> unshare(List<String> command, Path workingDirectory) {
        StringBuilder script = new StringBuilder(ProcessTracker.SANDBOX_SCRIPT + "\nset -e\nip link set lo up\n");
        List<Path> covered = new ArrayList<>();
        int n = 0;
        for (Path decoy : decoys.keySet()) {
            Path parent = decoy.getParent();
            Path source = inputs.runDir().resolve("decoy-" + n++);
            if (!parent.equals(inputs.home()) && !parent.equals(inputs.cargoHome()) && Files.isDirectory(parent)) {
                if (!covered.contains(parent)) {
                    script.append("mount -t tmpfs tmpfs ").append(quote(parent)).append('\n');
                    covered.add(parent);
                }
                script.append("touch ").append(quote(decoy)).append(" && mount --bind ").append(quote(source))
                        .append(' ').append(quote(decoy)).append('\n');
            } else if (Files.isRegularFile(decoy)) {
                script.append("mount --bind ").append(quote(source)).append(' ').append(quote(decoy)).append('\n');
            }
        }
        for (Path tree : hiddenTrees) {
            script.append("mount -t tmpfs tmpfs ").append(quote(tree)).append('\n');
        }
        for (Path file : hiddenFiles) {
            script.append("mount --bind /dev/null ").append(quote(file)).append('\n');
        }
        script.append("mount --bind ").append(quote(inputs.runDir().resolve("resolv.conf"))).append(" /etc/resolv.conf\n");
        script.append("cd ").append(quote(workingDirectory)).append("\nexec");
        for (String word : command) {
            script.append(' ').append(quote(word));
        }
        script.append('\n');
        return List.of("unshare", "--net", "--pid", "--fork", "--mount", "--mount-proc", "--kill-child=SIGKILL",
                "--", "/bin/sh", "-c", script.toString());
    }

    /** Directories under a hidden tree (home, /tmp) that the build must still see. */
    private List<Path> readable() {
        List<Path> paths = new ArrayList<>();
        for (Path path : List.of(inputs.cargoHome(), inputs.rustupHome(), inputs.projectRoot())) {
            if (!paths.contains(path)) {
                paths.add(path);
            }
        }
        List<Path> wanted = new ArrayList<>(inputs.visible());
        // Programs on PATH under the home directory (~/.cargo/bin with rustup's proxies) must stay runnable.
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank() && Path.of(dir).isAbsolute()) {
                wanted.add(Path.of(dir));
            }
        }
        for (Path path : wanted) {
            if (paths.stream().noneMatch(path::startsWith)) {
                paths.add(path);
            }
        }
        return paths.stream().filter(p -> p.startsWith(inputs.home()) || p.startsWith("/tmp"))
                .filter(Files::isDirectory).toList();
    }

    private static String quote(Object value) {
        return "'" + value.toString().replace("'", "'\\''") + "'";
    }

    /** The environment inside, decoys included: the sandbox process is started with exactly this. */
    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    /** Names of the caller's variables that were kept out. */
    public List<String> removedVariables() {
        return List.copyOf(removed);
    }

    /** Every decoy by what it stands in for ({@code AWS_SECRET_ACCESS_KEY}, {@code ~/.aws/credentials}). */
    public Map<String, String> canaries() {
        return canaries.all();
    }

    /** Paths whose opening the monitor reports. */
    public List<String> sensitivePaths() {
        return List.copyOf(sensitive);
    }

    /** The only places the build may write. */
    public List<String> writablePaths() {
        return List.of(inputs.targetDir().toString(), "/tmp", "/dev", "/proc/self");
    }
}
