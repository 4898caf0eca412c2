package dev.warden.expose;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;
import dev.warden.core.Severity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges build events as they arrive. In an offline, sandboxed build nothing has a reason to resolve a name or open a
 * connection, so every attempt is an alert; what the attempt carried makes it critical (a planted or real secret
 * decoded from the query's labels) or explains it (encoded labels, many sub-domains). Persistence, privileged calls,
 * unix sockets and processes that try to outlive the build are high on their own, and critical from a crate that
 * also went for a secret. Programs a clean build of the same project never ran are reported against its baseline.
 * Every message is written through the {@link Redactor}: real secrets never appear in one.
 */
public final class Detector {

    /** More unique sub-domains of one domain than this in one build is a channel, not a lookup. */
    static final int MANY_SUBDOMAINS = 10;
    private static final Set<String> NETWORK_TOOLS = Set.of("curl", "wget", "nc", "ncat", "netcat", "socat",
            "nslookup", "dig", "host", "ping", "ssh", "scp", "sftp", "telnet", "ftp", "rsync", "aria2c", "openssl");

    /** Alerts that show intent to stay or to break out; with a secret read by the same crate, critical. */
    private static final Set<Rule> INTENT = Set.of(ExposeRules.PERSISTENCE, ExposeRules.PRIVILEGED_CALL,
            ExposeRules.UNIX_CONNECT, ExposeRules.OUTLIVED, ExposeRules.EGRESS, ExposeRules.NETWORK_TOOL,
            ExposeRules.EVASION);
    private static final Set<Rule> SECRET_READS = Set.of(ExposeRules.SECRET_FILE, ExposeRules.ENVIRON_READ);

    private final Map<String, String> secrets;
    private final Redactor redactor;
    private final Set<String> knownExecutables;
    private final Map<String, String> secretReadBy = new HashMap<>();
    private final Map<String, String> intentBy = new HashMap<>();
    private final Map<String, Set<String>> subdomains = new HashMap<>();
    private final Set<String> raised = new HashSet<>();
    private final Set<String> reportedDomains = new HashSet<>();

    /**
     * @param secrets          planted canary values by the secret's name, looked for in everything leaving
     * @param redactor         the real secrets, looked for too, and masked in every message
     * @param knownExecutables programs earlier clean builds ran (empty: no baseline yet, nothing is "first seen")
     */
    public Detector(Map<String, String> secrets, Redactor redactor, Set<String> knownExecutables) {
        this.secrets = Map.copyOf(secrets);
        this.redactor = redactor;
        this.knownExecutables = Set.copyOf(knownExecutables);
    }

    /**
     * The alert an event raises, if any. The same alert for the same crate and target is raised once (a resolver
     * asks for A and AAAA, and retries): the events all stay in the log.
     */
    public Optional<Finding> judge(BuildEvent event) {
        return assess(event).filter(f -> raised.add(f.id() + '\0' + f.crate() + '\0' + event.target()))
                .map(this::combined);
    }

    /** A secret read and an attempt to keep or move it, by one crate: the second of the two is critical. */
    private Finding combined(Finding finding) {
        String crate = finding.crate() == null ? "" : finding.crate();
        if (SECRET_READS.contains(finding.rule())) {
            secretReadBy.putIfAbsent(crate, finding.message());
            String intent = intentBy.get(crate);
            return intent == null ? finding : escalated(finding, "after its " + intent + " alert");
        }
        if (INTENT.contains(finding.rule()) && finding.severity() == Severity.HIGH) {
            intentBy.putIfAbsent(crate, finding.rule().code());
            String read = secretReadBy.get(crate);
            return read == null ? finding : escalated(finding, "after it went for a secret");
        }
        return finding;
    }

    private static Finding escalated(Finding finding, String why) {
        return new Finding(finding.rule(), Severity.CRITICAL, finding.crate(), finding.version(),
                finding.message() + " (" + why + ")", finding.evidence(), finding.attributes());
    }

    private Optional<Finding> assess(BuildEvent event) {
        Actor actor = event.actor();
        String who = actor.describe();
        String target = redactor.text(event.target());
        String blocked = event.blocked() ? " (blocked: " + event.error() + ")" : "";
        return switch (event.kind()) {
            case DNS -> dns(event, who);
            case CONNECT -> event.target().startsWith("unix:")
                    ? alert(ExposeRules.UNIX_CONNECT, event, who + " connected to the unix socket "
                            + target.substring(5) + (event.blocked() ? " (failed: " + event.error() + ")" : ""), Map.of())
                    : event.target().startsWith("127.") || event.target().startsWith("[::1]")
                    ? Optional.empty()
                    : alert(ExposeRules.EGRESS, event, who + " tried to connect to " + target + blocked, Map.of());
            case SEND -> alert(ExposeRules.EGRESS, event, who + " tried to send data to " + target + blocked, Map.of());
            case FILE -> event.detail().startsWith("write")
                    ? alert(ExposeRules.WRITE_OUTSIDE, event, who + " tried to write " + target + " ("
                            + event.error() + ")", Map.of())
                    : event.target().startsWith("/proc/")
                    ? alert(ExposeRules.ENVIRON_READ, event, who + " read " + target, Map.of())
                    : alert(ExposeRules.SECRET_FILE, event, who + " opened " + target
                            + " (hidden by the sandbox: it found a decoy or nothing)", Map.of());
            case PERSISTENCE -> alert(ExposeRules.PERSISTENCE, event, who + " " + event.detail() + " " + target
                    + (event.blocked() ? " (" + event.error() + ")" : " (inside the sandbox's private copy)"), Map.of());
            case PRIVILEGED -> alert(ExposeRules.PRIVILEGED_CALL, event, who + " called " + target
                    + (event.blocked() ? " (denied: " + event.error() + ")" : " (it was not denied)"), Map.of());
            case LISTEN -> alert(ExposeRules.LISTEN, event, who + " called " + event.detail() + " on " + target,
                    Map.of());
            case EVASION -> alert(ExposeRules.EVASION, event, who + " used " + target + ": "
                    + redactor.text(event.detail()), Map.of());
            case OUTLIVED -> alert(ExposeRules.OUTLIVED, event, who + " (" + target + ", pid " + event.pid()
                    + ") was still running when the build ended", Map.of());
            case ANOMALY -> alert(ExposeRules.MONITOR_ANOMALY, event, event.detail() + ": " + target, Map.of());
            case EXEC -> exec(event, actor, who);
        };
    }

    private Optional<Finding> dns(BuildEvent event, String who) {
        DnsQuery query = DnsQuery.ofName(event.target());
        String shown = redactor.dnsName(event.target());
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("query", shown);
        facts.put("domain", query.domain());
        Optional<ExfiltrationSignals.SecretMatch> secret = ExfiltrationSignals.secretIn(query.subdomain(), secrets);
        String kind = "the decoy ";
        if (secret.isEmpty()) {
            secret = ExfiltrationSignals.secretIn(query.subdomain(), redactor.secrets());
            kind = "the real value of ";
        }
        if (secret.isPresent()) {
            List<String> names = secret.get().secretNames();
            facts.put("secrets", String.join(", ", names));
            facts.put("encoding", secret.get().encoding().name().toLowerCase(Locale.ROOT));
            return alert(ExposeRules.DNS_EXFILTRATION, event, who + " sent " + kind + String.join(" and ", names)
                    + " out in a DNS query for " + shown + " ("
                    + secret.get().encoding().name().toLowerCase(Locale.ROOT) + "-encoded)", facts);
        }
        Optional<String> encoded = ExfiltrationSignals.looksEncoded(query.subdomain());
        if (encoded.isPresent()) {
            return alert(ExposeRules.DNS_ENCODED, event, who + " looked up " + shown + ": "
                    + encoded.get() + " is data, not a hostname", facts);
        }
        Set<String> seen = subdomains.computeIfAbsent(query.domain(), d -> new HashSet<>());
        seen.add(String.join(".", query.subdomain()));
        if (seen.size() >= MANY_SUBDOMAINS && reportedDomains.add(query.domain())) {
            return alert(ExposeRules.DNS_MANY_SUBDOMAINS, event, who + " looked up " + seen.size()
                    + " different names under " + query.domain(), facts);
        }
        return alert(ExposeRules.EGRESS, event, who + " tried to resolve " + shown + " during an offline build", facts);
    }

    private Optional<Finding> exec(BuildEvent event, Actor actor, String who) {
        String program = event.target().substring(event.target().lastIndexOf('/') + 1);
        if (!actor.role().untrusted()) {
            return Optional.empty();
        }
        String argv = redactor.text(event.detail());
        if (NETWORK_TOOLS.contains(program)) {
            return alert(ExposeRules.NETWORK_TOOL, event, who + " ran " + program + " " + argv
                    + (event.blocked() ? " (failed: " + event.error() + ")" : ""), Map.of("argv", argv));
        }
        // A build script's own binary changes path with every change to it: it is the crate's code, not a new tool.
        if (!knownExecutables.isEmpty() && !knownExecutables.contains(event.target()) && !event.blocked()
                && !program.startsWith("build-script-")) {
            return alert(ExposeRules.FIRST_SEEN_EXECUTABLE, event, who + " ran " + redactor.text(event.target())
                    + ", which no earlier clean build ran", Map.of("argv", argv));
        }
        return Optional.empty();
    }

    private Optional<Finding> alert(Rule rule, BuildEvent event, String message, Map<String, String> facts) {
        Actor actor = event.actor();
        Map<String, String> attributes = new LinkedHashMap<>(facts);
        attributes.put("role", actor.role().label());
        attributes.put("process", redactor.text(actor.program()) + " (pid " + event.pid() + ")");
        String target = event.kind() == BuildEvent.Kind.DNS ? redactor.dnsName(event.target())
                : redactor.text(event.target());
        return Optional.of(new Finding(rule, rule.defaultSeverity(), actor.blamed(), null, redactor.text(message),
                List.of(new Evidence("build event", 0, event.kind().label() + " " + target)), attributes));
    }
}
