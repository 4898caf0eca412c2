package dev.warden.evaluate.license;

import dev.warden.core.Printable;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.library.LicenseInfoFactory;
import org.spdx.library.ListedLicenses;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.license.AnyLicenseInfo;
import org.spdx.library.model.v2.license.ConjunctiveLicenseSet;
import org.spdx.library.model.v2.license.DisjunctiveLicenseSet;
import org.spdx.library.model.v2.license.InvalidLicenseExpression;
import org.spdx.library.model.v2.license.LicenseSet;
import org.spdx.library.model.v2.license.OrLaterOperator;
import org.spdx.library.model.v2.license.SimpleLicensingInfo;
import org.spdx.library.model.v2.license.WithExceptionOperator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that talks to the SPDX Java library: the licence list that ships in its jar (never the network),
 * expression parsing, licence texts. Parsing is strict first, then lax as cargo-deny's fallback is: {@code /} read as
 * {@code OR}, and names crates wrote before crates.io required SPDX ({@code imprecise-names.tsv}).
 */
public final class Spdx {

    static {
        // The library would otherwise ask spdx.org for a newer list on first use.
        System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
        SpdxModelFactory.init();
    }

    private static final Pattern TOKEN = Pattern.compile("\\(|\\)|/|[^\\s()/]+");
    private static final Set<String> OPERATORS = Set.of("AND", "OR", "WITH");
    private static final Map<String, String> IMPRECISE = imprecise();
    private static final Set<String> COPYLEFT = Set.copyOf(lines("copyleft.txt"));
    private static final Map<String, LicenseExpression> PARSED = new HashMap<>();

    private Spdx() {
    }

