package dev.warden.evaluate.scan;

import dev.warden.core.SecretNames;
import dev.warden.evaluate.lexer.Tokens;
import dev.warden.evaluate.lexer.WordSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds what a Rust file can do from its tokens: environment reads (and whether the names look like secrets,
 * including names assembled from pieces or hidden in base64/hex literals), name resolution and sockets, spawned
 * programs, credential paths, encoding, embedded bytes and native code. It reports what the code <em>can</em> do
 * wherever it appears, including inside macro bodies; whether that matters depends on where the code runs, which
 * {@link CrateScanner} decides.
 */
public final class CapabilityScanner {

    /** Fragments that, found in literals next to a computed environment read, betray a hidden secret name. */
    private static final List<String> SECRET_FRAGMENTS = List.of("SECRET", "TOKEN", "PASSWORD", "PASSWD",
            "ACCESS_KEY", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL", "AWS_", "GITHUB_", "GH_");
    private static final Set<String> NETWORK_TOOLS = Set.of("curl", "wget", "nc", "ncat", "netcat", "nslookup",
            "dig", "host", "ping", "ssh", "scp", "sftp", "rsync", "telnet", "ftp", "tftp", "socat", "powershell",
            "pwsh", "certutil", "bitsadmin", "invoke-webrequest");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "zsh", "dash", "cmd", "cmd.exe", "powershell",
            "pwsh");
    private static final Set<String> ENV_FUNCTIONS = Set.of("var", "var_os", "vars", "vars_os");
    private static final WordSet ENV_FUNCTION_WORDS = new WordSet(ENV_FUNCTIONS);
    private static final Set<String> DNS_APIS = Set.of("to_socket_addrs", "ToSocketAddrs", "lookup_host",
            "getaddrinfo", "gethostbyname", "dns_lookup", "trust_dns_resolver", "hickory_resolver", "resolve_host");
    private static final Set<String> SOCKET_APIS = Set.of("TcpStream", "TcpListener", "UdpSocket", "socket2",
            "UnixStream");
    private static final Set<String> HTTP_CRATES = Set.of("reqwest", "ureq", "hyper", "curl", "attohttpc", "isahc",
            "surf", "minreq", "ehttp", "tungstenite", "http_req", "awc");
    private static final Needles SENSITIVE_PATHS = new Needles(".ssh/", "/.ssh", "id_rsa", "id_ed25519", "id_ecdsa",
            ".aws/credentials", ".aws/config", ".cargo/credentials", "credentials.toml", ".netrc", ".git-credentials",
            ".kube/config", ".docker/config.json", ".gnupg", "/etc/passwd", "/etc/shadow", ".npmrc", ".pypirc",
            ".config/gcloud", "Login Data", "wallet.dat", ".bash_history", ".zsh_history", "/proc/self/environ");
    /** Top-level domains a payload's host is likely to use; a literal without one is no host. */
    private static final Set<String> TLDS = Set.of("com", "net", "org", "io", "dev", "xyz", "ru", "cn", "top", "site",
            "online", "info", "biz", "me", "co", "app", "cloud", "link", "click", "tk", "ml", "ga", "cf", "gq", "sh",
            "pw", "cc", "su", "onion");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:" + String.join("|", TLDS.stream().sorted().toList())
                    + ")(?![a-z0-9-])");
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|ftp)://[^\\s\"']+");
    private static final Pattern IPV4 = Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{12,}={0,2}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}){8,}");

    /** Environment variables CI systems set: a payload that checks them runs only where the secrets are. */
    static final Set<String> CI_VARIABLES = Set.of("CI", "GITHUB_ACTIONS", "GITLAB_CI", "TRAVIS", "CIRCLECI",
            "JENKINS_URL", "JENKINS_HOME", "BUILDKITE", "TF_BUILD", "TEAMCITY_VERSION", "BITBUCKET_BUILD_NUMBER",
            "DRONE", "CODEBUILD_BUILD_ID", "GITHUB_WORKFLOW", "RUNNER_OS");
    private static final Set<String> TLS_OFF = Set.of("danger_accept_invalid_certs", "danger_accept_invalid_hostnames",
            "dangerous", "NoCertificateVerification", "SSL_VERIFY_NONE", "ServerCertVerified");
    private static final Set<String> FILE_WRITES = Set.of("write", "create", "OpenOptions", "write_all");
    private static final Set<String> PERMISSION_APIS = Set.of("set_permissions", "from_mode", "set_mode");
    private static final Set<String> SWEEP_APIS = Set.of("read_dir", "WalkDir", "walkdir", "glob");
    /** Where stolen data is sent when the thief runs no server of their own. */
    private static final Needles DROP_SITES = new Needles("discord.com/api/webhooks", "discordapp.com/api/webhooks",
            "api.telegram.org", "pastebin.com", "paste.ee", "hastebin", "ngrok", "webhook.site", "requestbin",
            "pipedream.net", "transfer.sh", "oast.", "interact.sh", "burpcollaborator", "workers.dev", "trycloudflare");
    private static final Pattern RAW_IP_URL = Pattern.compile("(?i)\\b(?:https?|ftp)://(?:\\d{1,3}\\.){3}\\d{1,3}\\b");
    private static final Needles PERSISTENCE = new Needles("authorized_keys", ".bashrc", ".bash_profile", ".zshrc",
            ".zprofile", "/.profile", "crontab", "/etc/cron", "LaunchAgents", "LaunchDaemons", "CurrentVersion\\Run",
            ".config/autostart", "systemd/user", "/etc/systemd/system", "/etc/rc.local", ".cargo/bin", "toolchains/",
            "/etc/ld.so.preload", ".git/hooks");
    private static final Needles WALLETS = new Needles(".env", "wallet.dat", ".electrum", "Exodus", "exodus.wallet",
            "MetaMask", "nkbihfbeogaeaoehlefnkodbefgpgknn", "solana/id.json", ".config/solana", "keystore/UTC",
            ".ethereum/keystore", "Phantom/", "/tdata", "Telegram Desktop", "Login Data", "Local State", "logins.json",
            "key4.db", "cookies.sqlite", "Web Data", ".bitcoin", "Ledger Live", "atomic/Local Storage");
    private static final Needles KEY_PATTERNS = new Needles("PRIVATE KEY-----", "[0-9a-fA-F]{64}", "[a-fA-F0-9]{64}",
            "0x[0-9a-fA-F]{64}", "[1-9A-HJ-NP-Za-km-z]{", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
            "mnemonic", "seed phrase", "BIP39", "bip39", "xprv", "suiprivkey");

    /** Sections the loader runs before main: ELF, Mach-O and Windows constructor tables. */
    private static final Set<String> CONSTRUCTOR_SECTIONS = Set.of(".init_array", ".ctors", ".preinit_array",
            "__DATA,__mod_init_func", ".CRT$XCU", ".CRT$XCT");

    /** No needle above, URL or encoded payload is shorter: shorter literals ("", "{}", ", ") are passed over. */
    private static final int SHORTEST_NEEDLE = 4;

    /** Every identifier the scan reacts to; the rest are skipped unread. */
    private static final WordSet WORDS = new WordSet(Stream.of(DNS_APIS, SOCKET_APIS, HTTP_CRATES, ENV_FUNCTIONS,
            Set.of("env", "option_env", "net", "Command", "home_dir", "home", "base64", "data_encoding", "b64", "hex",
                    "include_bytes", "link", "libloading", "dlopen", "LoadLibraryA", "LoadLibraryW", "extern"),
            TLS_OFF, FILE_WRITES, PERMISSION_APIS, SWEEP_APIS)
            .flatMap(Set::stream).collect(Collectors.toSet()));

    private CapabilityScanner() {
    }

    public static Signals scan(Tokens t) {
        Signals signals = new Signals();
        Set<String> imported = importedEnvFunctions(t);
        boolean computedEnvRead = false;
        int firstComputedLine = 0;
        List<String> literals = new ArrayList<>();
        List<String> programs = new ArrayList<>();
        boolean spawnsShell = false;
        int shellLine = 0;
        // Imports name an API without using it; they only count when nothing else in the file does.
        Signals imports = new Signals();
        boolean inUse = false;

        for (int i = 0; i < t.size(); i++) {
            byte kind = t.kind(i);
            if (kind == Tokens.PUNCT && t.isPunct(i, ';')) {
                inUse = false;
            } else if (t.isIdent(i, "use")) {
                inUse = true;
            }
            if (kind == Tokens.STRING || kind == Tokens.CHAR) {
                String value = kind == Tokens.STRING ? t.stringValue(i) : charValue(t.text(i));
                literals.add(value);
                if (kind == Tokens.STRING) {
                    literal(signals, value, t.line(i));
                }
                continue;
            }
            // Almost every identifier is none of the words below: rule it out without building a String.
            String word = kind == Tokens.IDENT ? t.wordIn(i, WORDS) : null;
            if (word == null) {
                continue;
            }
            int line = t.line(i);
            String envFunction = envFunctionAt(t, i, imported);
            if (envFunction != null) {
                int arg = t.isPunct(i + 1, '(') ? i + 2 : i + 5;
                if (envFunction.startsWith("vars")) {
                    signals.add(Signals.Kind.ENV_ENUMERATION, line, "env::" + envFunction + "()");
                } else {
                    String name = literalArgument(t, arg);
                    if (name == null) {
                        computedEnvRead = true;
                        firstComputedLine = firstComputedLine == 0 ? line : firstComputedLine;
                        signals.add(Signals.Kind.ENV_READ, line, "computed");
                    } else {
                        envName(signals, name, line);
                    }
                }
                continue;
            }
            if ((t.isIdent(i, "env") || t.isIdent(i, "option_env")) && t.isPunct(i + 1, '!') && t.isPunct(i + 2, '(')) {
                String name = literalArgument(t, i + 3);
                if (name != null) {
                    envName(signals, name, line);
                } else {
                    computedEnvRead = true;
                    firstComputedLine = firstComputedLine == 0 ? line : firstComputedLine;
                }
                continue;
            }
            Signals target = inUse ? imports : signals;
            if (DNS_APIS.contains(word)) {
                target.add(Signals.Kind.DNS, line, word);
            } else if (SOCKET_APIS.contains(word)) {
                target.add(Signals.Kind.NETWORK, line, word);
            } else if (HTTP_CRATES.contains(word) && (t.isPunct(i + 1, ':') || t.isIdent(i - 1, "use")
                    || t.isIdent(i - 1, "crate"))) {
                target.add(Signals.Kind.NETWORK, line, word + " (HTTP client)");
            } else if (word.equals("net") && t.isPunct(i - 1, ':') && t.isIdent(i - 3, "std")) {
                target.add(Signals.Kind.NETWORK, line, "std::net");
            } else if (word.equals("Command") && t.isPunct(i + 1, ':') && t.isIdent(i + 3, "new")
                    && t.isPunct(i + 4, '(')) {
                String program = literalArgument(t, i + 5);
                String base = program == null ? "computed" : basename(program);
                signals.add(Signals.Kind.PROCESS, line, base);
                programs.add(base);
                if (NETWORK_TOOLS.contains(base.toLowerCase(Locale.ROOT))) {
                    signals.add(Signals.Kind.NETWORK_TOOL, line, base);
                } else if (SHELLS.contains(base.toLowerCase(Locale.ROOT))) {
                    spawnsShell = true;
                    shellLine = shellLine == 0 ? line : shellLine;
                }
            } else if (word.equals("home_dir") || word.equals("home") && t.isPunct(i + 1, ':')) {
                signals.add(Signals.Kind.HOME_DIRECTORY, line, word);
            } else if (word.equals("base64") || word.equals("data_encoding") || word.equals("b64")
                    || word.equals("hex") && t.isPunct(i + 1, ':') && t.isIdent(i + 3, "encode")) {
                signals.add(Signals.Kind.ENCODING, line, word);
            } else if (word.equals("include_bytes") && t.isPunct(i + 1, '!') && t.isPunct(i + 2, '(')) {
                String path = literalArgument(t, i + 3);
                signals.add(Signals.Kind.INCLUDE_BYTES, line, path == null ? "computed" : path);
            } else if (word.equals("link") && t.isPunct(i - 1, '[') && t.isPunct(i + 1, '(')) {
                signals.add(Signals.Kind.NATIVE, line, "#[link]");
            } else if (word.equals("libloading") || word.equals("dlopen") || word.equals("LoadLibraryA")
                    || word.equals("LoadLibraryW")) {
                signals.add(Signals.Kind.NATIVE, line, word + " (dynamic loading)");
            } else if (word.equals("extern") && t.isString(i + 1) && t.isPunct(i + 2, '{')) {
                signals.add(Signals.Kind.NATIVE, line, "extern " + t.text(i + 1) + " block");
            } else if (TLS_OFF.contains(word)) {
                tls(t, i, word, signals);
            } else if (FILE_WRITES.contains(word)) {
                if (word.equals("write") && t.isPunct(i - 1, ':') && t.isIdent(i - 3, "fs")
                        || word.equals("create") && t.isPunct(i - 1, ':') && t.isIdent(i - 3, "File")
                        || word.equals("OpenOptions") || word.equals("write_all") && t.isPunct(i - 1, '.')) {
                    signals.add(Signals.Kind.FILE_WRITE, line, word);
                }
            } else if (PERMISSION_APIS.contains(word)) {
                signals.add(Signals.Kind.PERMISSIONS, line, word);
            } else if (SWEEP_APIS.contains(word) && (t.isPunct(i + 1, '(') || t.isPunct(i + 1, ':'))) {
                signals.add(Signals.Kind.FILE_SWEEP, line, word);
            }
        }
        List<ConstantFolder.Folded> folded = ConstantFolder.fold(t);
        for (ConstantFolder.Folded value : folded) {
            literals.add(value.value());
            literal(signals, value.value(), value.line());
            if (value.obfuscated() && meaningful(value.value())) {
                signals.add(Signals.Kind.OBFUSCATED_LITERAL, value.line(), value.value() + " (" + value.how() + ")");
            }
        }

        for (Signals.Kind importedKind : List.of(Signals.Kind.DNS, Signals.Kind.NETWORK)) {
            if (!signals.has(importedKind)) {
                imports.of(importedKind).forEach(sig -> signals.add(sig.kind(), sig.line(), sig.detail()));
            }
        }
        if (computedEnvRead) {
            String stream = String.join("", literals).toUpperCase(Locale.ROOT);
            // The variable's name is not a literal at the call: look for the names (or pieces of them) the code
            // carries, e.g. a list of secrets it loops over, or ["AWS_SEC", "RET_ACC", "ESS_KEY"].concat().
            List<Signals.Signal> names = new ArrayList<>(secretNamesInLiterals(t));
            for (ConstantFolder.Folded value : folded) {
                if (WHOLE_NAME.matcher(value.value()).matches() && SecretNames.looksSecret(value.value())) {
                    names.add(new Signals.Signal(Signals.Kind.SECRET_ENV, value.line(), value.value() + " ("
                            + value.how() + ")"));
                } else if (CI_VARIABLES.contains(value.value())) {
                    signals.add(Signals.Kind.CI_GATE, value.line(), value.value() + " (" + value.how() + ")");
                }
            }
            names.forEach(sig -> signals.add(sig.kind(), sig.line(), sig.detail()));
            List<String> fragments = SECRET_FRAGMENTS.stream().filter(f -> containsWord(stream, f)).toList();
            if (names.isEmpty() && !fragments.isEmpty()) {
                signals.add(Signals.Kind.COMPUTED_SECRET_ENV, firstComputedLine,
                        "name is assembled at run time from literals containing " + String.join(", ", fragments));
            }
        }
        if (spawnsShell) {
            for (String literal : literals) {
                String lower = literal.toLowerCase(Locale.ROOT);
                for (String tool : NETWORK_TOOLS) {
                    if (lower.startsWith(tool + " ") || lower.contains(" " + tool + " ") || lower.contains("|" + tool)
                            || lower.contains(";" + tool)) {
                        signals.add(Signals.Kind.NETWORK_TOOL, shellLine, tool + " via a shell");
                        break;
                    }
                }
            }
        }
        return signals;
    }

    /**
     * Whether {@code fragment} occurs as a part of a name, bounded by underscores, digits-to-letter changes or the
     * ends ("MY_TOKEN", "TOKEN_V2") and not inside a longer word ("D3D11TOKENIZEDPROGRAM").
     */
    static boolean containsWord(String text, String fragment) {
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            int before = at - 1;
            int after = at + fragment.length();
            boolean startOk = before < 0 || !Character.isLetterOrDigit(text.charAt(before))
                    || fragment.startsWith("_") || text.charAt(before) == '_';
            boolean endOk = after >= text.length() || !Character.isLetter(text.charAt(after))
                    || fragment.endsWith("_") || text.charAt(after) == 'S' && (after + 1 >= text.length()
                    || !Character.isLetter(text.charAt(after + 1)));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{3,}");
    private static final Pattern WHOLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /**
     * Secret-looking variable names the literals of a file spell out: whole literals ("GITHUB_TOKEN") and names
     * assembled from the literals of one statement ("AWS_SEC" + "RET_ACC" + "ESS_KEY"), the latter only when the
     * pieces are not names in their own right (a list of two secret names is two names, not one long one).
     */
    static List<Signals.Signal> secretNamesInLiterals(Tokens t) {
        List<Signals.Signal> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Integer> statement = new ArrayList<>();
        for (int i = 0; i <= t.size(); i++) {
            boolean boundary = i == t.size() || t.isPunct(i, ';') || t.isPunct(i, '{') || t.isPunct(i, '}');
            if (i < t.size() && t.isString(i)) {
                statement.add(i);
            }
            if (!boundary || statement.isEmpty()) {
                continue;
            }
            List<String> whole = new ArrayList<>();
            StringBuilder joined = new StringBuilder();
            boolean piecesAreNames = true;
            for (int index : statement) {
                String value = t.stringValue(index);
                joined.append(value);
                boolean name = WHOLE_NAME.matcher(value).matches() && SecretNames.looksSecret(value);
                if (name && seen.add(value)) {
                    found.add(new Signals.Signal(Signals.Kind.SECRET_ENV, t.line(index), value));
                }
                piecesAreNames &= name || !WHOLE_NAME.matcher(value).matches();
                whole.add(value);
            }
            if (statement.size() > 1 && !piecesAreNames) {
                var matcher = NAME.matcher(joined.toString().toUpperCase(Locale.ROOT));
                while (matcher.find()) {
                    String candidate = matcher.group();
                    if (SecretNames.looksSecret(candidate) && !whole.contains(candidate) && seen.add(candidate)) {
                        found.add(new Signals.Signal(Signals.Kind.SECRET_ENV, t.line(statement.getFirst()),
                                candidate + " (assembled from pieces)"));
                        found.removeIf(sig -> candidate.startsWith(sig.detail()) && !sig.detail().equals(candidate));
                    }
                }
            }
            statement.clear();
        }
        return found;
    }

    /** Facts carried by a string literal: paths to credentials, domains and URLs, encoded payloads. */
    private static void literal(Signals signals, String value, int line) {
        if (value.length() < SHORTEST_NEEDLE) {
            return;
        }
        boolean needles = Needles.mayContainAny(value);
        if (needles) {
            firstContained(signals, Signals.Kind.SENSITIVE_PATH, SENSITIVE_PATHS, value, line);
            firstContained(signals, Signals.Kind.PERSISTENCE_PATH, PERSISTENCE, value, line);
            firstContained(signals, Signals.Kind.WALLET_PATH, WALLETS, value, line);
            firstContained(signals, Signals.Kind.KEY_PATTERN, KEY_PATTERNS, value, line);
        }
        if (!(needles && firstContained(signals, Signals.Kind.DROP_SITE, DROP_SITES, value, line)) && value.contains("://")
                && RAW_IP_URL.matcher(value).find()) {
            signals.add(Signals.Kind.DROP_SITE, line, value.length() > 80 ? value.substring(0, 80) : value);
        }
        if (value.equals("chmod") || value.equals("+x") || value.startsWith("chmod ")) {
            signals.add(Signals.Kind.PERMISSIONS, line, value);
        }
        if (value.startsWith("cargo:rustc-link-") || value.startsWith("cargo::rustc-link-")) {
            signals.add(Signals.Kind.LINK_DIRECTIVE, line, value);
        }
        if (CONSTRUCTOR_SECTIONS.contains(value)) {
            signals.add(Signals.Kind.CONSTRUCTOR, line, "#[link_section = \"" + value + "\"]");
        }
        if (value.contains("{:02x}") || value.contains("{:02X}")) {
            signals.add(Signals.Kind.ENCODING, line, "hex formatting");
        }
        if (value.contains("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")) {
            signals.add(Signals.Kind.ENCODING, line, "base64 alphabet");
        }
        // Cheap tests first: hosts need a dot, URLs "://", encoded payloads a long unbroken run.
        var url = value.contains("://") ? URL.matcher(value) : null;
        if (url != null && url.find()) {
            signals.add(Signals.Kind.DOMAIN, line, url.group());
        } else if (value.length() < 256 && value.indexOf('.') >= 0 && (hasTld(value) || hasDigitDots(value))) {
            var domain = DOMAIN.matcher(value);
            if (domain.find() && !value.contains(" ") && !value.endsWith(".rs")) {
                signals.add(Signals.Kind.DOMAIN, line, domain.group());
            } else if (IPV4.matcher(value).find()) {
                signals.add(Signals.Kind.DOMAIN, line, value);
            }
        }
        String decoded = value.length() >= 12 ? decode(value.trim()) : null;
        if (decoded != null) {
            signals.add(Signals.Kind.OBFUSCATED_LITERAL, line, decoded);
        }
    }

    /** Adds a signal for the first of {@code needles} in {@code value}; whether there was one. */
    private static boolean firstContained(Signals signals, Signals.Kind kind, Needles needles, String value,
                                          int line) {
        String needle = needles.first(value);
        if (needle != null) {
            signals.add(kind, line, value.length() > 80 ? needle : value);
        }
        return needle != null;
    }

    /**
     * A few dozen substrings looked for in every literal. Most literals hold none of them, so one table of every
     * needle's first four characters (a nibble of each: 16 bits) rules them out in a single pass; a literal with a
     * matching window is then searched with {@link String#contains} (vectorised), needle by needle. Every needle is
     * at least {@link #SHORTEST_NEEDLE} characters long.
     */
    static final class Needles {

        /** The first four characters of every needle of every list. */
        private static final long[] STARTS = new long[(1 << 16) / 64];

        private final List<String> all;

        Needles(String... needles) {
            all = List.of(needles);
            for (String needle : needles) {
                if (needle.length() < SHORTEST_NEEDLE) {
                    throw new IllegalArgumentException("needle shorter than " + SHORTEST_NEEDLE + ": " + needle);
                }
                int h = 0;
                for (int k = 0; k < SHORTEST_NEEDLE; k++) {
                    h = h << 4 | needle.charAt(k) & 0xF;
                }
                STARTS[h >>> 6] |= 1L << h;
            }
        }

        /** Whether some needle of any list may start in {@code value}; false means {@link #first} finds none. */
        static boolean mayContainAny(String value) {
            int h = 0;
            for (int at = 0; at < value.length(); at++) {
                h = (h << 4 | value.charAt(at) & 0xF) & 0xFFFF;
                if (at >= SHORTEST_NEEDLE - 1 && (STARTS[h >>> 6] & 1L << h) != 0) {
                    return true;
                }
            }
            return false;
        }

        /** The first of the needles (in their order) that {@code value} contains, or null. */
        String first(String value) {
            for (String needle : all) {
                if (value.contains(needle)) {
                    return needle;
                }
            }
            return null;
        }

        boolean anyIn(String value) {
            return first(value) != null;
        }
    }

    /** Whether some dot in the text is followed by a known top-level domain (any case). */
    private static boolean hasTld(String value) {
        for (int dot = value.indexOf('.'); dot >= 0; dot = value.indexOf('.', dot + 1)) {
            int end = dot + 1;
            while (end < value.length() && Character.isLetter(value.charAt(end))) {
                end++;
            }
            if (end - dot > 2 && TLDS.contains(value.substring(dot + 1, end).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text has a digit right before a dot, as every IPv4 address does. */
    private static boolean hasDigitDots(String value) {
        for (int dot = value.indexOf('.'); dot >= 0; dot = value.indexOf('.', dot + 1)) {
            if (dot > 0 && Character.isDigit(value.charAt(dot - 1))) {
                return true;
            }
        }
        return false;
    }

    /** A base64 or hex literal that decodes to printable text naming a secret, a host or a command. */
    static String decode(String value) {
        byte[] bytes = null;
        if (value.length() >= 16 && HEX.matcher(value).matches()) {
            bytes = HexFormat.of().parseHex(value.length() % 2 == 0 ? value : value.substring(1));
        } else if (value.length() >= 12 && BASE64.matcher(value).matches()) {
            try {
                bytes = value.contains("-") || value.contains("_") ? Base64.getUrlDecoder().decode(value)
                        : Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (bytes == null || bytes.length < 4) {
            return null;
        }
        for (byte b : bytes) {
            if (b < 0x20 && b != '\n' && b != '\t' || b == 0x7F) {
                return null;
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return meaningful(text) ? text : null;
    }

    /** Text worth hiding: a secret's name, a URL or host, a network command, a credential or persistence path. */
    static boolean meaningful(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        String lower = text.toLowerCase(Locale.ROOT);
        return SECRET_FRAGMENTS.stream().anyMatch(upper::contains) || URL.matcher(text).find()
                || DOMAIN.matcher(text).find() && !text.contains(" ")
                || NETWORK_TOOLS.stream().anyMatch(tool -> lower.startsWith(tool + " ") || lower.equals(tool))
                || SENSITIVE_PATHS.anyIn(text) || PERSISTENCE.anyIn(text)
                || CI_VARIABLES.contains(text) || SHELLS.contains(lower);
    }

    /** Certificate checks switched off: reqwest's and native-tls's danger_*, rustls' dangerous(), OpenSSL's NONE. */
    private static void tls(Tokens t, int i, String word, Signals signals) {
        int line = t.line(i);
        switch (word) {
            case "danger_accept_invalid_certs", "danger_accept_invalid_hostnames" -> {
                if (t.isPunct(i + 1, '(') && t.isIdent(i + 2, "true")) {
                    signals.add(Signals.Kind.TLS_DISABLED, line, word + "(true)");
                }
            }
            case "dangerous" -> {
                if (t.isPunct(i - 1, '.') && t.isPunct(i + 1, '(') && t.isPunct(i + 2, ')')) {
                    signals.add(Signals.Kind.TLS_DISABLED, line, "rustls dangerous() configuration");
                }
            }
            case "ServerCertVerified" -> {
                if (t.isPunct(i + 1, ':') && t.isIdent(i + 3, "assertion")) {
                    signals.add(Signals.Kind.TLS_DISABLED, line, "a certificate verifier that accepts anything");
                }
            }
            default -> {
                // A binding defines the constant or type (openssl-sys' SSL_VERIFY_NONE); only a use turns checks off.
                if (!t.isIdent(i - 1, "const") && !t.isIdent(i - 1, "static") && !t.isIdent(i - 1, "struct")) {
                    signals.add(Signals.Kind.TLS_DISABLED, line, word);
                }
            }
        }
    }

    private static void envName(Signals signals, String name, int line) {
        signals.add(SecretNames.looksSecret(name) ? Signals.Kind.SECRET_ENV : Signals.Kind.ENV_READ, line, name);
        if (CI_VARIABLES.contains(name)) {
            signals.add(Signals.Kind.CI_GATE, line, name);
        }
        if (name.equals("HOME") || name.equals("USERPROFILE")) {
            signals.add(Signals.Kind.HOME_DIRECTORY, line, name);
        }
    }

    /**
     * At {@code i}: {@code env::var(}, {@code env::var_os(}, {@code env::vars(} or {@code vars_os(}, or one of those
     * imported and called bare. Returns the function name, or null.
     */
    private static String envFunctionAt(Tokens t, int i, Set<String> imported) {
        if (t.isIdent(i, "env") && t.isPunct(i + 1, ':') && t.isPunct(i + 2, ':') && t.isPunct(i + 4, '(')) {
            String f = i + 3 < t.size() ? t.wordIn(i + 3, ENV_FUNCTION_WORDS) : null;
            if (f != null) {
                return f;
            }
        }
        if (!imported.isEmpty() && t.isPunct(i + 1, '(') && !t.isPunct(i - 1, ':') && !t.isPunct(i - 1, '.')
                && !t.isIdent(i - 1, "fn")) {
            for (String f : imported) {
                if (t.isIdent(i, f)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Environment functions brought in by {@code use std::env::var;} or {@code use std::env::{var, vars};}. */
    private static Set<String> importedEnvFunctions(Tokens t) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i + 3 < t.size(); i++) {
            if (t.isIdent(i, "env") && t.isPunct(i + 1, ':') && t.isPunct(i + 2, ':')) {
                int j = i + 3;
                boolean group = t.isPunct(j, '{');
                for (int k = group ? j + 1 : j; k < t.size() && k < j + 20; k++) {
                    for (String f : ENV_FUNCTIONS) {
                        if (t.isIdent(k, f) && (t.isPunct(k + 1, ';') || t.isPunct(k + 1, ',') || t.isPunct(k + 1, '}'))
                                && isUse(t, i)) {
                            names.add(f);
                        }
                    }
                    if (!group || t.isPunct(k, '}')) {
                        break;
                    }
                }
            }
        }
        return names;
    }

    private static boolean isUse(Tokens t, int i) {
        for (int k = i - 1; k >= 0 && k > i - 8; k--) {
            if (t.isIdent(k, "use")) {
                return true;
            }
            if (t.isPunct(k, ';') || t.isPunct(k, '{') || t.isPunct(k, '}')) {
                return false;
            }
        }
        return false;
    }

    /**
     * The string an argument evaluates to when it is a literal, a {@code concat!} of literals, or a reference to
     * one; null when it is computed at run time.
     */
    private static String literalArgument(Tokens t, int i) {
        int k = i;
        while (t.isPunct(k, '&')) {
            k++;
        }
        if (t.isString(k) && (t.isPunct(k + 1, ')') || t.isPunct(k + 1, ','))) {
            return t.stringValue(k);
        }
        if (t.isIdent(k, "concat") && t.isPunct(k + 1, '!') && t.isPunct(k + 2, '(')) {
            StringBuilder joined = new StringBuilder();
            int m = k + 3;
            while (m < t.size() && !t.isPunct(m, ')')) {
                if (t.isString(m)) {
                    joined.append(t.stringValue(m));
                } else if (!t.isPunct(m, ',')) {
                    return null;
                }
                m++;
            }
            return joined.toString();
        }
        return null;
    }

    private static String charValue(String text) {
        int open = text.indexOf('\'');
        String inner = text.substring(open + 1, Math.max(open + 1, text.length() - 1));
        return inner.startsWith("\\") ? "" : inner;
    }

    private static String basename(String program) {
        String name = program.replace('\\', '/');
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
