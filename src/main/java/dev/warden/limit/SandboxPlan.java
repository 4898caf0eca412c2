package dev.warden.limit;

import dev.warden.core.SecretNames;
import dev.warden.core.SecretValues;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the build sandbox will be, worked out before anything runs: the environment that enters (an allowlist,
 * minus anything secret by name or by value, plus decoys), the credential paths hidden and the decoys put there, the
 * project's own secrets replaced, what stays visible read-only, the only writable places, and the bubblewrap command
 * line. Inside, the build runs as an unprivileged user of its own user namespace with no capabilities, no way to
 * gain any, and a seccomp filter against the calls that would take the sandbox apart — whether Warden runs as root
 * or not.
 */
public final class SandboxPlan {

    /** Credential stores under the home directory, as build code would look for them. */
    public static final List<String> CREDENTIAL_STORES = List.of(".aws", ".ssh", ".config/gcloud", ".kube", ".docker",
            ".netrc", ".git-credentials");
    /** Where persistence goes: writing here, or trying to, is never part of building a crate. */
    static final List<String> PERSISTENCE_IN_HOME = List.of(".bashrc", ".bash_profile", ".bash_login", ".profile",
            ".zshrc", ".zprofile", ".zshenv", ".config/fish", ".config/autostart", ".config/systemd", ".ssh",
            ".local/bin", ".gitconfig");
    /** Root-only files that mean something even in a container (docker and Kubernetes secrets are under /run). */
    static final List<String> SYSTEM_SECRETS = List.of("/etc/shadow", "/etc/gshadow", "/etc/sudoers");
    /** {@code key = value} (INI, TOML), {@code "auth": "…"} (JSON), {@code password …} (.netrc). */
    private static final Pattern ASSIGNED = Pattern.compile("^\\s*[\\w.-]+\\s*=\\s*\"?([^\"\\s]+)\"?\\s*$");
    private static final Pattern JSON_CREDENTIAL = Pattern.compile(
            "\"(?:auth|token|password|identitytoken|refresh_token|client_secret)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern NETRC_PASSWORD = Pattern.compile("\\bpassword\\s+(\\S+)");
    /** The user the build runs as inside its namespace: nobody. */
    static final int SANDBOX_ID = 65534;
    /** The descriptor bubblewrap reads the seccomp program from (the runner opens it). */
    public static final int SECCOMP_FD = 9;

    /**
     * What the plan is made from.
     *
     * @param visible      directories the build must read (project root, directory sources, path dependencies) that
     *                     may lie under a hidden tree such as the home directory or /tmp
     * @param targetDir    the only project directory the build may write
     * @param cargoConfigs Cargo configuration files the build reads (their tokens are replaced by decoys)
     * @param runDir       Warden's own directory for this build (resolv.conf, decoys, the trace), never visible inside
     */
    public record Inputs(Path projectRoot, List<Path> visible, Path targetDir, Path home, Path cargoHome,
                         Path rustupHome, Map<String, String> callerEnv, LimitPolicy policy, List<String> allowEnv,
                         List<Path> cargoConfigs, Path runDir) {
    }

    private final Inputs inputs;
    private final Map<String, String> env = new TreeMap<>();
    private final List<String> removed = new ArrayList<>();
    private final Canaries canaries = new Canaries();
    private final Map<Path, String> decoys = new LinkedHashMap<>();
    private final List<Path> hiddenTrees = new ArrayList<>();
    private final List<Path> hiddenFiles = new ArrayList<>();
    private final List<String> sensitive = new ArrayList<>();
    private final Map<String, String> realSecrets = new LinkedHashMap<>();

    public SandboxPlan(Inputs inputs) {
        this.inputs = inputs;
        filterEnvironment();
        credentials();
        projectSecrets();
        system();
    }

    private void filterEnvironment() {
        List<String> allowed = new ArrayList<>(inputs.allowEnv());
        allowed.addAll(inputs.policy().allowEnv());
        EnvironmentFilter.Result filtered = EnvironmentFilter.filter(inputs.callerEnv(), allowed);
        env.putAll(filtered.kept());
        removed.addAll(filtered.removed());
        for (String name : filtered.removed()) {
            String value = inputs.callerEnv().get(name);
            if (SecretNames.looksSecret(name) || SecretValues.looksSecret(value)) {
                realSecrets.put("$" + name, value);
            }
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
                rememberValues(file, "$CARGO_HOME/" + name);
            }
        }
        for (String store : List.of(".aws/credentials", ".git-credentials", ".netrc", ".docker/config.json")) {
            rememberValues(home.resolve(store), "~/" + store);
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

    /** The working tree's and Cargo configuration's secrets: scrubbed copies, decoys, or nothing. */
    private void projectSecrets() {
        List<Path> cargoConfigs = new ArrayList<>(inputs.cargoConfigs());
        for (String name : List.of("config.toml", "config")) {
            Path file = inputs.cargoHome().resolve(name);
            if (!cargoConfigs.contains(file)) {
                cargoConfigs.add(file);
            }
        }
        ProjectSecrets found = ProjectSecrets.find(inputs.projectRoot(), inputs.targetDir(), cargoConfigs,
                inputs.policy().show(), canaries);
        for (ProjectSecrets.Replacement replacement : found.replacements()) {
            decoy(replacement.original(), replacement.content());
            if (replacement.original().getFileName().toString().startsWith(".env")) {
                sensitive.add(replacement.original().toString());
            }
        }
        for (Path file : found.hidden()) {
            hiddenFiles.add(file);
            sensitive.add(file.toString());
        }
        realSecrets.putAll(found.values());
    }

    /**
     * Root-only secrets of the machine, /run (where daemons keep their sockets and container runtimes their
     * secrets), and every other unix socket bound on the machine: a read-only mount does not stop a connect, and
     * the build's user is the caller's own, so only an absent socket is out of reach.
     */
    private void system() {
        for (String file : SYSTEM_SECRETS) {
            if (Files.isRegularFile(Path.of(file))) {
                hiddenFiles.add(Path.of(file));
            }
        }
        for (String dir : List.of("/run", "/var/run")) {
            Path path = Path.of(dir);
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !inputs.projectRoot().startsWith(path)) {
                hiddenTrees.add(path);
            }
        }
        for (Path socket : boundSockets()) {
            boolean gone = socket.startsWith("/tmp") || socket.startsWith(inputs.home())
                    || hiddenTrees.stream().anyMatch(socket::startsWith);
            if (!gone && !hiddenFiles.contains(socket) && !BuildRunner.UNIX_ALLOWED.contains(socket.toString())
                    && Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                hiddenFiles.add(socket);
            }
        }
    }

    /** Unix sockets bound to a path, from the kernel's table ({@code /proc/net/unix}: the path is the last column). */
    private static List<Path> boundSockets() {
        List<Path> sockets = new ArrayList<>();
        try (var lines = Files.lines(Path.of("/proc/net/unix"))) {
            lines.skip(1).forEach(line -> {
                String[] columns = line.trim().split("\\s+");
                if (columns.length >= 8 && columns[7].startsWith("/")) {
                    Path path = Path.of(columns[7]).normalize();
                    if (!sockets.contains(path)) {
                        sockets.add(path);
                    }
                }
            });
        } catch (IOException | UncheckedIOException | java.nio.file.InvalidPathException e) {
            // no procfs: the socket walk of the project and /run still hold
        }
        return sockets;
    }

    /** Values in a credential file that exists, remembered so that none is ever shown (the values, not the keys). */
    private void rememberValues(Path file, String label) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 1 << 20) {
                return;
            }
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                List<String> values = new ArrayList<>(SecretValues.urlPasswords(line));
                for (Pattern pattern : List.of(ASSIGNED, JSON_CREDENTIAL, NETRC_PASSWORD)) {
                    Matcher value = pattern.matcher(line);
                    while (value.find()) {
                        values.add(value.group(1));
                    }
                }
                for (String value : values) {
                    if (value.length() >= 8) {
                        realSecrets.put(label + " #" + ++n, value);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // unreadable to Warden: unreadable to the build
        }
    }

