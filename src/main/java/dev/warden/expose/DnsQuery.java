package dev.warden.expose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A DNS question decoded from the bytes a process sent (RFC 1035 §4.1): the 12-byte header, then the name as
 * length-prefixed labels, then type and class. Only queries with one question are accepted; anything else is not
 * DNS as a resolver sends it.
 */
public record DnsQuery(List<String> labels, int type) {

    public DnsQuery {
        labels = List.copyOf(labels);
    }

    public static Optional<DnsQuery> parse(byte[] packet) {
        // DNS over TCP prefixes the message with its length.
        if (packet.length >= 14 && ((packet[0] & 0xFF) << 8 | packet[1] & 0xFF) == packet.length - 2) {
            byte[] unprefixed = new byte[packet.length - 2];
            System.arraycopy(packet, 2, unprefixed, 0, unprefixed.length);
            Optional<DnsQuery> inner = parseMessage(unprefixed);
            if (inner.isPresent()) {
                return inner;
            }
        }
        return parseMessage(packet);
    }

    private static Optional<DnsQuery> parseMessage(byte[] packet) {
        if (packet.length < 17) {
            return Optional.empty();
        }
        boolean query = (packet[2] & 0x80) == 0;
        int opcode = (packet[2] >> 3) & 0x0F;
        int questions = (packet[4] & 0xFF) << 8 | packet[5] & 0xFF;
        int answers = (packet[6] & 0xFF) << 8 | packet[7] & 0xFF;
        if (!query || opcode != 0 || questions != 1 || answers != 0) {
            return Optional.empty();
        }
        List<String> labels = new ArrayList<>();
        int at = 12;
        int total = 0;
        while (at < packet.length) {
            int length = packet[at] & 0xFF;
            at++;
            if (length == 0) {
                break;
            }
            if (length > 63 || at + length > packet.length) {
                return Optional.empty();
            }
            labels.add(new String(packet, at, length, StandardCharsets.ISO_8859_1));
            at += length;
            total += length + 1;
            if (total > 255) {
                return Optional.empty();
            }
        }
        if (labels.isEmpty() || at + 4 > packet.length) {
            return Optional.empty();
        }
        int type = (packet[at] & 0xFF) << 8 | packet[at + 1] & 0xFF;
        return Optional.of(new DnsQuery(labels, type));
    }

    /** A question for a name already decoded (from the event log). */
    public static DnsQuery ofName(String name) {
        return new DnsQuery(List.of(name.split("\\.")), 1);
    }

    public String name() {
        return String.join(".", labels);
    }

    /**
     * The registered domain: the last two labels, or three under a two-letter country code with a generic second
     * level ({@code example.co.uk}).
     */
    public String domain() {
        int keep = labels.size() >= 3 && labels.getLast().length() == 2
                && List.of("co", "com", "net", "org", "ac", "gov", "edu").contains(labels.get(labels.size() - 2))
                ? 3 : 2;
        return String.join(".", labels.subList(Math.max(0, labels.size() - keep), labels.size()));
    }

    /** The labels in front of the registered domain, where exfiltrated data rides. */
    public List<String> subdomain() {
        int domainLabels = domain().split("\\.").length;
        return labels.subList(0, Math.max(0, labels.size() - domainLabels));
    }

    public String typeName() {
        return switch (type) {
            case 1 -> "A";
            case 28 -> "AAAA";
            case 5 -> "CNAME";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 33 -> "SRV";
            case 12 -> "PTR";
            default -> "TYPE" + type;
        };
    }
}
