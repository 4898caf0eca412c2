package dev.warden.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which values are credentials whatever they are called: provider token formats, credentials inside URLs and
 * HTTP headers, private keys, and long random strings. Shared by the sandbox (such a value never enters it, whatever
 * the variable's name) and redaction (such a value is never printed or stored).
 */
public final class SecretValues {

    /** Token formats with a published prefix: GitHub, GitLab, Slack, AWS key ids, npm, PyPI, Stripe, crates.io. */
    static final Pattern TOKEN = Pattern.compile("(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
            + "|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[A-Z0-9]{16}"
            + "|npm_[A-Za-z0-9]{30,}|pypi-[A-Za-z0-9_-]{40,}|sk_live_[A-Za-z0-9]{20,}|cio[A-Za-z0-9]{29,}"
            + "|eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]+)");
    /** {@code scheme://user:password@host}: the password part. */
    private static final Pattern URL_PASSWORD = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/@\\s:]*:([^/@\\s]+)@");
    private static final Pattern HEADER = Pattern.compile("(?i)(?:authorization\\s*:|\\b(?:bearer|basic|token)\\s+)"
            + "\\s*[A-Za-z0-9+/=_.~-]{8,}");
    /**
     * What masking replaces inside text: tokens, URL passwords, the credential of an Authorization header — each
     * alternative names the part to mask ({@code token}, {@code password}, {@code credential}).
     */
    private static final Pattern SHAPED = Pattern.compile("(?<token>" + TOKEN.pattern() + ")"
            + "|://[^/@\\s:]{0,64}:(?<password>[^/@\\s]{1,256})@"
            + "|(?i:\\b(?:bearer|basic|token)\\s{1,4})(?<credential>[A-Za-z0-9+/=_.~-]{8,})");
    /** Substrings without which {@link #SHAPED} cannot match: most text is ruled out by these alone. */
    private static final List<String> SHAPE_HINTS = List.of("://", "gh", "github_pat_", "glpat-", "xox", "AKIA",
            "ASIA", "npm_", "pypi-", "sk_live_", "cio", "eyJ", "earer", "asic", "oken", "EARER", "ASIC", "OKEN");
    private static final Pattern RANDOM = Pattern.compile("[A-Za-z0-9+/=_-]{32,}");
    /** Bits per character above which a long run of token characters is random rather than a word or a path. */
    private static final double RANDOM_ENTROPY = 4.2;

    private SecretValues() {
    }

    /** Whether a value (an environment variable's, a config entry's) carries a credential. */
    public static boolean looksSecret(String value) {
        if (value.contains("-----BEGIN ") && value.contains("PRIVATE KEY")) {
            return true;
        }
        if (TOKEN.matcher(value).find() || URL_PASSWORD.matcher(value).find() || HEADER.matcher(value).find()) {
            return true;
        }
        Matcher run = RANDOM.matcher(value);
        while (run.find()) {
            if (randomLooking(run.group())) {
                return true;
            }
        }
        return false;
    }

    /** The passwords in {@code scheme://user:password@host} URLs inside {@code text}. */
    public static List<String> urlPasswords(String text) {
        List<String> passwords = new ArrayList<>();
        Matcher password = URL_PASSWORD.matcher(text);
        while (password.find()) {
            passwords.add(password.group(1));
        }
        return passwords;
    }

    /** A secret-shaped piece of text: where it is, to mask it. */
    public record Span(int start, int end) {
    }

    /** The secret-shaped pieces of a text (tokens, URL passwords, header credentials), in order. */
    public static List<Span> shapes(String text) {
        if (SHAPE_HINTS.stream().noneMatch(text::contains)) {
            return List.of();
        }
        List<Span> spans = new ArrayList<>();
        Matcher matcher = SHAPED.matcher(text);
        while (matcher.find()) {
            for (String group : List.of("token", "password", "credential")) {
                if (matcher.start(group) >= 0) {
                    spans.add(new Span(matcher.start(group), matcher.end(group)));
                }
            }
        }
        return spans;
    }

    /**
     * A long token-alphabet string that is hex (a key) or mixes digits and both cases with the entropy of random
     * bytes (paths and toolchain names such as {@code stable-x86_64-unknown-linux-gnu} have no capitals).
     */
    static boolean randomLooking(String text) {
        boolean digit = text.chars().anyMatch(Character::isDigit);
        if (text.length() >= 32 && digit && text.chars().anyMatch(Character::isLetter)
                && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return true;
        }
        return digit && text.chars().anyMatch(Character::isUpperCase) && text.chars().anyMatch(Character::isLowerCase)
                && entropy(text) >= RANDOM_ENTROPY;
    }

    /** Shannon entropy in bits per character. */
    public static double entropy(String text) {
        int[] counts = new int[128];
        int total = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128) {
                counts[c]++;
                total++;
            }
        }
        double bits = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / total;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        return bits;
    }
}
