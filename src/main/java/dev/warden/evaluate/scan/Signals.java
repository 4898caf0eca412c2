package dev.warden.evaluate.scan;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one source file can do, as found on its tokens: each signal with the line it was seen on and a short detail
 * (the variable read, the program spawned, the path opened). Filled by {@link CapabilityScanner}.
 */
public final class Signals {

    /** One observation. */
    public record Signal(Kind kind, int line, String detail) {
    }

    public enum Kind {
        /** An environment variable with a secret-looking name is read (detail: the name). */
        SECRET_ENV,
        /** An environment variable whose name is computed, with secret-looking fragments nearby (detail: them). */
        COMPUTED_SECRET_ENV,
        /** Every environment variable is read ({@code env::vars()}). */
        ENV_ENUMERATION,
        /** Any other environment read (detail: the name, or "computed"). */
        ENV_READ,
        /** Name resolution (detail: the API). */
        DNS,
        /** Sockets or an HTTP client (detail: the API or crate). */
        NETWORK,
        /** A process is started (detail: the program, or "computed"). */
        PROCESS,
        /** A known network tool is started ({@code curl}, {@code nslookup}, …). */
        NETWORK_TOOL,
        /** A path to credentials or keys appears (detail: the path). */
        SENSITIVE_PATH,
        /** The home directory is looked up. */
        HOME_DIRECTORY,
        /** Base64 or hex encoding (detail: how). */
        ENCODING,
        /** A literal that decodes (base64/hex) to something meaningful (detail: the decoded text). */
        OBFUSCATED_LITERAL,
        /** {@code include_bytes!} (detail: the path). */
        INCLUDE_BYTES,
        /** Native code: {@code #[link]}, {@code extern} blocks, dynamic loading (detail: which). */
        NATIVE,
        /** A domain name or URL literal (detail: it). */
        DOMAIN,
        /** A destination payloads use to receive stolen data: webhooks, paste sites, tunnels, raw IPs (detail: it). */
        DROP_SITE,
        /** The code asks whether it runs in CI ({@code CI}, {@code GITHUB_ACTIONS}, {@code GITLAB_CI}, …). */
        CI_GATE,
        /** TLS certificate or host name verification turned off (detail: how). */
        TLS_DISABLED,
        /** A file is created or written (detail: the API). */
        FILE_WRITE,
        /** File permissions are changed, as making a download executable does (detail: how). */
        PERMISSIONS,
        /** A path where persistence lives: ssh authorized_keys, shell rc files, cron, launch agents (detail: it). */
        PERSISTENCE_PATH,
        /** Wallets, browser profiles, Telegram sessions: what stealers look for (detail: the path). */
        WALLET_PATH,
        /** A pattern or marker that finds private keys and seeds in files (detail: it). */
        KEY_PATTERN,
        /** Directories are walked (detail: the API). */
        FILE_SWEEP,
        /** A build script tells cargo to link a library or where to find one (detail: the directive). */
        LINK_DIRECTIVE,
        /** Code placed where the loader runs it before main ({@code .init_array}, {@code .ctors}, …). */
        CONSTRUCTOR,
        /** A secret's value flows into a host name to resolve (detail: the chain, with lines). */
        FLOW_TO_DNS,
        /** A secret's value flows into a connection or request (detail: the chain). */
        FLOW_TO_NETWORK,
        /** A secret's value flows into a program's arguments or environment (detail: the chain). */
        FLOW_TO_PROCESS,
        /** Downloaded data is written to a file that is then made executable or run (detail: the chain). */
        FLOW_TO_EXECUTION
    }

    private final Set<Signal> signals = new LinkedHashSet<>();
    private final Set<Kind> kinds = EnumSet.noneOf(Kind.class);

    /** Adds a signal; the same one twice (a literal and the string folded from it) is kept once. */
    void add(Kind kind, int line, String detail) {
        signals.add(new Signal(kind, line, detail));
        kinds.add(kind);
    }

    public List<Signal> all() {
        return List.copyOf(signals);
    }

    public List<Signal> of(Kind kind) {
        return signals.stream().filter(s -> s.kind() == kind).toList();
    }

    public boolean has(Kind kind) {
        return kinds.contains(kind);
    }
}