    /** Why a text is not a licence expression. */
    public static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }

    /** Parses an expression (strict, then lax); the same text is parsed once per process. */
    public static synchronized LicenseExpression parse(String text) throws SyntaxException {
        LicenseExpression known = PARSED.get(text);
        if (known != null) {
            return known;
        }
        if (text.isBlank()) {
            throw new SyntaxException("the licence expression is empty");
        }
        if (text.length() > 1_000) {
            throw new SyntaxException("the licence expression is " + text.length() + " characters long");
        }
        LicenseExpression.Node root;
        String corrected = null;
        try {
            root = tree(library(text), text);
        } catch (SyntaxException strict) {
            corrected = lax(text);
            if (corrected.equals(text)) {
                throw strict;
            }
            root = tree(library(corrected), corrected);
        }
        LicenseExpression parsed = new LicenseExpression(text, corrected, root);
        PARSED.put(text, parsed);
        return parsed;
    }

    /** One requirement as a policy writes it ({@code "MIT"}, {@code "Apache-2.0 WITH LLVM-exception"}). */
    public static LicenseExpression.Req requirement(String text) throws SyntaxException {
        LicenseExpression parsed = parse(text);
        if (!(parsed.root() instanceof LicenseExpression.Req req) || parsed.corrected() != null) {
            throw new SyntaxException("'" + Printable.of(text) + "' is not one SPDX licence identifier");
        }
        return req;
    }

    private static AnyLicenseInfo library(String text) throws SyntaxException {
        try {
            AnyLicenseInfo info = LicenseInfoFactory.parseSPDXLicenseStringCompatV2(text);
            if (info instanceof InvalidLicenseExpression invalid) {
                throw new SyntaxException(invalid.getMessage());
            }
            return info;
        } catch (InvalidSPDXAnalysisException | RuntimeException e) {
            throw new SyntaxException(e.getMessage() == null ? "not an SPDX licence expression" : e.getMessage());
        }
    }

    /** The library's tree as ours; its sets are unordered, so parts go back into the order they were written. */
    private static LicenseExpression.Node tree(AnyLicenseInfo info, String text) throws SyntaxException {
        try {
            return switch (info) {
                case ConjunctiveLicenseSet set -> new LicenseExpression.All(parts(set, text));
                case DisjunctiveLicenseSet set -> new LicenseExpression.Any(parts(set, text));
                case OrLaterOperator later -> new LicenseExpression.Req(later.getLicense().getLicenseId(), true, null);
                case WithExceptionOperator with -> {
                    LicenseExpression.Node licence = tree(with.getLicense(), text);
                    if (!(licence instanceof LicenseExpression.Req req)) {
                        throw new SyntaxException("WITH applies to one licence");
                    }
                    yield new LicenseExpression.Req(req.id(), req.orLater(),
                            with.getException().getLicenseExceptionId());
                }
                case SimpleLicensingInfo simple -> new LicenseExpression.Req(simple.getLicenseId(), false, null);
                default -> throw new SyntaxException("'" + Printable.of(info.toString()) + "' is not a licence");
            };
        } catch (InvalidSPDXAnalysisException e) {
            throw new SyntaxException(e.getMessage());
        }
    }

    private static List<LicenseExpression.Node> parts(LicenseSet set, String text)
            throws InvalidSPDXAnalysisException, SyntaxException {
        List<LicenseExpression.Node> parts = new ArrayList<>();
        for (AnyLicenseInfo member : set.getMembers()) {
            parts.add(tree(member, text));
        }
        String lower = text.toLowerCase(Locale.ROOT);
        parts.sort(Comparator.comparingInt(part -> position(part, lower)));
        return parts;
    }

    private static int position(LicenseExpression.Node node, String lowerText) {
        return switch (node) {
            case LicenseExpression.Req req -> {
                int at = lowerText.indexOf(req.id().toLowerCase(Locale.ROOT));
                yield at < 0 ? Integer.MAX_VALUE : at;
            }
            case LicenseExpression.All all -> all.parts().stream().mapToInt(p -> position(p, lowerText)).min()
                    .orElse(Integer.MAX_VALUE);
            case LicenseExpression.Any any -> any.parts().stream().mapToInt(p -> position(p, lowerText)).min()
                    .orElse(Integer.MAX_VALUE);
        };
    }

    /** {@code /} as {@code OR}; each run of words between operators that is no identifier looked up by name. */
    static String lax(String text) {
        List<String> out = new ArrayList<>();
        List<String> phrase = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            String token = m.group();
            String upper = token.toUpperCase(Locale.ROOT);
            if (token.equals("(") || token.equals(")") || token.equals("/") || OPERATORS.contains(upper)) {
                flush(phrase, out);
                out.add(token.equals("/") ? "OR" : OPERATORS.contains(upper) ? upper : token);
            } else {
                phrase.add(token);
            }
        }
        flush(phrase, out);
        return String.join(" ", out).replace("( ", "(").replace(" )", ")");
    }

    private static void flush(List<String> phrase, List<String> out) {
        if (phrase.isEmpty()) {
            return;
        }
        String words = String.join(" ", phrase);
        boolean known = phrase.size() == 1 && (listedId(words).isPresent() || words.startsWith("LicenseRef-")
                || words.endsWith("+") && listedId(words.substring(0, words.length() - 1)).isPresent()
                || LicenseInfoFactory.isSpdxListedExceptionId(words));
        out.add(known ? words : IMPRECISE.getOrDefault(words.toLowerCase(Locale.ROOT), words));
        phrase.clear();
    }

    /** The listed identifier, in its own spelling, for any spelling of it. */
    public static Optional<String> listedId(String id) {
        return LicenseInfoFactory.listedLicenseIdCaseSensitive(id);
    }

    public static boolean deprecated(String id) {
        try {
            return listedId(id).isPresent() && ListedLicenses.getListedLicenses()
                    .getListedLicenseByIdCompatV2(listedId(id).get()).isDeprecated();
        } catch (InvalidSPDXAnalysisException e) {
            return false;
        }
    }

    /** Whether the licence obliges those who distribute a binary to release its sources (EmbarkStudios/spdx's flag). */
    public static boolean copyleft(String id) {
        return COPYLEFT.contains(id);
    }

    /** The GNU family, whose {@code -only} and {@code -or-later} forms are told apart pedantically. */
    public static boolean gnu(String id) {
        return id.startsWith("GPL-") || id.startsWith("LGPL-") || id.startsWith("AGPL-") || id.startsWith("GFDL-");
    }

    public static String listVersion() {
        return LicenseInfoFactory.getLicenseListVersion();
    }

    /** Every listed licence's text, by identifier (loaded from the jar on first call). */
    static Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        try {
            for (String id : LicenseInfoFactory.getSpdxListedLicenseIds()) {
                texts.put(id, ListedLicenses.getListedLicenses().getListedLicenseByIdCompatV2(id).getLicenseText());
            }
        } catch (InvalidSPDXAnalysisException e) {
            throw new IllegalStateException("the SPDX licence list in the jar cannot be read", e);
        }
        return texts;
    }

    private static Map<String, String> imprecise() {
        Map<String, String> names = new HashMap<>();
        for (String line : lines("imprecise-names.tsv")) {
            int tab = line.indexOf('\t');
            names.put(line.substring(0, tab).toLowerCase(Locale.ROOT), line.substring(tab + 1));
        }
        return names;
    }

    private static List<String> lines(String resource) {
        List<String> lines = new ArrayList<>();
        try (InputStream in = Spdx.class.getResourceAsStream(resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
