package dev.warden.expose;

import dev.warden.core.SecretValues;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps real secrets out of everything Warden writes: what a build did is shown and stored with every value of a
 * real secret (as it is, or hex-, base64- or base32-encoded, as payloads send it) and every secret-shaped string
 * masked as {@code AKIA…(40 chars, matches $AWS_SECRET_ACCESS_KEY)}. Decoys are Warden's own and stay visible:
 * they are the evidence.
 */
public final class Redactor {

    /** Shorter values are too common to mask without masking words. */
    static final int MIN_SECRET = 8;
    /** Prefixes published by the providers, which say what a token is without saying anything of it. */
    private static final List<String> PUBLIC_PREFIXES = List.of("github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
            "glpat-", "xoxb-", "xoxp-", "AKIA", "ASIA", "npm_", "pypi-", "sk_live_");

    private final Map<String, String> secrets;
    private final Set<String> decoys;
    /** Every form a real secret is masked in: the value, its encodings, by what each stands for. */
    private final Map<String, String> forms = new LinkedHashMap<>();

    /**
     * @param secrets real secret values by what they are ({@code $AWS_SECRET_ACCESS_KEY}, {@code .env: DB_PASSWORD})
     * @param decoys  values Warden planted, shown as they are
     */
    public Redactor(Map<String, String> secrets, Collection<String> decoys) {
        Map<String, String> kept = new LinkedHashMap<>();
        secrets.forEach((name, value) -> {
            if (value != null && value.length() >= MIN_SECRET && !decoys.contains(value)) {
                kept.put(name, value);
            }
        });
        this.secrets = Map.copyOf(kept);
        this.decoys = Set.copyOf(decoys);
        List<Map.Entry<String, String>> longestFirst = new ArrayList<>(kept.entrySet());
        longestFirst.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        for (Map.Entry<String, String> secret : longestFirst) {
            byte[] bytes = secret.getValue().getBytes(StandardCharsets.UTF_8);
            forms.putIfAbsent(secret.getValue(), secret.getKey());
            forms.putIfAbsent(HexFormat.of().formatHex(bytes), "hex of " + secret.getKey());
            forms.putIfAbsent(Base64.getEncoder().withoutPadding().encodeToString(bytes), "base64 of " + secret.getKey());
            forms.putIfAbsent(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                    "base64 of " + secret.getKey());
        }
    }

    /** Nothing to hide beyond what looks secret. */
    public static Redactor shapesOnly() {
        return new Redactor(Map.of(), Set.of());
    }

    /** The real secrets this redactor knows, by what they are: for detection, never for output. */
    Map<String, String> secrets() {
        return secrets;
    }

    /** {@code text} with real secrets, their encodings and secret-shaped strings masked; null stays null. */
    public String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Map.Entry<String, String> form : forms.entrySet()) {
            if (out.contains(form.getKey())) {
                out = out.replace(form.getKey(), mask(form.getKey(), "matches " + form.getValue()));
            }
        }
        return maskShapes(out);
    }

    /**
     * A DNS name with the labels that carry a real secret (decoded every way a payload encodes) or a secret-shaped
     * value masked; the domain stays, as it says where the data went.
     */
    public String dnsName(String name) {
        DnsQuery query = DnsQuery.ofName(name);
        List<String> subdomain = query.subdomain();
        if (subdomain.isEmpty()) {
            return text(name);
        }
        String data = String.join(".", subdomain);
        Optional<ExfiltrationSignals.SecretMatch> real = ExfiltrationSignals.secretIn(subdomain, secrets);
        if (real.isPresent()) {
            return mask(data, real.get().encoding().name().toLowerCase(Locale.ROOT) + " of "
                    + String.join(" and ", real.get().secretNames())) + "." + query.domain();
        }
        String joined = String.join("", subdomain);
        for (ExfiltrationSignals.Encoding encoding : ExfiltrationSignals.Encoding.values()) {
            String decoded = ExfiltrationSignals.decode(joined, encoding);
            if (decoded != null && decoys.stream().noneMatch(decoded::contains) && SecretValues.looksSecret(decoded)
                    && decoded.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
                return mask(data, encoding.name().toLowerCase(Locale.ROOT) + " of a secret-shaped value") + "."
                        + query.domain();
            }
        }
        return text(name);
    }

    /** The event as it may be stored and shown. */
    public BuildEvent event(BuildEvent event) {
        String target = event.kind() == BuildEvent.Kind.DNS ? dnsName(event.target()) : text(event.target());
        return new BuildEvent(event.micros(), event.kind(), event.pid(), event.actor(), target, text(event.detail()),
                event.error());
    }

    private String maskShapes(String text) {
        List<SecretValues.Span> shapes = SecretValues.shapes(text);
        if (shapes.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (SecretValues.Span span : shapes) {
            String value = text.substring(span.start(), span.end());
            if (decoys.stream().anyMatch(value::contains)) {
                continue;
            }
            out.append(text, at, span.start()).append(mask(value, "secret-shaped"));
            at = span.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** {@code AKIA…(20 chars, matches $AWS_ACCESS_KEY_ID)}: a public prefix at most, the length, and why. */
    static String mask(String value, String why) {
        String prefix = PUBLIC_PREFIXES.stream().filter(value::startsWith).findFirst().orElse("");
        return prefix + "…(" + value.length() + " chars, " + why + ")";
    }
}
