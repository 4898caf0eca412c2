package dev.warden.limit.egress;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes an {@link EgressPolicy} in the forms platforms enforce: Kubernetes {@code NetworkPolicy} (addresses only),
 * Cilium {@code CiliumNetworkPolicy} (names, through its DNS proxy), a step-security/harden-runner step, and an
 * nftables ruleset. Each allows the fetch stage exactly its destinations and the build stage nothing. YAML is written
 * by SnakeYAML Engine, so every value is quoted as YAML needs.
 */
public final class PolicyFiles {

    /** The pod label that says which stage a build pod runs. */
    public static final String STAGE_LABEL = "warden.dev/stage";

    /** The forms {@code warden egress-policy --for} writes. */
    public enum Target {
        KUBERNETES, CILIUM, HARDEN_RUNNER, NFTABLES;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private PolicyFiles() {
    }

    public static void write(Target target, EgressPolicy policy, String project, PrintWriter out) {
        switch (target) {
            case KUBERNETES -> kubernetes(policy, project, out);
            case CILIUM -> cilium(policy, project, out);
            case HARDEN_RUNNER -> hardenRunner(policy, out);
            case NFTABLES -> nftables(policy, project, out);
        }
    }

    private static void kubernetes(EgressPolicy policy, String project, PrintWriter out) {
        comment(out, "Warden egress policy for " + sanitize(project) + ", " + source(policy) + ". Pods labelled "
                + STAGE_LABEL + "=fetch reach DNS and the registries' addresses; pods labelled " + STAGE_LABEL
                + "=build reach nothing. NetworkPolicy matches addresses, not names: refresh this file when the "
                + "registries' addresses change, or use --for cilium, which follows names.");
        if (policy.addresses().isEmpty()) {
            comment(out, "No address is known yet, so the fetch stage may only resolve names: run `warden fetch` "
                    + "(with strace installed) to learn the addresses.");
        }
        List<Object> egress = new ArrayList<>();
        egress.add(dnsRule());
        Map<Integer, List<Object>> byPort = new TreeMap<>();
        for (Destination address : policy.addresses()) {
            byPort.computeIfAbsent(address.port(), p -> new ArrayList<>()).add(Map.of("ipBlock",
                    Map.of("cidr", address.host() + (address.ipv6() ? "/128" : "/32"))));
        }
        byPort.forEach((port, to) -> egress.add(map("to", to, "ports", List.of(map("protocol", "TCP", "port", port)))));
        Map<String, Object> fetch = networkPolicy("warden-fetch", "fetch", policy);
        spec(fetch).put("egress", egress);
        Map<String, Object> build = networkPolicy("warden-build", "build", policy);
        out.print(yaml(List.of(fetch, build)));
    }

    private static Map<String, Object> networkPolicy(String name, String stage, EgressPolicy policy) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("podSelector", Map.of("matchLabels", Map.of(STAGE_LABEL, stage)));
        spec.put("policyTypes", List.of("Egress"));
        return map("apiVersion", "networking.k8s.io/v1", "kind", "NetworkPolicy", "metadata", metadata(name, stage,
                policy), "spec", spec);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("spec");
    }

    private static Map<String, Object> metadata(String name, String stage, EgressPolicy policy) {
        String allowed = stage.equals("fetch") ? String.join(" ", policy.names().keySet().stream()
                .map(Destination::key).toList()) : "none";
        return map("name", name, "labels", Map.of("app.kubernetes.io/managed-by", "warden"),
                "annotations", Map.of("warden.dev/allowed-endpoints", allowed.isEmpty() ? "none" : allowed));
    }

    /** DNS to the cluster's resolver (kube-dns / CoreDNS in kube-system). */
    private static Map<String, Object> dnsRule() {
        return map("to", List.of(map("namespaceSelector", Map.of("matchLabels",
                        Map.of("kubernetes.io/metadata.name", "kube-system")),
                "podSelector", Map.of("matchLabels", Map.of("k8s-app", "kube-dns")))),
                "ports", List.of(map("protocol", "UDP", "port", 53), map("protocol", "TCP", "port", 53)));
    }

    private static void cilium(EgressPolicy policy, String project, PrintWriter out) {
        comment(out, "Warden egress policy for " + sanitize(project) + ", " + source(policy) + ". Pods labelled "
                + STAGE_LABEL + "=fetch reach the registries by name (through Cilium's DNS proxy); pods labelled "
                + STAGE_LABEL + "=build reach nothing.");
        List<Object> dnsNames = new ArrayList<>();
        List<Object> fqdns = new ArrayList<>();
        for (String host : policy.hostNames()) {
            dnsNames.add(Map.of("matchName", host));
            fqdns.add(Map.of("matchName", host));
        }
        List<Object> egress = new ArrayList<>();
        egress.add(map("toEndpoints", List.of(Map.of("matchLabels", map("k8s:io.kubernetes.pod.namespace",
                        "kube-system", "k8s:k8s-app", "kube-dns"))),
                "toPorts", List.of(map("ports", List.of(map("port", "53", "protocol", "ANY")),
                        "rules", Map.of("dns", dnsNames)))));
        if (!fqdns.isEmpty()) {
            List<Object> ports = new ArrayList<>();
            for (int port : new TreeSet<>(policy.names().keySet().stream().map(Destination::port).toList())) {
                ports.add(map("port", String.valueOf(port), "protocol", "TCP"));
            }
            egress.add(map("toFQDNs", fqdns, "toPorts", List.of(Map.of("ports", ports))));
        }
        Map<String, Object> fetch = map("apiVersion", "cilium.io/v2", "kind", "CiliumNetworkPolicy",
                "metadata", metadata("warden-fetch", "fetch", policy),
                "spec", map("description", "Warden: the fetch stage reaches only the registries", "endpointSelector",
                        Map.of("matchLabels", Map.of(STAGE_LABEL, "fetch")), "egress", egress));
        Map<String, Object> build = map("apiVersion", "cilium.io/v2", "kind", "CiliumNetworkPolicy",
                "metadata", metadata("warden-build", "build", policy),
                "spec", map("description", "Warden: the build stage runs offline", "endpointSelector",
                        Map.of("matchLabels", Map.of(STAGE_LABEL, "build")),
                        "egressDeny", List.of(Map.of("toEntities", List.of("all")))));
        out.print(yaml(List.of(fetch, build)));
    }

