package dev.warden.evaluate.review;

import dev.warden.core.WardenException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * cargo-crev proofs from a local proof repository ({@code <id>/reviews/*.proof.crev}, {@code <id>/trust/…}): package
 * reviews and trust statements, each signed with its author's Ed25519 key (a crev id is that key, base64url). A proof
 * whose signature does not verify is not used, and said. Trust runs from the user's own id through trust proofs:
 * an id is trusted at the lowest level along its best path (crev's web of trust), and {@code distrust} from a
 * trusted id excludes it.
 */
public final class CrevProofs {

    /** crev's trust levels, lowest first. */
    public enum Level { NONE, LOW, MEDIUM, HIGH }

    /** A package review: who, which crate version from which source, and what they thought. */
    public record Review(String from, String source, String name, String version, String rating,
                         String thoroughness, String understanding, Path file, int line) {

        /** crev's ratings above neutral. */
        public boolean positive() {
            return "positive".equals(rating) || "strong".equals(rating);
        }

        public boolean negative() {
            return "negative".equals(rating) || "dangerous".equals(rating);
        }
    }

    /** A proof that could not be used, and why. */
    public record Rejected(Path file, int line, String why) {
    }

    private record TrustProof(String from, String to, String level, String date) {
    }

    private static final String BEGIN = "----- BEGIN CREV PROOF -----\n";
    private static final String SIGN = "----- SIGN CREV PROOF -----\n";
    private static final String END = "----- END CREV PROOF -----";
    private static final long MAX_FILE = 16L << 20;
    private static final int MAX_DEPTH = 10;

    private final List<Review> reviews;
    private final List<TrustProof> trusts;
    private final List<Rejected> rejected;

    private CrevProofs(List<Review> reviews, List<TrustProof> trusts, List<Rejected> rejected) {
        this.reviews = List.copyOf(reviews);
        this.trusts = List.copyOf(trusts);
        this.rejected = List.copyOf(rejected);
    }

    public List<Review> reviews() {
        return reviews;
    }

    public List<Rejected> rejected() {
        return rejected;
    }

    /** Every {@code *.crev} file under {@code directory}. */
    public static CrevProofs read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new WardenException(directory + ": no crev proof repository here ([review] crev-proofs)");
        }
        List<Review> reviews = new ArrayList<>();
        List<TrustProof> trusts = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory, 8)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".crev")
                    && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                if (Files.size(file) > MAX_FILE) {
                    rejected.add(new Rejected(file, 0, "larger than " + (MAX_FILE >> 20) + " MB"));
                    continue;
                }
                proofs(file, Files.readString(file, StandardCharsets.UTF_8), reviews, trusts, rejected);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new WardenException(directory + ": cannot read the crev proofs: " + e.getMessage());
        }
        return new CrevProofs(reviews, trusts, rejected);
    }

    private static void proofs(Path file, String text, List<Review> reviews, List<TrustProof> trusts,
                               List<Rejected> rejected) {
        int at = 0;
        while ((at = text.indexOf(BEGIN, at)) >= 0) {
            int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
            int body = at + BEGIN.length();
            int sign = text.indexOf(SIGN, body);
            int end = sign < 0 ? -1 : text.indexOf(END, sign);
            if (end < 0) {
                rejected.add(new Rejected(file, line, "a proof without its signature or end"));
                return;
            }
            String signed = text.substring(body, sign);
            String signature = text.substring(sign + SIGN.length(), end).strip();
            at = end;
            Map<String, Object> proof;
            try {
                Object loaded = new Load(LoadSettings.builder().setLabel(file.toString())
                        .setMaxAliasesForCollections(10).setCodePointLimit(1 << 20).build()).loadFromString(signed);
                if (!(loaded instanceof Map<?, ?> map)) {
                    rejected.add(new Rejected(file, line, "not a YAML mapping"));
                    continue;
                }
                proof = cast(map);
            } catch (YamlEngineException e) {
                rejected.add(new Rejected(file, line, "not YAML: " + e.getMessage().lines().findFirst().orElse("")));
                continue;
            }
            String from = string(map(proof.get("from")).get("id"));
            if (from == null || !verified(from, signed, signature)) {
                rejected.add(new Rejected(file, line, "its signature does not verify with the key of its author "
                        + (from == null ? "(none named)" : from)));
                continue;
            }
            String kind = string(proof.get("kind"));
            if ("package review".equals(kind)) {
                Map<String, Object> pkg = map(proof.get("package"));
                Map<String, Object> review = map(proof.get("review"));
                reviews.add(new Review(from, string(pkg.get("source")), string(pkg.get("name")),
                        string(pkg.get("version")), string(review.get("rating")), string(review.get("thoroughness")),
                        string(review.get("understanding")), file, line));
            } else if ("trust".equals(kind) && proof.get("ids") instanceof List<?> ids) {
                for (Object id : ids) {
                    String to = string(map(id).get("id"));
                    if (to != null) {
                        trusts.add(new TrustProof(from, to, string(proof.get("trust")), string(proof.get("date"))));
                    }
                }
            }
        }
    }

    /** Whether {@code signature} (base64url) is the Ed25519 signature of {@code signed} by the key {@code id}. */
    static boolean verified(String id, String signed, String signature) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(id);
            if (raw.length != 32) {
                return false;
            }
            // RFC 8032 encoding: y little-endian, the top bit of the last byte is x's sign.
            boolean xOdd = (raw[31] & 0x80) != 0;
            byte[] y = new byte[32];
            for (int i = 0; i < 32; i++) {
                y[i] = raw[31 - i];
            }
            y[0] &= 0x7f;
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(
                    NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, y))));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signed.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * How far each id is trusted from {@code root} (the user's own id, trusted highest): the best path's weakest
     * link, at most {@value #MAX_DEPTH} steps; a {@code distrust} from any trusted id removes an id. Each author's
     * latest statement about an id is the one that counts.
     */
    public Map<String, Level> trusted(String root) {
        Map<String, Map<String, String>> latest = new HashMap<>();
        Map<String, String> dates = new HashMap<>();
        for (TrustProof trust : trusts) {
            String key = trust.from() + " " + trust.to();
            String date = trust.date() == null ? "" : trust.date();
            if (!dates.containsKey(key) || instant(date).compareTo(instant(dates.get(key))) >= 0) {
                dates.put(key, date);
                latest.computeIfAbsent(trust.from(), f -> new LinkedHashMap<>()).put(trust.to(), trust.level());
            }
        }
        Map<String, Level> levels = new HashMap<>();
        Map<String, Integer> depth = new HashMap<>();
        levels.put(root, Level.HIGH);
        depth.put(root, 0);
        Deque<String> pending = new ArrayDeque<>(List.of(root));
        Set<String> distrusted = new HashSet<>();
        while (!pending.isEmpty()) {
            String from = pending.removeFirst();
            if (depth.get(from) >= MAX_DEPTH) {
                continue;
            }
            for (Map.Entry<String, String> edge : latest.getOrDefault(from, Map.of()).entrySet()) {
                if ("distrust".equals(edge.getValue())) {
                    distrusted.add(edge.getKey());
                    continue;
                }
                Level stated = level(edge.getValue());
                Level through = stated.compareTo(levels.get(from)) < 0 ? stated : levels.get(from);
                if (through == Level.NONE || edge.getKey().equals(root)) {
                    continue;
                }
                Level known = levels.get(edge.getKey());
                if (known == null || through.compareTo(known) > 0) {
                    levels.put(edge.getKey(), through);
                    depth.put(edge.getKey(), depth.get(from) + 1);
                    pending.add(edge.getKey());
                }
            }
        }
        distrusted.remove(root);
        levels.keySet().removeAll(distrusted);
        return levels;
    }

    /**
     * Positive reviews of crates.io versions by ids trusted at {@code minimum} or more, as cargo-vet audits for
     * {@code criteria} — so the review check sees one set of audits, whoever wrote them.
     */
    public List<VetData.Audit> audits(Map<String, Level> trusted, Level minimum, Set<String> criteria) {
        List<VetData.Audit> audits = new ArrayList<>();
        for (Review review : reviews) {
            if (review.positive() && fromCratesIo(review) && review.name() != null && review.version() != null
                    && trusted.getOrDefault(review.from(), Level.NONE).compareTo(minimum) >= 0) {
                audits.add(new VetData.Audit(review.name(), criteria, null, review.version(), "crev:"
                        + review.from().substring(0, Math.min(8, review.from().length())), "crev", review.file(),
                        review.line()));
            }
        }
        return audits;
    }

    /** Negative and dangerous reviews by trusted ids (at any level above none). */
    public List<Review> warnings(Map<String, Level> trusted) {
        return reviews.stream().filter(r -> r.negative() && fromCratesIo(r)
                && trusted.getOrDefault(r.from(), Level.NONE).compareTo(Level.LOW) >= 0).toList();
    }

    private static boolean fromCratesIo(Review review) {
        return review.source() == null || review.source().replaceAll("/+$", "").equals("https://crates.io");
    }

    static Level level(String text) {
        return switch (text == null ? "" : text) {
            case "high" -> Level.HIGH;
            case "medium" -> Level.MEDIUM;
            case "low" -> Level.LOW;
            default -> Level.NONE;
        };
    }

    private static Instant instant(String date) {
        try {
            return OffsetDateTime.parse(date).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? cast(map) : Map.of();
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
