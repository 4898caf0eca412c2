package dev.warden.expose;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Rule;

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
 * connection, so every attempt is an alert; what the attempt carried makes it critical (a planted secret decoded
 * from the query's labels) or explains it (encoded labels, many sub-domains). Programs a clean build of the same
 * project never ran are reported against its baseline.
 */
public final class Detector {

    /** More unique sub-domains of one domain than this in one build is a channel, not a lookup. */
    static final int MANY_SUBDOMAINS = 10;
    private static final Set<String> NETWORK_TOOLS = Set.of("curl", "wget", "nc", "ncat", "netcat", "socat",
            "nslookup", "dig", "host", "ping", "ssh", "scp", "sftp", "telnet", "ftp", "rsync", "aria2c", "openssl");

    private final Map<String, String> secrets;
    private final Set<String> knownExecutables;
    private final Map<String, Set<String>> subdomains = new HashMap<>();
    private final Set<String> raised = new HashSet<>();
    private final Set<String> reportedDomains = new HashSet<>();

    /**
     * @param secrets          planted canary values by the secret's name, looked for in everything leaving
     * @param knownExecutables programs earlier clean builds ran (empty: no baseline yet, nothing is "first seen")
     */
    public Detector(Map<String, String> secrets, Set<String> knownExecutables) {
        this.secrets = Map.copyOf(secrets);
        this.knownExecutables = Set.copyOf(knownExecutables);
    }

    /**
     * The alert an event raises, if any. The same alert for the same crate and target is raised once (a resolver
     * asks for A and AAAA, and retries): the events all stay in the log.
     */
    public Optional<Finding> judge(BuildEvent event) {
        return assess(event).filter(f -> raised.add(f.id() + '\0' + f.crate() + '\0' + event.target()));
    }

    private Optional<Finding> assess(BuildEvent event) {
        Actor actor = event.actor();
        String who = actor.describe();
        return switch (event.kind()) {
            case DNS -> dns(event, who);
            case CONNECT -> event.target().startsWith("127.") || event.target().startsWith("[::1]")
                    ? Optional.empty()
                    : alert(ExposeRules.EGRESS, event, who + " tried to connect to " + event.target()
                            + (event.blocked() ? " (blocked: " + event.error() + ")" : ""), Map.of());
            case SEND -> alert(ExposeRules.EGRESS, event, who + " tried to send data to " + event.target()
                    + (event.blocked() ? " (blocked: " + event.error() + ")" : ""), Map.of());
            case FILE -> event.detail().startsWith("write")
                    ? alert(ExposeRules.WRITE_OUTSIDE, event, who + " tried to write " + event.target() + " ("
                            + event.error() + ")", Map.of())
                    : event.target().startsWith("/proc/")
                    ? alert(ExposeRules.ENVIRON_READ, event, who + " read " + event.target(), Map.of())
                    : alert(ExposeRules.SECRET_FILE, event, who + " opened " + event.target()
                            + " (hidden by the sandbox: it found a decoy)", Map.of());
            case EVASION -> alert(ExposeRules.EVASION, event, who + " used " + event.target() + ": " + event.detail(),
                    Map.of());
            case OUTLIVED -> alert(ExposeRules.OUTLIVED, event, who + " (" + event.target() + ", pid " + event.pid()
                    + ") was still running when the build ended", Map.of());
            case EXEC -> exec(event, actor, who);
        };
    }

    private Optional<Finding> dns(BuildEvent event, String who) {
        DnsQuery query = DnsQuery.ofName(event.target());
        Optional<ExfiltrationSignals.SecretMatch> secret = ExfiltrationSignals.secretIn(query.subdomain(), secrets);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("query", event.target());
        facts.put("domain", query.domain());
        if (secret.isPresent()) {
            List<String> names = secret.get().secretNames();
            facts.put("secrets", String.join(", ", names));
            facts.put("encoding", secret.get().encoding().name().toLowerCase(Locale.ROOT));
            return alert(ExposeRules.DNS_EXFILTRATION, event, who + " sent the decoy " + String.join(" and ", names)
                    + " out in a DNS query for " + event.target() + " ("
                    + secret.get().encoding().name().toLowerCase(Locale.ROOT) + "-encoded)", facts);
        }
        Optional<String> encoded = ExfiltrationSignals.looksEncoded(query.subdomain());
        if (encoded.isPresent()) {
            return alert(ExposeRules.DNS_ENCODED, event, who + " looked up " + event.target() + ": "
                    + encoded.get() + " is data, not a hostname", facts);
        }
        Set<String> seen = subdomains.computeIfAbsent(query.domain(), d -> new HashSet<>());
        seen.add(String.join(".", query.subdomain()));
        if (seen.size() >= MANY_SUBDOMAINS && reportedDomains.add(query.domain())) {
            return alert(ExposeRules.DNS_MANY_SUBDOMAINS, event, who + " looked up " + seen.size()
                    + " different names under " + query.domain(), facts);
        }
        return alert(ExposeRules.EGRESS, event, who + " tried to resolve " + event.target() + " during an offline build",
                facts);
    }

    private Optional<Finding> exec(BuildEvent event, Actor actor, String who) {
        String program = event.target().substring(event.target().lastIndexOf('/') + 1);
        if (!actor.role().untrusted()) {
            return Optional.empty();
        }
        if (NETWORK_TOOLS.contains(program)) {
            return alert(ExposeRules.NETWORK_TOOL, event, who + " ran " + program + " " + event.detail()
                    + (event.blocked() ? " (failed: " + event.error() + ")" : ""), Map.of("argv", event.detail()));
        }
        // A build script's own binary changes path with every change to it: it is the crate's code, not a new tool.
        if (!knownExecutables.isEmpty() && !knownExecutables.contains(event.target()) && !event.blocked()
                && !program.startsWith("build-script-")) {
            return alert(ExposeRules.FIRST_SEEN_EXECUTABLE, event, who + " ran " + event.target()
                    + ", which no earlier clean build ran", Map.of("argv", event.detail()));
        }
        return Optional.empty();
    }

    private static Optional<Finding> alert(Rule rule, BuildEvent event, String message, Map<String, String> facts) {
        Actor actor = event.actor();
        Map<String, String> attributes = new LinkedHashMap<>(facts);
        attributes.put("role", actor.role().label());
        attributes.put("process", actor.program() + " (pid " + event.pid() + ")");
        return Optional.of(new Finding(rule, rule.defaultSeverity(), actor.blamed(), null, message,
                List.of(new Evidence("build event", 0, event.kind().label() + " " + event.target())), attributes));
    }
}