    private static void hardenRunner(EgressPolicy policy, PrintWriter out) {
        comment(out, "The first step of the job that fetches dependencies (endpoints " + source(policy) + "). The job "
                + "that builds needs none: build with `warden build`, or give it this step with no allowed-endpoints.");
        String endpoints = String.join("\n", policy.names().keySet().stream().map(Destination::key).toList());
        Map<String, Object> with = map("egress-policy", "block", "allowed-endpoints", endpoints + "\n");
        out.print(yaml(List.of(List.of(map("name", "Limit egress to the registries", "uses",
                "step-security/harden-runner@v2", "with", with)))));
    }

    private static void nftables(EgressPolicy policy, String project, PrintWriter out) {
        out.println("#!/usr/sbin/nft -f");
        comment(out, "Warden egress policy for the fetch stage of " + sanitize(project) + ", " + source(policy)
                + ": DNS and the registries' addresses, nothing else. nftables matches addresses, not names: refresh "
                + "it from `warden fetch` runs when they change. The build stage gets no network at all (warden build).");
        if (policy.addresses().isEmpty()) {
            comment(out, "No address is known yet, so only DNS is allowed: run `warden fetch` (with strace installed) "
                    + "to learn the addresses.");
        }
        Set<Destination> v4 = new TreeSet<>();
        Set<Destination> v6 = new TreeSet<>();
        policy.addresses().forEach(a -> (a.ipv6() ? v6 : v4).add(a));
        Set<Destination> resolvers4 = new TreeSet<>();
        Set<Destination> resolvers6 = new TreeSet<>();
        policy.resolvers().stream().filter(r -> !r.loopback()).forEach(r -> (r.ipv6() ? resolvers6 : resolvers4).add(r));
        out.println("table inet warden_fetch {");
        set(out, "allowed_v4", "ipv4_addr . inet_service", v4.stream().map(a -> a.host() + " . " + a.port()).toList());
        set(out, "allowed_v6", "ipv6_addr . inet_service", v6.stream().map(a -> a.host() + " . " + a.port()).toList());
        set(out, "resolvers_v4", "ipv4_addr", resolvers4.stream().map(Destination::host).toList());
        set(out, "resolvers_v6", "ipv6_addr", resolvers6.stream().map(Destination::host).toList());
        out.println("  chain output {");
        out.println("    type filter hook output priority filter; policy drop;");
        out.println("    oifname \"lo\" accept");
        out.println("    ct state established,related accept");
        out.println("    ip daddr @resolvers_v4 meta l4proto { tcp, udp } th dport 53 accept");
        out.println("    ip6 daddr @resolvers_v6 meta l4proto { tcp, udp } th dport 53 accept");
        out.println("    ip daddr . tcp dport @allowed_v4 accept");
        out.println("    ip6 daddr . tcp dport @allowed_v6 accept");
        out.println("    log prefix \"warden-egress-denied \" counter drop");
        out.println("  }");
        out.println("}");
    }

    private static void set(PrintWriter out, String name, String type, List<String> elements) {
        out.println("  set " + name + " {");
        out.println("    type " + type);
        if (!elements.isEmpty()) {
            out.println("    elements = { " + String.join(", ", elements) + " }");
        }
        out.println("  }");
    }

    private static String source(EgressPolicy policy) {
        return policy.fetches() == 0 ? "from Cargo.lock and the Cargo configuration only (no monitored `warden fetch` "
                + "yet)" : "from Cargo.lock, the Cargo configuration and " + policy.fetches() + " monitored `warden "
                + "fetch` run" + (policy.fetches() == 1 ? "" : "s");
    }

    /** A comment block, wrapped to lines a reviewer reads without scrolling. */
    private static void comment(PrintWriter out, String text) {
        StringBuilder line = new StringBuilder("#");
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > 110 && line.length() > 1) {
                out.println(line);
                line.setLength(0);
                line.append('#');
            }
            line.append(' ').append(word);
        }
        out.println(line);
    }

    /** A project path in a comment line: no newline can end the comment early. */
    private static String sanitize(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    private static String yaml(List<?> documents) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(0).setIndentWithIndicator(false).build();
        StringBuilder text = new StringBuilder();
        for (Object document : documents) {
            text.append("---\n").append(new Dump(settings).dumpToString(document));
        }
        return text.toString();
    }

    private static Map<String, Object> map(Object... entries) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            map.put((String) entries[i], entries[i + 1]);
        }
        return map;
    }
}
