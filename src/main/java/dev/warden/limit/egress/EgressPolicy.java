package dev.warden.limit.egress;

import dev.warden.cargo.config.CargoConfig;
import dev.warden.cargo.config.SourceDefinition;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.SourceId;
import dev.warden.cargo.project.Project;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the fetch stage of a build needs to reach, and nothing else: the registries, mirrors and git hosts the project's
 * lockfile and Cargo configuration name, and what {@code warden fetch} observed them to be (names looked up,
 * addresses connected to). The build stage needs nothing: it runs offline.
 *
 * @param names     host names to allow, each with the reason it is allowed
 * @param addresses addresses the fetch stage connected to (for rules that cannot follow names)
 * @param resolvers DNS resolvers it asked
 * @param fetches   how many monitored fetches the observed part comes from (0: configuration only)
 */
public record EgressPolicy(Map<Destination, String> names, Set<Destination> addresses, Set<Destination> resolvers,
                           int fetches) {

    /** What the fetch stage of earlier runs was seen to contact, from the store. */
    public record Observed(Set<String> names, Set<Destination> endpoints, Set<Destination> resolvers, int fetches) {
        public static Observed none() {
            return new Observed(Set.of(), Set.of(), Set.of(), 0);
        }
    }

    public static EgressPolicy of(Project project, Observed observed) {
        Map<Destination, String> names = new TreeMap<>();
        configured(project).forEach((destination, why) -> {
            if (!destination.loopback()) { // this machine is not egress
                names.putIfAbsent(destination, why);
            }
        });
        Set<Integer> ports = new TreeSet<>();
        for (Destination endpoint : observed.endpoints()) {
            if (!endpoint.loopback()) {
                ports.add(endpoint.port());
            }
        }
        if (ports.isEmpty()) {
            ports.add(443);
        }
        for (String name : observed.names()) {
            for (int port : ports) {
                Destination destination = new Destination(name, port, false);
                if (!destination.loopback()) {
                    names.putIfAbsent(destination, "looked up by warden fetch");
                }
            }
        }
        Set<Destination> addresses = new TreeSet<>();
        for (Destination endpoint : observed.endpoints()) {
            if (!endpoint.loopback()) {
                addresses.add(endpoint);
            }
        }
        return new EgressPolicy(names, addresses, new TreeSet<>(observed.resolvers()), observed.fetches());
    }

    /** The hosts the lockfile's sources and the Cargo configuration say packages come from. */
    static Map<Destination, String> configured(Project project) {
        Map<Destination, String> hosts = new LinkedHashMap<>();
        CargoConfig config = project.config();
        Optional<SourceDefinition> replacement = config.cratesIoReplacement();
        Set<String> seen = new TreeSet<>();
        for (LockedPackage pkg : project.lockfile().packages()) {
            SourceId source = pkg.source();
            if (source == null || !seen.add(source.key())) {
                continue;
            }
            if (source.isCratesIo() && replacement.isPresent()) {
                SourceDefinition mirror = replacement.get();
                String url = mirror.registry() != null ? mirror.registry() : mirror.git();
                host(url, 443).ifPresent(d -> hosts.putIfAbsent(d, "crates.io is replaced by source '"
                        + mirror.name() + "' (" + mirror.definedIn() + ")"));
                continue;
            }
            if (source.isCratesIo()) {
                boolean sparse = source.url().startsWith("sparse+") || source.url().contains("index.crates.io");
                hosts.putIfAbsent(new Destination(sparse ? "index.crates.io" : "github.com", 443, false),
                        "the crates.io index (Cargo.lock)");
                hosts.putIfAbsent(new Destination("static.crates.io", 443, false), "crates.io downloads (Cargo.lock)");
                continue;
            }
            String what = source.isGit() ? "git dependency " + pkg.name() : "registry of " + pkg.name();
            host(source.url(), 443).ifPresent(d -> hosts.putIfAbsent(d, what + " (Cargo.lock)"));
        }
        return hosts;
    }

    private static Optional<Destination> host(String url, int defaultPort) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(url.replaceFirst("^(sparse|registry|git)\\+", ""));
            if (uri.getHost() == null || uri.getScheme() == null || uri.getScheme().equals("file")) {
                return Optional.empty();
            }
            int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("http") ? 80
                    : uri.getScheme().equals("ssh") ? 22 : uri.getScheme().equals("git") ? 9418 : defaultPort;
            return Optional.of(new Destination(uri.getHost(), port, false));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public List<String> hostNames() {
        List<String> hosts = new ArrayList<>();
        for (Destination destination : names.keySet()) {
            if (!hosts.contains(destination.host())) {
                hosts.add(destination.host());
            }
        }
        return hosts;
    }
}
