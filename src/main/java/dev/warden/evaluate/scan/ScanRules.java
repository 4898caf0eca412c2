package dev.warden.evaluate.scan;

import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.Stage;

import java.util.List;

/** The findings {@code warden scan} and {@code warden diff} report about crate sources. */
public final class ScanRules {

    private static Rule rule(String code, Severity severity, String description) {
        return new Rule(code, Stage.EVALUATION, severity, description);
    }

    public static final Rule EXFILTRATION = rule("exfiltration-pattern", Severity.CRITICAL,
            "Code that runs at build time reads secrets or the whole environment and can send data out.");
    public static final Rule LIBRARY_EXFILTRATION = rule("library-exfiltration", Severity.HIGH,
            "Library code gathers what stealers gather (every environment variable, credential files, wallets, keys "
                    + "found by sweeping files, several providers' secrets) and can send data out; critical when it "
                    + "checks for CI first or also drops a program.");
    public static final Rule DROPPER = rule("dropper-chain", Severity.HIGH,
            "Code downloads, writes a file, and makes it executable or runs a program: the shape of a dropper; "
                    + "critical when it checks for CI first or also gathers secrets.");
    public static final Rule PERSISTENCE_WRITE = rule("persistence-write", Severity.HIGH,
            "Code writes files and names where persistence lives (ssh authorized_keys, shell rc files, cron, "
                    + "launch agents, Cargo's binaries, the toolchain); critical at build time.");
    public static final Rule PREBUILT_NATIVE = rule("prebuilt-native-linked", Severity.HIGH,
            "A build script links a compiled library the crate ships: code that is in no source file.");
    public static final Rule PREBUILT_PROGRAM = rule("prebuilt-program-run", Severity.HIGH,
            "A build script runs a compiled executable the crate ships: code that is in no source file runs on every "
                    + "machine that builds a dependent.");
    public static final Rule LOAD_TIME_CODE = rule("load-time-code", Severity.HIGH,
            "Library code placed in a constructor section runs before main in every program linking it, next to "
                    + "network, process or secret access.");
    public static final Rule TLS_DISABLED = rule("tls-verification-disabled", Severity.MEDIUM,
            "Code turns off TLS certificate or host name verification; high next to gathered secrets.");
    public static final Rule SECRET_ENV = rule("reads-secret-env", Severity.HIGH,
            "Code reads environment variables whose names look like credentials.");
    public static final Rule ENV_ENUMERATION = rule("enumerates-environment", Severity.MEDIUM,
            "Build-time code reads every environment variable.");
    public static final Rule NETWORK = rule("network-access", Severity.HIGH,
            "Build-time code resolves names or opens network connections.");
    public static final Rule NETWORK_TOOL = rule("spawns-network-tool", Severity.HIGH,
            "Code starts a network tool such as curl, wget or nslookup.");
    public static final Rule SENSITIVE_PATH = rule("reads-sensitive-path", Severity.HIGH,
            "Code refers to credential files or the home directory.");
    public static final Rule OBFUSCATED = rule("obfuscated-literal", Severity.HIGH,
            "A base64 or hex literal decodes to a secret name, a host or a command.");
    public static final Rule ENCODING = rule("encodes-data", Severity.MEDIUM,
            "Build-time code base64- or hex-encodes data.");
    public static final Rule PROCESS = rule("spawns-process", Severity.INFO,
            "Build-time code starts other programs.");
    public static final Rule EMBEDDED_BYTES = rule("embeds-bytes", Severity.LOW,
            "Build-time code embeds a file with include_bytes!.");
    public static final Rule NATIVE = rule("links-native-code", Severity.INFO,
            "The crate links or loads native code.");
    public static final Rule LINK = rule("crate-contains-link", Severity.MEDIUM,
            "The crate's files include a symbolic or hard link.");
    public static final Rule EXECUTABLE = rule("crate-executable-file", Severity.LOW,
            "A file in the crate has the executable bit set.");
    public static final Rule BINARY = rule("crate-binary-file", Severity.MEDIUM,
            "The crate ships a compiled binary or archive.");
    public static final Rule SCRIPT = rule("crate-script-file", Severity.LOW,
            "The crate ships a script with a shebang line.");
    public static final Rule UNEXPECTED_FILE = rule("crate-unexpected-file", Severity.LOW,
            "The crate contains a file its own include/exclude rules would not package.");
    public static final Rule NO_VCS_INFO = rule("crate-without-vcs-info", Severity.INFO,
            "The packaged crate has no .cargo_vcs_info.json, so its source commit is unknown.");
    public static final Rule CHECKSUM_MISMATCH = rule("crate-checksum-mismatch", Severity.CRITICAL,
            "A downloaded .crate file does not match the checksum in Cargo.lock.");
    public static final Rule UNPARSABLE = rule("crate-unparsable-source", Severity.LOW,
            "A source file ends inside a string or comment.");
    public static final Rule REFUSED = rule("crate-refused", Severity.HIGH,
            "A crate's source could not be read safely (hostile or corrupt archive).");

    public static final Rule SOURCE_UNVERIFIED = rule("source-unverified", Severity.HIGH,
            "A crate that had to be judged could not be read (offline, not found, registry unreachable), so nothing "
                    + "vouches for its code.");

    public static final List<Rule> ALL = List.of(SOURCE_UNVERIFIED, EXFILTRATION, LIBRARY_EXFILTRATION, DROPPER,
            PERSISTENCE_WRITE, PREBUILT_NATIVE, PREBUILT_PROGRAM, LOAD_TIME_CODE, TLS_DISABLED, SECRET_ENV, ENV_ENUMERATION, NETWORK, NETWORK_TOOL,
            SENSITIVE_PATH, OBFUSCATED, ENCODING, PROCESS, EMBEDDED_BYTES, NATIVE, LINK, EXECUTABLE, BINARY, SCRIPT,
            UNEXPECTED_FILE, NO_VCS_INFO, CHECKSUM_MISMATCH, UNPARSABLE, REFUSED);

    private ScanRules() {
    }
}
