package dev.warden.evaluate.scan;

import dev.warden.cargo.manifest.Manifest;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.cargo.manifest.PackageInfo;
import dev.warden.evaluate.license.CrateLicense;
import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.evaluate.lexer.RustLexer;
import dev.warden.evaluate.lexer.Tokens;
import dev.warden.evaluate.repository.Provenance;
import dev.warden.evaluate.source.CrateTree;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Scans one crate's files: counts {@code unsafe}, finds what its code can do, and judges that by where the code
 * runs (a build script or proc macro runs on every machine that builds a dependent; library code only in the final
 * program; tests never), plus the hygiene of the files shipped.
 */
public final class CrateScanner {

    /** Magic numbers of executables and archives a source crate has no need to ship. */
    private static final Map<String, byte[]> MAGIC = new LinkedHashMap<>();

    static {
        MAGIC.put("ELF executable", new byte[] {0x7F, 'E', 'L', 'F'});
        MAGIC.put("Windows PE executable", new byte[] {'M', 'Z'});
        MAGIC.put("Mach-O executable", new byte[] {(byte) 0xCF, (byte) 0xFA, (byte) 0xED, (byte) 0xFE});
        MAGIC.put("Mach-O executable (32-bit)", new byte[] {(byte) 0xCE, (byte) 0xFA, (byte) 0xED, (byte) 0xFE});
        MAGIC.put("Mach-O universal binary", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        MAGIC.put("WebAssembly module", new byte[] {0, 'a', 's', 'm'});
        MAGIC.put("zip archive", new byte[] {'P', 'K', 3, 4});
        MAGIC.put("gzip archive", new byte[] {0x1F, (byte) 0x8B});
        MAGIC.put("xz archive", new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z'});
        MAGIC.put("7z archive", new byte[] {'7', 'z', (byte) 0xBC, (byte) 0xAF});
        MAGIC.put("ar archive (static library)", "!<arch>\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** What cargo puts in every package, and the checksum file Cargo writes next to a directory source's copy. */
    private static final Set<String> ALWAYS_SHIPPED = Set.of("Cargo.toml", "Cargo.toml.orig", "Cargo.lock",
            ".cargo_vcs_info.json", ".cargo-checksum.json");

    private CrateScanner() {
    }

    /**
     * @param packaged         whether the tree is a published package (archive or registry copy), for which
     *                         packaging hygiene applies
     * @param checksumMatches  for a downloaded archive, whether it matched the lockfile checksum (null: not checked)
     */
    public static CrateScan scan(CrateTree tree, boolean packaged, Boolean checksumMatches) {
        Manifest manifest = manifest(tree);
        PackageInfo pkg = manifest == null ? null : manifest.pkg();
        String name = pkg == null ? Path.of(tree.origin()).getFileName().toString() : pkg.name();
        String version = pkg == null || pkg.version() == null ? "0.0.0" : pkg.version();
        boolean procMacro = pkg != null && pkg.procMacro();
        Set<String> buildFiles = buildScriptFiles(tree, pkg);

        Map<Role, UnsafeCounts> unsafeByRole = new EnumMap<>(Role.class);
        SortedMap<String, UnsafeCounts> unsafeByFile = new TreeMap<>();
        Map<Role, List<Located>> signalsByRole = new EnumMap<>(Role.class);
        Map<Role, List<DataFlow.Unit>> flowUnits = new EnumMap<>(Role.class);
        List<Finding> findings = new ArrayList<>();
        long bytes = 0;
        long lines = 0;
        for (CrateTree.Entry entry : tree.entries()) {
            if (entry.type() != CrateTree.Type.FILE || !entry.path().endsWith(".rs")) {
                continue;
            }
            // A working copy holds more than its package: only what `cargo package` would ship is the crate's code.
            if (!packaged && pkg != null && !shipped(entry.path(), pkg, buildFiles)) {
                continue;
            }
            byte[] source = tree.read(entry);
            bytes += source.length;
            Tokens tokens = RustLexer.lex(source);
            Role role = role(entry.path(), buildFiles, procMacro);
            if (role != Role.TEST) {
                lines += codeLines(tokens);
            }
            UnsafeCounts fileUnsafe = UnsafeCounter.count(tokens);
            unsafeByRole.merge(role, fileUnsafe, UnsafeCounts::plus);
            if (fileUnsafe.total() > 0) {
                unsafeByFile.put(entry.path(), fileUnsafe);
            }
            if (tokens.unterminated()) {
                findings.add(finding(ScanRules.UNPARSABLE, ScanRules.UNPARSABLE.defaultSeverity(), name, version,
                        entry.path() + " ends inside a string or comment", List.of(Evidence.of(entry.path(), 0))));
            }
            if (role != Role.TEST) {
                Signals signals = CapabilityScanner.scan(tokens);
                for (Signals.Signal signal : signals.all()) {
                    signalsByRole.computeIfAbsent(role, r -> new ArrayList<>()).add(new Located(entry.path(), signal));
                }
                if (FLOW_KINDS.stream().anyMatch(signals::has)) {
                    flowUnits.computeIfAbsent(role, r -> new ArrayList<>())
                            .add(new DataFlow.Unit(entry.path(), tokens, credentialPaths(signals)));
                }
            }
        }
        List<CrateScan.Flow> flows = new ArrayList<>();
        for (Map.Entry<Role, List<DataFlow.Unit>> unit : flowUnits.entrySet()) {
            List<Located> signals = signalsByRole.get(unit.getKey());
            if (!flowPossible(signals)) {
                continue; // most crates: nothing to steal, or nowhere to send it; no values followed
            }
            for (DataFlow.Chain chain : DataFlow.chains(unit.getValue())) {
                flows.add(new CrateScan.Flow(unit.getKey(), chain));
                signals.add(new Located(chain.file(), new Signals.Signal(switch (chain.sink()) {
                    case DNS -> Signals.Kind.FLOW_TO_DNS;
                    case NETWORK -> Signals.Kind.FLOW_TO_NETWORK;
                    case PROCESS -> Signals.Kind.FLOW_TO_PROCESS;
                    case EXECUTION -> Signals.Kind.FLOW_TO_EXECUTION;
                }, chain.line(), chain.describe()), chain));
            }
        }

        Set<Capability> capabilities = new TreeSet<>();
        for (Map.Entry<Role, List<Located>> entry : signalsByRole.entrySet()) {
            judge(entry.getKey(), entry.getValue(), tree, name, version, findings, capabilities);
        }
        if (pkg != null && pkg.links() != null) {
            capabilities.add(new Capability(Role.BUILD_SCRIPT, "links native library " + pkg.links()));
        }
        hygiene(tree, pkg, packaged, checksumMatches, name, version, buildFiles, findings);

        UnsafeCounts total = UnsafeCounts.ZERO;
        for (Map.Entry<Role, UnsafeCounts> entry : unsafeByRole.entrySet()) {
            if (entry.getKey() != Role.TEST) {
                total = total.plus(entry.getValue());
            }
        }
        Map<Role, Set<Signals.Kind>> signalKinds = new EnumMap<>(Role.class);
        signalsByRole.forEach((role, located) -> signalKinds.put(role,
                located.stream().map(l -> l.signal().kind()).collect(Collectors.toSet())));
        return new CrateScan(name, version, tree.origin(), !buildFiles.isEmpty(), procMacro, total, unsafeByRole,
                unsafeByFile, capabilities, signalKinds, flows, findings, bytes, lines, CrateLicense.of(tree, pkg),
                packaged ? Provenance.of(tree, pkg) : null);
    }

    /** Lines holding at least one token: blank lines and lines with only a comment are not code. */
    private static int codeLines(Tokens tokens) {
        int lines = 0;
        int last = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.line(i) != last) {
                last = tokens.line(i);
                lines++;
            }
        }
        return lines;
    }

    /** What a file must do for its values to be worth following: take something, or send, write or run. */
    private static final List<Signals.Kind> FLOW_KINDS = List.of(Signals.Kind.SECRET_ENV,
            Signals.Kind.ENV_ENUMERATION, Signals.Kind.SENSITIVE_PATH, Signals.Kind.WALLET_PATH,
            Signals.Kind.FILE_SWEEP, Signals.Kind.DNS, Signals.Kind.NETWORK, Signals.Kind.PROCESS,
            Signals.Kind.FILE_WRITE, Signals.Kind.PERMISSIONS);

    /** Whether a compilation unit has both ends of a chain: something secret and a way out, or a dropper's parts. */
    private static boolean flowPossible(List<Located> signals) {
        boolean secret = !of(signals, Signals.Kind.SECRET_ENV, Signals.Kind.ENV_ENUMERATION,
                Signals.Kind.SENSITIVE_PATH, Signals.Kind.WALLET_PATH, Signals.Kind.FILE_SWEEP).isEmpty();
        boolean out = !of(signals, Signals.Kind.DNS, Signals.Kind.NETWORK, Signals.Kind.PROCESS).isEmpty();
        boolean dropper = !of(signals, Signals.Kind.NETWORK).isEmpty() && !of(signals, Signals.Kind.FILE_WRITE,
                Signals.Kind.PROCESS).isEmpty() && !of(signals, Signals.Kind.PERMISSIONS, Signals.Kind.PROCESS)
                .isEmpty();
        return secret && out || dropper;
    }

    /** The lines on which a file names credentials, wallets or keys: reading such a path reads secrets. */
    private static Map<Integer, String> credentialPaths(Signals signals) {
        Map<Integer, String> paths = new LinkedHashMap<>();
        for (Signals.Kind kind : List.of(Signals.Kind.SENSITIVE_PATH, Signals.Kind.WALLET_PATH)) {
            signals.of(kind).forEach(s -> paths.putIfAbsent(s.line(), s.detail()));
        }
        return paths;
    }

    /** Dropper, persistence, library exfiltration and TLS findings, from the signals of one piece of code. */
    /**
     * @param signals    one piece of code's signals: the build script (or proc macro) whole, or one library file,
     *                   with the data-flow chains that start in it
     * @param everywhere the signals of all the code that runs in the same role, for what the crate talks to
     */
    private static void composites(Role role, List<Located> signals, List<Located> everywhere, String name,
                                   String version, List<Finding> findings) {
        boolean buildTime = role.runsAtBuildTime();
        String where = role.label();
        List<Located> secrets = of(signals, Signals.Kind.SECRET_ENV, Signals.Kind.COMPUTED_SECRET_ENV);
        List<Located> enumeration = of(signals, Signals.Kind.ENV_ENUMERATION);
        List<Located> sensitive = of(signals, Signals.Kind.SENSITIVE_PATH);
        List<Located> dns = of(signals, Signals.Kind.DNS);
        List<Located> network = of(signals, Signals.Kind.NETWORK);
        List<Located> tools = of(signals, Signals.Kind.NETWORK_TOOL);
        List<Located> processes = of(signals, Signals.Kind.PROCESS);
        List<Located> dropSites = of(signals, Signals.Kind.DROP_SITE);
        List<Located> ci = of(signals, Signals.Kind.CI_GATE);
        List<Located> tls = of(signals, Signals.Kind.TLS_DISABLED);
        List<Located> writes = of(signals, Signals.Kind.FILE_WRITE);
        List<Located> permissions = of(signals, Signals.Kind.PERMISSIONS);
        List<Located> persistence = of(signals, Signals.Kind.PERSISTENCE_PATH);
        List<Located> stolen = stolen(signals);
        List<Located> harvest = harvest(signals);
        List<Located> egress = concat(dns, network, tools);
        List<Located> runsDownload = of(signals, Signals.Kind.FLOW_TO_EXECUTION);
        boolean dropper = !runsDownload.isEmpty()
                || !egress.isEmpty() && !writes.isEmpty() && (!permissions.isEmpty() || !processes.isEmpty());
        if (dropper) {
            boolean worse = !ci.isEmpty() || buildTime && !harvest.isEmpty();
            List<Evidence> evidence = runsDownload.isEmpty()
                    ? chain(egress, writes, permissions.isEmpty() ? processes : permissions, ci)
                    : withSteps(runsDownload, ci);
            findings.add(withChain(runsDownload, finding(ScanRules.DROPPER, worse ? Severity.CRITICAL : Severity.HIGH,
                    name, version,
                    "the " + where + (runsDownload.isEmpty() ? " downloads (" + quoted(egress) + "), writes a file and "
                            + (permissions.isEmpty() ? "runs " + quoted(processes) : "changes its permissions")
                            : " writes what it downloads to a file and runs it or makes it executable")
                            + (ci.isEmpty() ? "" : ", only in CI (" + quoted(ci) + ")") + ": the shape of a dropper",
                    evidence)));
        }
        if (!persistence.isEmpty() && !writes.isEmpty()) {
            findings.add(finding(ScanRules.PERSISTENCE_WRITE, buildTime ? Severity.CRITICAL : Severity.HIGH, name,
                    version, "the " + where + " writes files and names " + quoted(persistence),
                    chain(persistence, writes, List.of(), List.of())));
        }
        List<Located> intoNames = of(signals, Signals.Kind.FLOW_TO_DNS);
        List<Located> sent = of(signals, Signals.Kind.FLOW_TO_NETWORK, Signals.Kind.FLOW_TO_PROCESS).stream()
                .filter(l -> !apiClient(l.chain(), everywhere)).toList();
        if (!buildTime && !intoNames.isEmpty()) {
            findings.add(withChain(intoNames, finding(ScanRules.LIBRARY_EXFILTRATION, Severity.CRITICAL, name,
                    version, "in the " + where + ", " + taken(intoNames.getFirst().chain()) + " flows into a host name "
                            + "to resolve: data sent out as DNS queries", withSteps(intoNames, ci))));
        } else if (!buildTime && !sent.isEmpty()) {
            boolean worse = !ci.isEmpty() || dropper;
            Located first = sent.getFirst();
            findings.add(withChain(sent, finding(ScanRules.LIBRARY_EXFILTRATION, worse ? Severity.CRITICAL
                    : Severity.HIGH, name, version, "in the " + where + ", " + taken(first.chain()) + " flows into "
                            + (first.chain().sink() == DataFlow.Sink.PROCESS ? "a program's arguments"
                            : "a connection or request") + (dropSites.isEmpty() ? "" : " to " + quoted(dropSites))
                            + (ci.isEmpty() ? "" : ", only in CI (" + quoted(ci) + ")")
                            + (tls.isEmpty() ? "" : ", with TLS verification off")
                            + ": code that runs in every program using it", withSteps(sent, ci))));
        } else if (!buildTime && !egress.isEmpty()) {
            // Library code reading its own service's token and calling that service is an API client; gathering
            // what stealers gather, or several providers' secrets, is not.
            // Credential paths and single secrets are what ssh, git and API clients read: they count only on their
            // way to a drop site, or behind a CI check.
            boolean suspicious = !dropSites.isEmpty() || !ci.isEmpty();
            List<Located> gathered = concat(enumeration, stolen, suspicious ? sensitive : List.of(),
                    suspicious || providers(secrets) >= 2 ? secrets : List.of());
            if (!gathered.isEmpty()) {
                boolean worse = !ci.isEmpty() || dropper;
                findings.add(finding(ScanRules.LIBRARY_EXFILTRATION, worse ? Severity.CRITICAL : Severity.HIGH, name,
                        version, "the " + where + " " + summary(gathered) + " and " + egressSummary(dns, network, tools)
                                + (dropSites.isEmpty() ? "" : " to " + quoted(dropSites))
                                + (ci.isEmpty() ? "" : ", only in CI (" + quoted(ci) + ")")
                                + (tls.isEmpty() ? "" : ", with TLS verification off")
                                + ": code that runs in every program using it", chain(gathered, egress, dropSites, ci)));
            }
        }
        List<Located> constructors = of(signals, Signals.Kind.CONSTRUCTOR);
        List<Located> reach = concat(egress, processes, secrets);
        if (!buildTime && !constructors.isEmpty() && !reach.isEmpty()) {
            findings.add(finding(ScanRules.LOAD_TIME_CODE, ScanRules.LOAD_TIME_CODE.defaultSeverity(), name, version,
                    "the " + where + " puts code in a constructor section (" + quoted(constructors) + "), which runs "
                            + "before main, next to " + quoted(reach), chain(constructors, reach, List.of(), List.of())));
        }
        if (!tls.isEmpty()) {
            findings.add(finding(ScanRules.TLS_DISABLED, harvest.isEmpty() ? Severity.MEDIUM : Severity.HIGH, name,
                    version, "the " + where + " turns off TLS verification (" + quoted(tls) + ")", evidence(tls)));
        }
    }

    /** The finding with its first chain spelled out ({@code chain} attribute), when it has one. */
    private static Finding withChain(List<Located> flows, Finding finding) {
        if (flows.isEmpty()) {
            return finding;
        }
        return new Finding(finding.rule(), finding.severity(), finding.crate(), finding.version(), finding.message(),
                finding.evidence(), Map.of("chain", flows.getFirst().signal().detail()));
    }

    /** Each chain with its steps, then the CI checks that gate it. */
    private static List<Evidence> withSteps(List<Located> flows, List<Located> ci) {
        List<Evidence> evidence = new ArrayList<>();
        flows.stream().limit(2).forEach(l -> l.trail().stream().filter(e -> evidence.stream()
                .noneMatch(x -> x.file().equals(e.file()) && x.line() == e.line())).forEach(evidence::add));
        ci.stream().limit(2).forEach(l -> evidence.add(l.evidence()));
        return evidence;
    }

    /** What a chain takes, for a message: "AWS_SECRET_ACCESS_KEY", "every environment variable", "~/.ssh/id_rsa". */
    private static String taken(DataFlow.Chain chain) {
        String first = chain.steps().getFirst().what();
        return switch (chain.source()) {
            case SECRET_ENV -> "the secret " + first.substring("env ".length());
            case ENVIRONMENT -> "every environment variable";
            case CREDENTIAL_FILE -> "the contents of " + first.substring(first.indexOf(' ') + 1);
            case SWEPT_FILES -> "the contents of files found by walking directories";
            case DOWNLOAD -> "downloaded data";
        };
    }

    /** Names that are no provider: {@code API_KEY} belongs to whoever's API, {@code SECRET_TOKEN} to anyone's. */
    private static final Set<String> GENERIC = Set.of("API", "SECRET", "TOKEN", "ACCESS", "PRIVATE", "AUTH", "KEY",
            "PASSWORD", "CLIENT", "APP", "USER", "MY", "SERVICE", "BOT", "WEBHOOK", "DATABASE", "DB");

    /**
     * An API client: one named secret, of a provider whose domain the same code talks to (GITHUB_TOKEN and
     * api.github.com). Keys that sign — private keys, seeds, mnemonics — are sent nowhere by honest code.
     */
    private static boolean apiClient(DataFlow.Chain chain, List<Located> everywhere) {
        if (chain == null || chain.source() != DataFlow.Source.SECRET_ENV) {
            return false;
        }
        String secret = chain.steps().getFirst().what().substring("env ".length()).toUpperCase(Locale.ROOT);
        if (secret.contains("PRIVATE") || secret.contains("MNEMONIC") || secret.contains("SEED")
                || secret.contains("WALLET")) {
            return false;
        }
        String provider = secret.split("_")[0];
        if (provider.length() < 3 || GENERIC.contains(provider)) {
            return false;
        }
        String lower = provider.toLowerCase(Locale.ROOT);
        return of(everywhere, Signals.Kind.DOMAIN).stream()
                .anyMatch(l -> l.signal().detail().toLowerCase(Locale.ROOT).contains(lower));
    }

    /** What stealers gather: wallets and browser profiles, and key patterns when files are swept for them. */
    private static List<Located> stolen(List<Located> signals) {
        List<Located> keys = of(signals, Signals.Kind.KEY_PATTERN);
        List<Located> sweeps = of(signals, Signals.Kind.FILE_SWEEP);
        return concat(of(signals, Signals.Kind.WALLET_PATH), sweeps.isEmpty() || keys.isEmpty() ? List.of()
                : concat(sweeps, keys));
    }

    /** Everything secret the code takes: secret variables (also hidden in encoded literals), all of them, files. */
    private static List<Located> harvest(List<Located> signals) {
        return concat(of(signals, Signals.Kind.SECRET_ENV, Signals.Kind.COMPUTED_SECRET_ENV),
                of(signals, Signals.Kind.OBFUSCATED_LITERAL).stream().filter(l -> secretLike(l.signal().detail()))
                        .toList(), of(signals, Signals.Kind.ENV_ENUMERATION), of(signals, Signals.Kind.SENSITIVE_PATH),
                stolen(signals));
    }

    /** The steps of a chain, in order, a few of each: the evidence of a composite finding. */
    private static List<Evidence> chain(List<Located> first, List<Located> second, List<Located> third,
                                        List<Located> fourth) {
        List<Evidence> evidence = new ArrayList<>();
        for (List<Located> step : List.of(first, second, third, fourth)) {
            step.stream().limit(3).forEach(l -> evidence.add(l.evidence()));
        }
        return evidence;
    }

    /** A build script that runs an executable the crate ships (ELF, PE, Mach-O): its code is in no source file. */
    private static void shippedProgramsRun(CrateTree tree, List<Located> processes, String name, String version,
                                           List<Finding> findings) {
        Set<String> run = processes.stream().map(l -> l.signal().detail()).collect(Collectors.toSet());
        for (CrateTree.Entry entry : tree.entries()) {
            String file = entry.path().substring(entry.path().lastIndexOf('/') + 1);
            if (entry.type() != CrateTree.Type.FILE || !run.contains(file)) {
                continue;
            }
            String kind = magic(head(tree, entry));
            if (kind != null && kind.contains("executable")) {
                Located at = processes.stream().filter(l -> l.signal().detail().equals(file)).findFirst().orElseThrow();
                findings.add(finding(ScanRules.PREBUILT_PROGRAM, ScanRules.PREBUILT_PROGRAM.defaultSeverity(), name,
                        version, "the build script runs " + entry.path() + ", a compiled program the crate ships ("
                                + kind + "): its code is in no source file",
                        List.of(at.evidence(), Evidence.of(entry.path(), 0))));
            }
        }
    }

    /** Object files and static or shared libraries, by name: what a build script can hand to the linker. */
    private static boolean nativeLibrary(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".a") || lower.endsWith(".o") || lower.endsWith(".so") || lower.contains(".so.")
                || lower.endsWith(".lib") || lower.endsWith(".dll") || lower.endsWith(".dylib") || lower.endsWith(".obj");
    }

    /** How many providers' secrets ({@code AWS_…}, {@code GITHUB_…}) the names belong to. */
    private static long providers(List<Located> secrets) {
        return secrets.stream().map(l -> l.signal().detail().split("[_ ]")[0].toUpperCase(Locale.ROOT)).distinct()
                .count();
    }

    /** A signal and its file; a data-flow signal also keeps its chain. */
    private record Located(String file, Signals.Signal signal, DataFlow.Chain chain) {

        Located(String file, Signals.Signal signal) {
            this(file, signal, null);
        }

        Evidence evidence() {
            return new Evidence(file, signal.line(), signal.detail());
        }

        /** The evidence with a chain's every step where it is: the whole chain first, then each further place. */
        List<Evidence> trail() {
            List<Evidence> trail = new ArrayList<>(List.of(evidence()));
            if (chain != null) {
                for (DataFlow.Step step : chain.steps()) {
                    Evidence at = new Evidence(step.file(), step.line(), step.what());
                    if (trail.stream().noneMatch(e -> e.file().equals(at.file()) && e.line() == at.line())) {
                        trail.add(at);
                    }
                }
            }
            return trail;
        }
    }

    private static void judge(Role role, List<Located> signals, CrateTree tree, String name, String version,
                              List<Finding> findings, Set<Capability> capabilities) {
        List<Located> secrets = of(signals, Signals.Kind.SECRET_ENV, Signals.Kind.COMPUTED_SECRET_ENV);
        List<Located> obfuscated = of(signals, Signals.Kind.OBFUSCATED_LITERAL);
        List<Located> enumeration = of(signals, Signals.Kind.ENV_ENUMERATION);
        List<Located> sensitive = of(signals, Signals.Kind.SENSITIVE_PATH);
        List<Located> home = of(signals, Signals.Kind.HOME_DIRECTORY);
        List<Located> dns = of(signals, Signals.Kind.DNS);
        List<Located> network = of(signals, Signals.Kind.NETWORK);
        List<Located> tools = of(signals, Signals.Kind.NETWORK_TOOL);
        List<Located> processes = of(signals, Signals.Kind.PROCESS);
        List<Located> encoding = of(signals, Signals.Kind.ENCODING);
        List<Located> bytes = of(signals, Signals.Kind.INCLUDE_BYTES);
        List<Located> natives = of(signals, Signals.Kind.NATIVE);
        List<Located> domains = of(signals, Signals.Kind.DOMAIN);
        List<Located> ci = of(signals, Signals.Kind.CI_GATE);
        List<Located> tls = of(signals, Signals.Kind.TLS_DISABLED);
        List<Located> persistence = of(signals, Signals.Kind.PERSISTENCE_PATH);
        List<Located> wallets = of(signals, Signals.Kind.WALLET_PATH);
        List<Located> sweeps = of(signals, Signals.Kind.FILE_SWEEP);
        boolean buildTime = role.runsAtBuildTime();
        String where = role.label();

        describeEach(capabilities, role, secrets, "reads ");
        describeOnce(capabilities, role, enumeration, "reads every environment variable");
        describeEach(capabilities, role, sensitive, "refers to ");
        describeOnce(capabilities, role, home, "looks up the home directory");
        describeOnce(capabilities, role, dns, "resolves hostnames");
        describeOnce(capabilities, role, network, "opens network connections");
        describeEach(capabilities, role, tools, "runs ");
        describeEach(capabilities, role, processes, "runs ");
        describeOnce(capabilities, role, encoding, "encodes data (base64/hex)");
        describeOnce(capabilities, role, obfuscated, "hides text in encoded literals");
        describeOnce(capabilities, role, natives, "uses native code");
        describeOnce(capabilities, role, ci, "checks whether it runs in CI");
        describeOnce(capabilities, role, tls, "turns off TLS verification");
        describeOnce(capabilities, role, sweeps, "walks directories");
        describeEach(capabilities, role, wallets, "refers to ");
        describeEach(capabilities, role, persistence, "refers to ");

        List<Located> harvest = harvest(signals);
        List<Located> egress = concat(dns, network, tools);
        List<Located> linking = of(signals, Signals.Kind.LINK_DIRECTIVE);
        if (role == Role.BUILD_SCRIPT && !linking.isEmpty()) {
            List<String> shipped = tree.entries().stream().filter(e -> e.type() == CrateTree.Type.FILE)
                    .filter(e -> nativeLibrary(e.path()) && magic(head(tree, e)) != null).map(CrateTree.Entry::path)
                    .toList();
            if (!shipped.isEmpty()) {
                List<Evidence> evidence = new ArrayList<>(evidence(linking));
                shipped.stream().limit(3).forEach(path -> evidence.add(Evidence.of(path, 0)));
                findings.add(finding(ScanRules.PREBUILT_NATIVE, ScanRules.PREBUILT_NATIVE.defaultSeverity(), name,
                        version, "the build script links native code and the crate ships compiled libraries ("
                                + String.join(", ", shipped.stream().limit(3).toList()) + "): their code is in no "
                                + "source file", evidence));
            }
        }
        if (role == Role.BUILD_SCRIPT && !processes.isEmpty()) {
            shippedProgramsRun(tree, processes, name, version, findings);
        }
        // A chain is one piece of code: the build script (small, and all of it runs), or one file of a library
        // (a runtime like tokio has sockets in one module and set_permissions in another).
        if (buildTime) {
            composites(role, signals, signals, name, version, findings);
        } else {
            signals.stream().collect(Collectors.groupingBy(Located::file, LinkedHashMap::new, Collectors.toList()))
                    .values().forEach(file -> composites(role, file, signals, name, version, findings));
        }
        List<Located> flows = of(signals, Signals.Kind.FLOW_TO_DNS, Signals.Kind.FLOW_TO_NETWORK,
                Signals.Kind.FLOW_TO_PROCESS);
        if (buildTime && !egress.isEmpty() && (!harvest.isEmpty() || !flows.isEmpty())) {
            List<Evidence> evidence = new ArrayList<>(withSteps(flows, List.of()));
            for (List<Located> more : List.of(harvest, egress, domains)) {
                more.stream().limit(4).map(Located::evidence).filter(e -> !evidence.contains(e))
                        .forEach(evidence::add);
            }
            String taken = harvest.isEmpty() ? "sends " + taken(flows.getFirst().chain()) : summary(harvest);
            findings.add(withChain(flows, finding(ScanRules.EXFILTRATION, Severity.CRITICAL, name, version,
                    "the " + where + " " + taken + " and " + egressSummary(dns, network, tools)
                            + (encoding.isEmpty() ? "" : ", encoding data") + ": the shape of a secret-stealing payload",
                    evidence)));
        }
        Severity high = buildTime ? Severity.HIGH : Severity.MEDIUM;
        if (!secrets.isEmpty()) {
            findings.add(finding(ScanRules.SECRET_ENV, high, name, version, "the " + where + " "
                    + summary(secrets), evidence(secrets)));
        }
        if (!obfuscated.isEmpty()) {
            findings.add(finding(ScanRules.OBFUSCATED, high, name, version, "the " + where + " hides "
                    + quoted(obfuscated) + " in encoded literals", evidence(obfuscated)));
        }
        if (!sensitive.isEmpty() || buildTime && !home.isEmpty()) {
            List<Located> paths = concat(sensitive, buildTime ? home : List.of());
            findings.add(finding(ScanRules.SENSITIVE_PATH, sensitive.isEmpty() ? Severity.MEDIUM : high, name,
                    version, "the " + where + " refers to " + quoted(paths), evidence(paths)));
        }
        if (!tools.isEmpty()) {
            findings.add(finding(ScanRules.NETWORK_TOOL, high, name, version, "the " + where + " runs "
                    + quoted(tools), evidence(tools)));
        }
        if (!buildTime) {
            return;
        }
        if (!enumeration.isEmpty()) {
            findings.add(finding(ScanRules.ENV_ENUMERATION, ScanRules.ENV_ENUMERATION.defaultSeverity(), name, version,
                    "the " + where + " reads every environment variable", evidence(enumeration)));
        }
        if (!dns.isEmpty() || !network.isEmpty()) {
            List<Located> both = concat(dns, network);
            findings.add(finding(ScanRules.NETWORK, Severity.HIGH, name, version, "the " + where + " "
                    + egressSummary(dns, network, List.of()) + " (" + quoted(both) + ")", evidence(both)));
        }
        if (!encoding.isEmpty()) {
            findings.add(finding(ScanRules.ENCODING, ScanRules.ENCODING.defaultSeverity(), name, version,
                    "the " + where + " encodes data (" + quoted(encoding) + ")", evidence(encoding)));
        }
        if (!processes.isEmpty()) {
            findings.add(finding(ScanRules.PROCESS, Severity.INFO, name, version, "the " + where + " runs "
                    + quoted(processes), evidence(processes)));
        }
        for (Located include : bytes) {
            boolean binary = tree.find(resolveRelative(include.file(), include.signal().detail()))
                    .filter(e -> e.type() == CrateTree.Type.FILE).map(e -> magic(tree.read(e)) != null).orElse(false);
            findings.add(finding(ScanRules.EMBEDDED_BYTES, binary ? Severity.HIGH : Severity.LOW, name, version,
                    "the " + where + " embeds " + include.signal().detail() + (binary ? ", a binary" : ""),
                    List.of(include.evidence())));
        }
        if (!natives.isEmpty()) {
            findings.add(finding(ScanRules.NATIVE, Severity.INFO, name, version, "the " + where + " uses native code ("
                    + quoted(natives) + ")", evidence(natives)));
        }
    }

    private static void hygiene(CrateTree tree, PackageInfo pkg, boolean packaged, Boolean checksumMatches,
                                String name, String version, Set<String> buildFiles, List<Finding> findings) {
        if (Boolean.FALSE.equals(checksumMatches)) {
            findings.add(finding(ScanRules.CHECKSUM_MISMATCH, Severity.CRITICAL, name, version, tree.origin()
                    + " does not match the checksum recorded in Cargo.lock: the download was altered",
                    List.of(Evidence.of(tree.origin(), 0))));
        }
        // Scripts, executables and stray files come in dozens in some crates (ring ships 34 perl scripts): one
        // finding per kind, listing the files, keeps the report readable.
        Map<String, Set<String>> scripts = new TreeMap<>();
        Set<String> executables = new TreeSet<>();
        Set<String> unexpected = new TreeSet<>();
        for (CrateTree.Entry entry : tree.entries()) {
            String path = entry.path();
            switch (entry.type()) {
                case SYMLINK, HARDLINK -> findings.add(finding(ScanRules.LINK, ScanRules.LINK.defaultSeverity(), name,
                        version, path + " is a " + (entry.type() == CrateTree.Type.SYMLINK ? "symbolic" : "hard")
                                + " link" + (entry.linkTarget() == null ? "" : " to " + entry.linkTarget()),
                        List.of(Evidence.of(path, 0))));
                case FILE -> {
                    byte[] head = head(tree, entry);
                    String binary = magic(head);
                    boolean script = head.length > 2 && head[0] == '#' && head[1] == '!' && !path.endsWith(".rs");
                    boolean test = path.startsWith("tests/") || path.startsWith("benches/") || path.startsWith("examples/");
                    if (binary != null) {
                        findings.add(finding(ScanRules.BINARY, test ? Severity.LOW : ScanRules.BINARY.defaultSeverity(),
                                name, version, path + " is binary (" + binary + ")", List.of(Evidence.of(path, 0))));
                    } else if (script) {
                        scripts.computeIfAbsent(interpreter(firstLine(head)), i -> new TreeSet<>()).add(path);
                    }
                    if (entry.executable() && binary == null && !script) {
                        executables.add(path);
                    }
                    if (packaged && pkg != null && !shipped(path, pkg, buildFiles)) {
                        unexpected.add(path);
                    }
                }
                default -> {
                }
            }
        }
        if (!scripts.isEmpty()) {
            Set<String> all = new TreeSet<>();
            scripts.values().forEach(all::addAll);
            findings.add(grouped(ScanRules.SCRIPT, name, version, all, 1, "ships " + count(all.size(), "script")
                    + " run by " + String.join(", ", scripts.keySet())));
        }
        if (!executables.isEmpty()) {
            findings.add(grouped(ScanRules.EXECUTABLE, name, version, executables, 0,
                    "ships " + count(executables.size(), "file") + " marked executable: " + sample(executables)));
        }
        if (!unexpected.isEmpty()) {
            findings.add(grouped(ScanRules.UNEXPECTED_FILE, name, version, unexpected, 0,
                    "ships " + count(unexpected.size(), "file") + " its own include/exclude rules would not package: "
                            + sample(unexpected)));
        }
        if (packaged && tree.find(".cargo_vcs_info.json").isEmpty()) {
            findings.add(finding(ScanRules.NO_VCS_INFO, Severity.INFO, name, version,
                    "no .cargo_vcs_info.json: the commit this package was built from is unknown",
                    List.of(Evidence.of("Cargo.toml", 0))));
        }
    }

    /** Cargo's packaging rules: {@code include} (if any) selects files, else everything but {@code exclude}. */
    static boolean shipped(String path, PackageInfo pkg, Set<String> buildFiles) {
        if (ALWAYS_SHIPPED.contains(path) || buildFiles.contains(path)) {
            return true;
        }
        if (!pkg.include().isEmpty()) {
            return pkg.include().stream().anyMatch(pattern -> GitignoreGlob.matches(pattern, path));
        }
        return pkg.exclude().stream().noneMatch(pattern -> GitignoreGlob.matches(pattern, path));
    }

    private static Manifest manifest(CrateTree tree) {
        return tree.find("Cargo.toml").filter(e -> e.type() == CrateTree.Type.FILE).map(entry -> {
            try {
                return ManifestParser.parse(new String(tree.read(entry), StandardCharsets.UTF_8),
                        Path.of(tree.origin()).resolve("Cargo.toml"));
            } catch (WardenException e) {
                return null;
            }
        }).orElse(null);
    }

    /** The build script and the files it pulls in with {@code mod x;}, {@code #[path]} or {@code include!}. */
    static Set<String> buildScriptFiles(CrateTree tree, PackageInfo pkg) {
        Set<String> files = new LinkedHashSet<>();
        if (pkg != null && pkg.buildDisabled()) {
            return files;
        }
        String script = pkg == null || pkg.build() == null ? "build.rs" : pkg.build().replace('\\', '/');
        if (script.startsWith("./")) {
            script = script.substring(2);
        }
        List<String> pending = new ArrayList<>(List.of(script));
        while (!pending.isEmpty()) {
            String file = pending.removeFirst();
            if (!tree.isFile(file) || !files.add(file)) {
                continue;
            }
            Tokens tokens = RustLexer.lex(tree.read(tree.find(file).orElseThrow()));
            String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/') + 1) : "";
            String explicitPath = null;
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.isIdent(i, "path") && tokens.isPunct(i + 1, '=') && tokens.isString(i + 2)) {
                    explicitPath = tokens.stringValue(i + 2);
                } else if (tokens.isIdent(i, "mod") && i + 2 < tokens.size() && tokens.kind(i + 1) == Tokens.IDENT
                        && tokens.isPunct(i + 2, ';')) {
                    String module = tokens.text(i + 1);
                    if (explicitPath != null) {
                        pending.add(resolveRelative(file, explicitPath));
                    } else {
                        pending.add(dir + module + ".rs");
                        pending.add(dir + module + "/mod.rs");
                    }
                    explicitPath = null;
                } else if (tokens.isIdent(i, "include") && tokens.isPunct(i + 1, '!') && tokens.isString(i + 3)) {
                    pending.add(resolveRelative(file, tokens.stringValue(i + 3)));
                }
            }
        }
        return files;
    }

    private static Role role(String path, Set<String> buildFiles, boolean procMacro) {
        if (buildFiles.contains(path)) {
            return Role.BUILD_SCRIPT;
        }
        if (path.startsWith("tests/") || path.startsWith("examples/") || path.startsWith("benches/")) {
            return Role.TEST;
        }
        return procMacro ? Role.PROC_MACRO : Role.LIBRARY;
    }

    static String resolveRelative(String file, String target) {
        String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/') + 1) : "";
        return Path.of(dir + target).normalize().toString().replace('\\', '/');
    }

    static String magic(byte[] head) {
        for (Map.Entry<String, byte[]> magic : MAGIC.entrySet()) {
            byte[] m = magic.getValue();
            if (head.length >= m.length && Arrays.equals(head, 0, m.length, m, 0, m.length)) {
                // "MZ" alone is too common a text start; a PE file also says "This program" or has a PE header.
                if (magic.getKey().startsWith("Windows") && head.length < 64) {
                    continue;
                }
                return magic.getKey();
            }
        }
        return null;
    }

    private static byte[] head(CrateTree tree, CrateTree.Entry entry) {
        return tree.head(entry, 256);
    }

    private static String firstLine(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }

    private static boolean secretLike(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        return upper.contains("SECRET") || upper.contains("TOKEN") || upper.contains("PASSWORD")
                || upper.contains("KEY") || upper.contains("AWS_") || upper.contains("GITHUB");
    }

    private static String summary(List<Located> harvest) {
        Set<String> parts = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (Located l : harvest) {
            switch (l.signal().kind()) {
                case SECRET_ENV -> names.add(l.signal().detail());
                case COMPUTED_SECRET_ENV -> parts.add("reads an environment variable whose " + l.signal().detail());
                case ENV_ENUMERATION -> parts.add("reads every environment variable");
                case SENSITIVE_PATH -> parts.add("refers to " + l.signal().detail());
                case OBFUSCATED_LITERAL -> parts.add("decodes \"" + l.signal().detail() + "\"");
                default -> {
                }
            }
        }
        if (!names.isEmpty()) {
            parts.add("reads " + names.stream().distinct().collect(Collectors.joining(", ")));
        }
        return String.join(", ", parts);
    }

    private static String egressSummary(List<Located> dns, List<Located> network, List<Located> tools) {
        List<String> parts = new ArrayList<>();
        if (!dns.isEmpty()) {
            parts.add("resolves hostnames");
        }
        if (!network.isEmpty()) {
            parts.add("opens network connections");
        }
        if (!tools.isEmpty()) {
            parts.add("runs " + tools.stream().map(l -> l.signal().detail()).distinct().collect(Collectors.joining(", ")));
        }
        return String.join(" and ", parts);
    }

    /** One capability per distinct detail: "reads AWS_SECRET_ACCESS_KEY", "runs curl". */
    private static void describeEach(Set<Capability> capabilities, Role role, List<Located> signals, String prefix) {
        for (Located l : signals) {
            capabilities.add(new Capability(role, prefix + l.signal().detail()));
        }
    }

    /** One capability for the whole kind: "resolves hostnames". */
    private static void describeOnce(Set<Capability> capabilities, Role role, List<Located> signals, String text) {
        if (!signals.isEmpty()) {
            capabilities.add(new Capability(role, text));
        }
    }

    private static List<Located> of(List<Located> signals, Signals.Kind... kinds) {
        Set<Signals.Kind> wanted = Set.of(kinds);
        return signals.stream().filter(l -> wanted.contains(l.signal().kind())).toList();
    }

    @SafeVarargs
    private static List<Located> concat(List<Located>... lists) {
        List<Located> all = new ArrayList<>();
        for (List<Located> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static String quoted(List<Located> signals) {
        return signals.stream().map(l -> l.signal().detail()).distinct().limit(6).collect(Collectors.joining(", "));
    }

    private static List<Evidence> evidence(List<Located> signals) {
        return signals.stream().map(Located::evidence).distinct().limit(8).toList();
    }

    /** One finding for many files of the same kind, each file an evidence entry. */
    private static Finding grouped(Rule rule, String crate, String version, Set<String> paths, int line,
                                   String message) {
        return finding(rule, rule.defaultSeverity(), crate, version, message,
                paths.stream().map(p -> Evidence.of(p, line)).toList());
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The first few paths, for a message: "a, b, c and 5 more". */
    private static String sample(Set<String> paths) {
        List<String> first = paths.stream().limit(3).toList();
        return String.join(", ", first) + (paths.size() > 3 ? " and " + (paths.size() - 3) + " more" : "");
    }

    /** {@code #!/usr/bin/env python2} → python2, {@code #! /usr/bin/perl -w} → perl. */
    static String interpreter(String shebang) {
        String[] words = shebang.substring(2).trim().split("\\s+");
        String program = words[0].substring(words[0].lastIndexOf('/') + 1);
        if (program.equals("env") && words.length > 1) {
            int k = 1;
            while (k < words.length - 1 && words[k].startsWith("-")) {
                k++;
            }
            program = words[k];
        }
        return program.isEmpty() ? "an unnamed interpreter" : program;
    }

    private static Finding finding(Rule rule, Severity severity, String crate, String version, String message,
                                   List<Evidence> evidence) {
        return new Finding(rule, severity, crate, version, message, evidence, Map.of());
    }
}