    private void decoy(Path path, String content) {
        decoys.put(path, content);
    }

    /** Writes the files the sandbox shows in place of the real ones: resolv.conf, the decoys, the seccomp filter. */
    public void prepare() {
        for (Path path : readable()) {
            if (inputs.runDir().startsWith(path)) {
                throw new WardenException(inputs.runDir() + ": Warden's run directory would be visible to the build "
                        + "(it is under " + path + "); set TMPDIR elsewhere");
            }
        }
        try {
            Files.createDirectories(inputs.runDir());
            // Nothing here says "sandbox": the build reads this file.
            Files.writeString(inputs.runDir().resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
            int n = 0;
            for (Map.Entry<Path, String> decoy : decoys.entrySet()) {
                Files.writeString(inputs.runDir().resolve("f-" + n++), decoy.getValue());
            }
            Files.write(inputs.runDir().resolve("filter.bpf"), SeccompFilter.program(System.getProperty("os.arch")));
            Files.createDirectories(inputs.targetDir());
        } catch (IOException e) {
            throw new WardenException(inputs.runDir() + ": cannot prepare the sandbox: " + e.getMessage());
        }
    }

    /** The seccomp program written by {@link #prepare()}, for the runner to open as {@link #SECCOMP_FD}. */
    public Path seccompProgram() {
        return inputs.runDir().resolve("filter.bpf");
    }

    /**
     * The bubblewrap command line: a read-only view of the system with private /tmp, home, network and processes,
     * an unprivileged user without capabilities in its own user namespace that cannot make another, and the
     * seccomp filter read from {@link #SECCOMP_FD}.
     */
    public List<String> bubblewrap(List<String> command, Path workingDirectory) {
        List<String> args = new ArrayList<>(List.of("bwrap", "--unshare-all", "--unshare-user",
                "--uid", String.valueOf(SANDBOX_ID), "--gid", String.valueOf(SANDBOX_ID), "--disable-userns",
                "--cap-drop", "ALL", "--die-with-parent", "--new-session",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                "--tmpfs", inputs.home().toString()));
        for (Path tree : hiddenTrees) {
            args.addAll(List.of("--tmpfs", tree.toString()));
        }
        for (Path path : readable()) {
            args.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
        args.addAll(List.of("--bind", inputs.targetDir().toString(), inputs.targetDir().toString()));
        int n = 0;
        for (Path decoy : decoys.keySet()) {
            if (decoy.startsWith(inputs.home()) || Files.isRegularFile(decoy)) {
                args.addAll(List.of("--ro-bind", inputs.runDir().resolve("f-" + n).toString(), decoy.toString()));
            }
            n++;
        }
        for (Path file : hiddenFiles) {
            args.addAll(List.of("--ro-bind", "/dev/null", file.toString()));
        }
        // The environment is handed over by the process environment, never on the command line, where any process
        // (and the event log) could read it.
        args.addAll(List.of("--ro-bind", inputs.runDir().resolve("resolv.conf").toString(), "/etc/resolv.conf",
                "--seccomp", String.valueOf(SECCOMP_FD), "--chdir", workingDirectory.toString(), "--"));
        args.addAll(command);
        return args;
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

    /** Real secret values Warden knows of (the caller's, the project's, the home's), by what they are: for masking. */
    public Map<String, String> realSecrets() {
        return Map.copyOf(realSecrets);
    }

    /** The only places the build may write. */
    public List<String> writablePaths() {
        return List.of(inputs.targetDir().toString(), "/tmp", "/dev", "/proc/self");
    }

    /** Where writing is persistence: the toolchain, Cargo's binaries and sources, shell start-up files, git hooks. */
    public List<String> persistencePaths() {
        List<String> paths = new ArrayList<>();
        Path cargo = inputs.cargoHome();
        for (Path path : List.of(cargo.resolve("bin"), cargo.resolve("registry"), cargo.resolve("git"),
                cargo.resolve("config.toml"), inputs.rustupHome(), inputs.projectRoot().resolve(".git"),
                inputs.projectRoot().resolve(".cargo"), inputs.projectRoot().resolve("src"),
                inputs.projectRoot().resolve("build.rs"), inputs.projectRoot().resolve("Cargo.toml"))) {
            paths.add(path.toString());
        }
        for (String file : PERSISTENCE_IN_HOME) {
            paths.add(inputs.home().resolve(file).toString());
        }
        paths.addAll(List.of("/etc/", "/usr/", "/var/spool/cron"));
        return paths;
    }
}
