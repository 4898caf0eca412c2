package dev.warden.limit.egress;

import java.util.Locale;

/**
 * Where the fetch stage may connect: a host name (from a DNS query or the configuration) or an address, and a port.
 *
 * @param host    a DNS name (lower case) or an IPv4/IPv6 address
 * @param port    the TCP port (53 for a resolver, over UDP and TCP)
 * @param address whether {@code host} is an address rather than a name
 */
public record Destination(String host, int port, boolean address) implements Comparable<Destination> {

    public Destination {
        host = host.toLowerCase(Locale.ROOT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public boolean ipv6() {
        return address && host.contains(":");
    }

    public boolean loopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** {@code host:port}, IPv6 in brackets: the baseline's stored form and Harden-Runner's. */
    public String key() {
        return (ipv6() ? "[" + host + "]" : host) + ":" + port;
    }

    /** The inverse of {@link #key}; null for anything else. */
    public static Destination parse(String key, boolean address) {
        int colon = key.lastIndexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
            return null;
        }
        String host = key.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = key.substring(colon + 1);
        if (port.length() > 5 || !port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) > 65535
                || !host.matches("[A-Za-z0-9._:-]{1,253}")) {
            return null;
        }
        return new Destination(host, Integer.parseInt(port), address);
    }

    @Override
    public int compareTo(Destination other) {
        return key().compareTo(other.key());
    }
}
