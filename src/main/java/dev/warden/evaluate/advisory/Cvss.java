package dev.warden.evaluate.advisory;

import dev.warden.core.Severity;
import dev.warden.core.WardenException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CVSS v3.0, v3.1 or v4.0 vector and its base score, computed as the FIRST specifications define them (v3.1's
 * Roundup, v4.0's MacroVector interpolation), with the qualitative severity rating both versions share.
 */
public record Cvss(String vector, String version, double score) {

    private static final Set<String> V3_BASE = Set.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");
    private static final Set<String> V4_BASE = Set.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA");

    /** Parses a vector such as {@code CVSS:3.1/AV:N/AC:L/...}; a malformed vector is a user-facing error. */
    public static Cvss parse(String vector) {
        String[] parts = vector.trim().split("/");
        if (parts.length < 2 || !parts[0].startsWith("CVSS:")) {
            throw new WardenException("invalid CVSS vector '" + vector + "': expected CVSS:<version>/...");
        }
        String version = parts[0].substring(5);
        Map<String, String> metrics = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            if (colon <= 0 || metrics.put(parts[i].substring(0, colon), parts[i].substring(colon + 1)) != null) {
                throw new WardenException("invalid CVSS vector '" + vector + "': bad or repeated metric '" + parts[i] + "'");
            }
        }
        double score = switch (version) {
            case "3.0", "3.1" -> {
                require(vector, metrics, V3_BASE);
                yield V3.score(metrics, version.equals("3.1"), vector);
            }
            case "4.0" -> {
                require(vector, metrics, V4_BASE);
                yield V4.score(metrics, vector);
            }
            default -> throw new WardenException("unsupported CVSS version " + version + " in '" + vector + "'");
        };
        return new Cvss(vector, version, score);
    }

    /** The shared qualitative rating: none (info), low, medium, high, critical. */
    public Severity severity() {
        if (score == 0) {
            return Severity.INFO;
        }
        if (score < 4.0) {
            return Severity.LOW;
        }
        if (score < 7.0) {
            return Severity.MEDIUM;
        }
        return score < 9.0 ? Severity.HIGH : Severity.CRITICAL;
    }

    private static void require(String vector, Map<String, String> metrics, Set<String> base) {
        for (String metric : base) {
            if (!metrics.containsKey(metric)) {
                throw new WardenException("invalid CVSS vector '" + vector + "': missing base metric " + metric);
            }
        }
    }

    private static double weight(Map<String, Double> weights, String metric, String value, String vector) {
        Double weight = weights.get(value);
        if (weight == null) {
            throw new WardenException("invalid CVSS vector '" + vector + "': unknown value " + metric + ":" + value);
        }
        return weight;
    }

    /** CVSS v3.x base score (section 7.1 of the v3.1 specification). */
    private static final class V3 {

        static double score(Map<String, String> m, boolean v31, String vector) {
            boolean changed = switch (m.get("S")) {
                case "U" -> false;
                case "C" -> true;
                default -> throw new WardenException("invalid CVSS vector '" + vector + "': unknown value S:" + m.get("S"));
            };
            Map<String, Double> cia = Map.of("H", 0.56, "L", 0.22, "N", 0.0);
            double iss = 1 - (1 - weight(cia, "C", m.get("C"), vector)) * (1 - weight(cia, "I", m.get("I"), vector))
                    * (1 - weight(cia, "A", m.get("A"), vector));
            double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
            double pr = weight(changed ? Map.of("N", 0.85, "L", 0.68, "H", 0.5) : Map.of("N", 0.85, "L", 0.62, "H", 0.27),
                    "PR", m.get("PR"), vector);
            double exploitability = 8.22 * weight(Map.of("N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2), "AV", m.get("AV"), vector)
                    * weight(Map.of("L", 0.77, "H", 0.44), "AC", m.get("AC"), vector) * pr
                    * weight(Map.of("N", 0.85, "R", 0.62), "UI", m.get("UI"), vector);
            if (impact <= 0) {
                return 0;
            }
            double raw = Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10);
            return v31 ? roundUp31(raw) : Math.ceil(raw * 10) / 10;
        }

        /** v3.1's Roundup, which avoids floating-point artefacts such as 4.000000001 becoming 4.1. */
        static double roundUp31(double value) {
            long integer = Math.round(value * 100000);
            return integer % 10000 == 0 ? integer / 100000.0 : (Math.floor(integer / 10000.0) + 1) / 10.0;
        }
    }

    /** CVSS v4.0 score: MacroVector lookup, then interpolation by severity distance (specification section 8). */
    private static final class V4 {

        private static final Map<String, Double> LOOKUP = loadLookup();

        private static final Map<String, Map<String, Double>> LEVELS = Map.ofEntries(
                Map.entry("AV", Map.of("N", 0.0, "A", 0.1, "L", 0.2, "P", 0.3)),
                Map.entry("PR", Map.of("N", 0.0, "L", 0.1, "H", 0.2)),
                Map.entry("UI", Map.of("N", 0.0, "P", 0.1, "A", 0.2)),
                Map.entry("AC", Map.of("L", 0.0, "H", 0.1)),
                Map.entry("AT", Map.of("N", 0.0, "P", 0.1)),
                Map.entry("VC", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
                Map.entry("VI", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
                Map.entry("VA", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
                Map.entry("SC", Map.of("H", 0.1, "L", 0.2, "N", 0.3)),
                Map.entry("SI", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3)),
                Map.entry("SA", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3)),
                Map.entry("CR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)),
                Map.entry("IR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)),
                Map.entry("AR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)));

        /** The highest-severity vectors of each equivalence class, per EQ level. */
        private static final Map<String, List<String>> MAX_COMPOSED = Map.ofEntries(
                Map.entry("eq1:0", List.of("AV:N/PR:N/UI:N/")),
                Map.entry("eq1:1", List.of("AV:A/PR:N/UI:N/", "AV:N/PR:L/UI:N/", "AV:N/PR:N/UI:P/")),
                Map.entry("eq1:2", List.of("AV:P/PR:N/UI:N/", "AV:A/PR:L/UI:P/")),
                Map.entry("eq2:0", List.of("AC:L/AT:N/")),
                Map.entry("eq2:1", List.of("AC:H/AT:N/", "AC:L/AT:P/")),
                Map.entry("eq3eq6:00", List.of("VC:H/VI:H/VA:H/CR:H/IR:H/AR:H/")),
                Map.entry("eq3eq6:01", List.of("VC:H/VI:H/VA:L/CR:M/IR:M/AR:H/", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M/")),
                Map.entry("eq3eq6:10", List.of("VC:L/VI:H/VA:H/CR:H/IR:H/AR:H/", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H/")),
                Map.entry("eq3eq6:11", List.of("VC:L/VI:H/VA:L/CR:H/IR:M/AR:H/", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M/",
                        "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M/", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H/",
                        "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M/")),
                Map.entry("eq3eq6:21", List.of("VC:L/VI:L/VA:L/CR:H/IR:H/AR:H/")),
                Map.entry("eq4:0", List.of("SC:H/SI:S/SA:S/")),
                Map.entry("eq4:1", List.of("SC:H/SI:H/SA:H/")),
                Map.entry("eq4:2", List.of("SC:L/SI:L/SA:L/")),
                Map.entry("eq5:0", List.of("E:A/")),
                Map.entry("eq5:1", List.of("E:P/")),
                Map.entry("eq5:2", List.of("E:U/")));

        /** The depth of each equivalence class, in steps of 0.1 severity distance. */
        private static final Map<String, Integer> MAX_SEVERITY = Map.ofEntries(
                Map.entry("eq1:0", 1), Map.entry("eq1:1", 4), Map.entry("eq1:2", 5),
                Map.entry("eq2:0", 1), Map.entry("eq2:1", 2),
                Map.entry("eq3eq6:00", 7), Map.entry("eq3eq6:01", 6), Map.entry("eq3eq6:10", 8),
                Map.entry("eq3eq6:11", 8), Map.entry("eq3eq6:21", 10),
                Map.entry("eq4:0", 6), Map.entry("eq4:1", 5), Map.entry("eq4:2", 4));

        static double score(Map<String, String> vector, String text) {
            Map<String, String> m = effective(vector, text);
            if (List.of("VC", "VI", "VA", "SC", "SI", "SA").stream().allMatch(k -> m.get(k).equals("N"))) {
                return 0.0;
            }
            int[] eq = macroVector(m);
            String macro = key(eq);
            double value = LOOKUP.get(macro);

            double lowerEq1 = lookup(eq[0] + 1, eq[1], eq[2], eq[3], eq[4], eq[5]);
            double lowerEq2 = lookup(eq[0], eq[1] + 1, eq[2], eq[3], eq[4], eq[5]);
            double lowerEq3Eq6;
            if (eq[2] == 0 && eq[5] == 0) {
                // Two lower neighbours; the higher one counts (a missing one compares false, as in the reference).
                double left = lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5] + 1);
                double right = lookup(eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]);
                lowerEq3Eq6 = left > right ? left : right;
            } else if (eq[2] == 1 && eq[5] == 0) {
                lowerEq3Eq6 = lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5] + 1);
            } else if (eq[2] == 2) {
                lowerEq3Eq6 = lookup(eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5] + 1);
            } else {
                lowerEq3Eq6 = lookup(eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]);
            }
            double lowerEq4 = lookup(eq[0], eq[1], eq[2], eq[3] + 1, eq[4], eq[5]);
            double lowerEq5 = lookup(eq[0], eq[1], eq[2], eq[3], eq[4] + 1, eq[5]);

            Map<String, Double> distance = severityDistances(m, eq);
            double d1 = distance.get("AV") + distance.get("PR") + distance.get("UI");
            double d2 = distance.get("AC") + distance.get("AT");
            double d36 = distance.get("VC") + distance.get("VI") + distance.get("VA") + distance.get("CR")
                    + distance.get("IR") + distance.get("AR");
            double d4 = distance.get("SC") + distance.get("SI") + distance.get("SA");

            double step = 0.1;
            double[] available = {value - lowerEq1, value - lowerEq2, value - lowerEq3Eq6, value - lowerEq4, value - lowerEq5};
            double[] proportion = {
                d1 / (MAX_SEVERITY.get("eq1:" + eq[0]) * step),
                d2 / (MAX_SEVERITY.get("eq2:" + eq[1]) * step),
                d36 / (MAX_SEVERITY.get("eq3eq6:" + eq[2] + eq[5]) * step),
                d4 / (MAX_SEVERITY.get("eq4:" + eq[3]) * step),
                0,
            };
            int existing = 0;
            double sum = 0;
            for (int i = 0; i < available.length; i++) {
                if (!Double.isNaN(available[i])) {
                    existing++;
                    sum += available[i] * proportion[i];
                }
            }
            value -= existing == 0 ? 0 : sum / existing;
            value = Math.max(0, Math.min(10, value));
            // Rounded half up to one decimal as the current reference calculator does: the epsilon keeps binary
            // artefacts such as 5.6499999999 (meant as 5.65) from rounding down.
            return Math.round((value + 1e-6) * 10) / 10.0;
        }

        /** Applies the defaults and environmental overrides: E defaults to A, CR/IR/AR to H, M* replace base. */
        private static Map<String, String> effective(Map<String, String> vector, String text) {
            Map<String, String> m = new HashMap<>();
            for (String metric : LEVELS.keySet()) {
                m.put(metric, vector.get(metric));
            }
            m.put("E", vector.getOrDefault("E", "X"));
            for (String metric : List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA")) {
                String modified = vector.get("M" + metric);
                if (modified != null && !modified.equals("X")) {
                    m.put(metric, modified);
                }
            }
            if (m.get("E").equals("X")) {
                m.put("E", "A");
            }
            for (String metric : List.of("CR", "IR", "AR")) {
                if (m.get(metric) == null || m.get(metric).equals("X")) {
                    m.put(metric, "H");
                }
            }
            for (Map.Entry<String, Map<String, Double>> level : LEVELS.entrySet()) {
                if (!level.getValue().containsKey(m.get(level.getKey()))) {
                    throw new WardenException("invalid CVSS vector '" + text + "': unknown value " + level.getKey()
                            + ":" + m.get(level.getKey()));
                }
            }
            if (!Set.of("A", "P", "U").contains(m.get("E"))) {
                throw new WardenException("invalid CVSS vector '" + text + "': unknown value E:" + m.get("E"));
            }
            // MSI/MSA may take the value S (safety); the base SI/SA may not, but the scoring treats them together.
            m.put("MSI", vector.getOrDefault("MSI", "X"));
            m.put("MSA", vector.getOrDefault("MSA", "X"));
            return m;
        }

        private static int[] macroVector(Map<String, String> m) {
            boolean avN = m.get("AV").equals("N");
            boolean prN = m.get("PR").equals("N");
            boolean uiN = m.get("UI").equals("N");
            int eq1 = avN && prN && uiN ? 0 : (avN || prN || uiN) && !m.get("AV").equals("P") ? 1 : 2;
            int eq2 = m.get("AC").equals("L") && m.get("AT").equals("N") ? 0 : 1;
            boolean vcH = m.get("VC").equals("H");
            boolean viH = m.get("VI").equals("H");
            boolean vaH = m.get("VA").equals("H");
            int eq3 = vcH && viH ? 0 : vcH || viH || vaH ? 1 : 2;
            boolean safety = m.get("MSI").equals("S") || m.get("MSA").equals("S");
            int eq4 = safety ? 0 : m.get("SC").equals("H") || m.get("SI").equals("H") || m.get("SA").equals("H") ? 1 : 2;
            int eq5 = switch (m.get("E")) {
                case "A" -> 0;
                case "P" -> 1;
                default -> 2;
            };
            boolean crit = m.get("CR").equals("H") && vcH || m.get("IR").equals("H") && viH
                    || m.get("AR").equals("H") && vaH;
            int eq6 = crit ? 0 : 1;
            return new int[] {eq1, eq2, eq3, eq4, eq5, eq6};
        }

        /** Distances from the first highest-severity vector of the MacroVector that is not below the scored one. */
        private static Map<String, Double> severityDistances(Map<String, String> m, int[] eq) {
            Map<String, Double> distance = new HashMap<>();
            for (String e1 : MAX_COMPOSED.get("eq1:" + eq[0])) {
                for (String e2 : MAX_COMPOSED.get("eq2:" + eq[1])) {
                    for (String e36 : MAX_COMPOSED.get("eq3eq6:" + eq[2] + eq[5])) {
                        for (String e4 : MAX_COMPOSED.get("eq4:" + eq[3])) {
                            for (String e5 : MAX_COMPOSED.get("eq5:" + eq[4])) {
                                Map<String, String> max = metrics(e1 + e2 + e36 + e4 + e5);
                                boolean fits = true;
                                for (Map.Entry<String, Map<String, Double>> level : LEVELS.entrySet()) {
                                    String metric = level.getKey();
                                    double d = level.getValue().get(m.get(metric)) - level.getValue().get(max.get(metric));
                                    distance.put(metric, d);
                                    fits &= d >= 0;
                                }
                                if (fits) {
                                    return distance;
                                }
                            }
                        }
                    }
                }
            }
            return distance;
        }

        private static Map<String, String> metrics(String parts) {
            Map<String, String> map = new HashMap<>();
            for (String part : parts.split("/")) {
                int colon = part.indexOf(':');
                map.put(part.substring(0, colon), part.substring(colon + 1));
            }
            return map;
        }

        private static double lookup(int... eq) {
            Double value = LOOKUP.get(key(eq));
            return value == null ? Double.NaN : value;
        }

        private static String key(int[] eq) {
            StringBuilder s = new StringBuilder(6);
            for (int level : eq) {
                s.append(level);
            }
            return s.toString();
        }

        private static Map<String, Double> loadLookup() {
            Map<String, Double> table = new HashMap<>();
            try (InputStream in = Cvss.class.getResourceAsStream("cvss4-macrovectors.txt");
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        String[] fields = line.trim().split("\\s+");
                        table.put(fields[0], Double.parseDouble(fields[1]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return table;
        }
    }
}
