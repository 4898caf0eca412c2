package dev.warden.limit.egress;

import dev.warden.expose.DnsQuery;
import dev.warden.expose.StraceParser;
import dev.warden.expose.Syscall;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the fetch stage contacted, read from its strace ({@code connect} and the {@code send*} calls): the names
 * it looked up (DNS queries in the packets it sent; glibc sends A and AAAA together with sendmmsg), the addresses and ports it connected to, and the resolvers it
 * asked. Lines that are not such calls are skipped, as the build monitor skips them.
 *
 * @param names     DNS names queried
 * @param endpoints TCP/UDP destinations other than resolvers
 * @param resolvers destinations on port 53
 */
public record FetchTrace(Set<String> names, Set<Destination> endpoints, Set<Destination> resolvers) {

    /** Strace's options for tracing the fetch stage: the calls {@link #read} understands, strings in hex. */
    public static final String CALLS = "trace=connect,sendto,sendmsg,sendmmsg";

    public static FetchTrace read(Path trace) throws IOException {
        Set<String> names = new TreeSet<>();
        Set<Destination> endpoints = new TreeSet<>();
        Set<Destination> resolvers = new TreeSet<>();
        StraceParser parser = new StraceParser();
        try (BufferedReader lines = Files.newBufferedReader(trace, StandardCharsets.ISO_8859_1)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Optional<StraceParser.Record> record = parser.parse(line);
                if (record.isEmpty() || !(record.get() instanceof StraceParser.Call call)) {
                    continue;
                }
                Syscall syscall = call.syscall();
                Syscall.SocketAddress address = syscall.address();
                boolean inet = address != null && (address.family().equals("inet") || address.family().equals("inet6"))
                        && !address.host().equals("?");
                if (syscall.name().equals("connect") && inet) {
                    Destination destination = new Destination(address.host(), address.port(), true);
                    (address.port() == 53 ? resolvers : endpoints).add(destination);
                } else if (syscall.name().startsWith("send")) {
                    if (inet && address.port() == 53) {
                        resolvers.add(new Destination(address.host(), 53, true));
                    }
                    for (byte[] packet : syscall.strings()) {
                        DnsQuery.parse(packet).ifPresent(query -> names.add(query.name()));
                    }
                }
            }
        }
        return new FetchTrace(names, endpoints, resolvers);
    }
}
