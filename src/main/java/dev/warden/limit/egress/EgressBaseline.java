package dev.warden.limit.egress;

import dev.warden.expose.EventStore;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The fetch stage's part of the store's baseline: every name, endpoint and resolver monitored fetches contacted, and
 * one entry per fetch (so a policy says how much it rests on). Entries are kept with build 0: no build ran.
 */
public final class EgressBaseline {

    static final String NAMES = "fetch-name";
    static final String ENDPOINTS = "fetch-endpoint";
    static final String RESOLVERS = "fetch-resolver";
    static final String RUNS = "fetch-run";

    private EgressBaseline() {
    }

    public static void record(EventStore store, String project, FetchTrace trace, Instant at) {
        store.learn(project, 0, NAMES, trace.names());
        store.learn(project, 0, ENDPOINTS, trace.endpoints().stream().map(Destination::key)
                .collect(Collectors.toSet()));
        store.learn(project, 0, RESOLVERS, trace.resolvers().stream().map(Destination::key)
                .collect(Collectors.toSet()));
        store.learn(project, 0, RUNS, Set.of(at.toString()));
    }

    public static EgressPolicy.Observed observed(EventStore store, String project) {
        Set<String> names = new TreeSet<>();
        for (String name : store.baseline(project, NAMES)) {
            if (name.matches("[a-z0-9._-]{1,253}")) { // the store is ours, but never trust a name into a policy file
                names.add(name);
            }
        }
        return new EgressPolicy.Observed(names, destinations(store.baseline(project, ENDPOINTS)),
                destinations(store.baseline(project, RESOLVERS)), store.baseline(project, RUNS).size());
    }

    private static Set<Destination> destinations(Set<String> keys) {
        Set<Destination> destinations = new TreeSet<>();
        for (String key : keys) {
            Destination destination = Destination.parse(key, true);
            if (destination != null) {
                destinations.add(destination);
            }
        }
        return destinations;
    }
}
