package dev.warden.expose;

import dev.warden.core.SecretValues;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a DNS name look like it carries data out: labels that decode (base64, base64url, base32, hex) to one of
 * the secrets Warden planted or hid, labels longer than any hostname needs, and labels with the entropy of encoded
 * bytes rather than words.
 */
public final class ExfiltrationSignals {

    /** Longer than this, a label is data: hostnames' labels are words. */
    static final int LONG_LABEL = 52;
    /** Bits per character above which a long-enough label looks random (English-like names stay near 3). */
    static final double HIGH_ENTROPY = 3.8;

    private ExfiltrationSignals() {
    }

    /** The encodings tried, most common in payloads first. */
    public enum Encoding { BASE64URL, BASE64, BASE32, HEX }

    /** Secrets recognised in decoded data: their names, and how the data was encoded. */
    public record SecretMatch(List<String> secretNames, Encoding encoding, String decoded) {

        public SecretMatch {
            secretNames = List.copyOf(secretNames);
        }
    }

    /**
     * Looks for any of {@code secrets} (name → value) inside the data the labels carry, decoded every way; a payload
     * may truncate or split the value, so a 12-character piece of it is enough.
     */
    public static Optional<SecretMatch> secretIn(List<String> labels, Map<String, String> secrets) {
        if (labels.isEmpty() || secrets.isEmpty()) {
            return Optional.empty();
        }
        String joined = String.join("", labels);
        List<String> candidates = new ArrayList<>(List.of(joined));
        if (labels.size() > 1) {
            candidates.addAll(labels);
        }
        for (String data : candidates) {
            for (Encoding encoding : Encoding.values()) {
                String decoded = decode(data, encoding);
                if (decoded == null) {
                    continue;
                }
                List<String> found = secrets.entrySet().stream().filter(s -> containsPiece(decoded, s.getValue()))
                        .map(Map.Entry::getKey).sorted().toList();
                if (!found.isEmpty()) {
                    return Optional.of(new SecretMatch(found, encoding, decoded));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean containsPiece(String decoded, String secret) {
        int piece = Math.min(12, secret.length());
        for (int start = 0; start + piece <= secret.length(); start++) {
            if (decoded.contains(secret.substring(start, start + piece))) {
                return true;
            }
        }
        return false;
    }

    /** The data decoded as text (Latin-1, so any bytes survive), or null when it is not valid in that encoding. */
    static String decode(String data, Encoding encoding) {
        try {
            byte[] bytes = switch (encoding) {
                case BASE64URL -> Base64.getUrlDecoder().decode(pad(data));
                case BASE64 -> Base64.getDecoder().decode(pad(data));
                case BASE32 -> base32(data);
                case HEX -> data.length() % 2 == 0 && data.matches("[0-9a-fA-F]+") ? HexFormat.of().parseHex(data) : null;
            };
            return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String pad(String data) {
        return data.length() % 4 == 0 ? data : data + "=".repeat(4 - data.length() % 4);
    }

    /** RFC 4648 base32, case-insensitive, padding optional; null when it is not base32. */
    static byte[] base32(String data) {
        String upper = data.toUpperCase(Locale.ROOT).replace("=", "");
        if (upper.isEmpty() || !upper.matches("[A-Z2-7]+")) {
            return null;
        }
        byte[] out = new byte[upper.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int index = 0;
        for (char c : upper.toCharArray()) {
            buffer = buffer << 5 | (c >= 'A' ? c - 'A' : c - '2' + 26);
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                if (index < out.length) {
                    out[index++] = (byte) (buffer >> bits);
                }
            }
        }
        return out;
    }

    /** Why a name looks like data rather than a hostname, or empty. */
    public static Optional<String> looksEncoded(List<String> subdomain) {
        for (String label : subdomain) {
            if (label.length() > LONG_LABEL) {
                return Optional.of("a " + label.length() + "-character label");
            }
            if (label.length() >= 20 && SecretValues.entropy(label) >= HIGH_ENTROPY) {
                return Optional.of(String.format(Locale.ROOT, "a label with %.1f bits of entropy per character",
                        SecretValues.entropy(label)));
            }
            if (label.length() >= 24 && (label.matches("[0-9a-f]+") || label.matches("[a-z2-7]+=*")
                    && label.chars().anyMatch(Character::isDigit))) {
                return Optional.of("a hex- or base32-encoded label");
            }
        }
        return Optional.empty();
    }
}
