package dev.warden.evaluate.advisory;

import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.WardenException;
import dev.warden.toml.Toml;
import dev.warden.toml.TomlArray;
import dev.warden.toml.TomlTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a RustSec advisory ({@code crates/<name>/RUSTSEC-YYYY-NNNN.md}): TOML front matter in a {@code ```toml}
 * fence ({@code [advisory]}, {@code [affected]}, {@code [versions]}), then Markdown whose first heading is the title.
 * Problems are user-facing errors naming the file and line; the loader reports them and skips the file.
 */
public final class RustsecParser {

    /** Advisories are a few kilobytes; anything this large is not one. */
    static final long MAX_BYTES = 1 << 20;

    private static final Pattern ID = Pattern.compile("RUSTSEC-\\d{4}-\\d{4}");

    private RustsecParser() {
    }

    public static Advisory parse(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw WardenException.at(file, 0, "advisory file is " + size + " bytes, over the " + MAX_BYTES + " limit");
            }
        } catch (IOException e) {
            throw new WardenException(file + ": cannot read: " + e.getMessage());
        }
        return parse(Toml.read(file), file);
    }

    public static Advisory parse(String text, Path file) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().strip().equals("```toml")) {
            throw WardenException.at(file, 1, "advisory must start with a ```toml front-matter fence");
        }
        int close = -1;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```")) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw WardenException.at(file, 1, "unterminated ```toml front matter");
        }
        // A leading empty line stands for the fence, so TOML line numbers are file line numbers.
        TomlTable root = Toml.parse("\n" + String.join("\n", lines.subList(1, close)), file);
        // The newer flat format (rustsec's example_advisory_v4) puts the advisory's keys at the top level.
        TomlTable advisory = !root.contains("advisory") && root.contains("id") ? root
                : requiredTable(root, "advisory", file);
        String id = requiredString(advisory, "id", file);
        if (!ID.matcher(id).matches()) {
            throw advisory.error("id", "advisory id '" + id + "' is not of the form RUSTSEC-YYYY-NNNN");
        }
        TomlTable affected = root.getTable("affected");
        TomlTable versions = requiredTable(root, "versions", file);
        if (!versions.contains("patched")) {
            throw WardenException.at(file, versions.line(), "[versions] is missing 'patched'");
        }
        String[] titleAndSummary = titleAndSummary(lines.subList(close + 1, lines.size()));
        String cvssText = advisory.getString("cvss");
        Cvss cvss = null;
        if (cvssText != null) {
            try {
                cvss = Cvss.parse(cvssText);
            } catch (WardenException e) {
                throw advisory.error("cvss", e.getMessage());
            }
        }
        return new Advisory(id, advisory.getStrings("aliases"), advisory.getStrings("related"),
                requiredString(advisory, "package", file), advisory.getString("source"),
                date(advisory, "date", file, true), titleAndSummary[0], titleAndSummary[1], advisory.getString("url"),
                new LinkedHashSet<>(advisory.getStrings("categories")), advisory.getStrings("keywords"),
                Informational.parse(advisory.getString("informational")), date(advisory, "withdrawn", file, false),
                cvss, affected == null ? List.of() : affected.getStrings("os"),
                affected == null ? List.of() : affected.getStrings("arch"), functions(affected),
                affectedVersions(versions),
                advisory.getString("license", "CC0-1.0"), file.toString());
    }

    private static TomlTable requiredTable(TomlTable root, String key, Path file) {
        TomlTable table = root.getTable(key);
        if (table == null) {
            throw WardenException.at(file, 0, "advisory is missing its [" + key + "] table");
        }
        return table;
    }

    private static String requiredString(TomlTable table, String key, Path file) {
        String value = table.getString(key);
        if (value == null || value.isBlank()) {
            throw WardenException.at(file, table.line(), "[advisory] is missing '" + key + "'");
        }
        return value;
    }

    private static LocalDate date(TomlTable table, String key, Path file, boolean required) {
        Object value = table.get(key);
        if (value == null) {
            if (required) {
                throw WardenException.at(file, table.line(), "[advisory] is missing '" + key + "'");
            }
            return null;
        }
        try {
            return LocalDate.parse(value.toString());
        } catch (DateTimeParseException e) {
            throw table.error(key, "'" + key + "' is not a YYYY-MM-DD date: " + value);
        }
    }

    private static AffectedVersions affectedVersions(TomlTable versions) {
        List<VersionReq> patched = requirements(versions, "patched");
        List<VersionReq> unaffected = requirements(versions, "unaffected");
        try {
            return new AffectedVersions.Requirements(patched, unaffected);
        } catch (WardenException e) {
            throw WardenException.at(versions.source(), versions.line(), "[versions] " + e.getMessage());
        }
    }

    private static List<VersionReq> requirements(TomlTable versions, String key) {
        List<VersionReq> reqs = new ArrayList<>();
        TomlArray array = versions.getArray(key);
        List<String> texts = versions.getStrings(key);
        for (int i = 0; i < texts.size(); i++) {
            try {
                reqs.add(VersionReq.parse(texts.get(i)));
            } catch (WardenException e) {
                throw WardenException.at(versions.source(), array.line(i), e.getMessage());
            }
        }
        return reqs;
    }

    private static Map<String, List<String>> functions(TomlTable affected) {
        Map<String, List<String>> functions = new LinkedHashMap<>();
        TomlTable table = affected == null ? null : affected.getTable("functions");
        if (table != null) {
            for (String path : table.keys()) {
                List<String> reqs = table.getStrings(path);
                for (String req : reqs) {
                    try {
                        VersionReq.parse(req);
                    } catch (WardenException e) {
                        throw table.error(path, e.getMessage());
                    }
                }
                functions.put(path, reqs);
            }
        }
        return functions;
    }

    /** The first {@code # heading} and the paragraph after it. */
    static String[] titleAndSummary(List<String> body) {
        for (int i = 0; i < body.size(); i++) {
            String trimmed = body.get(i).strip();
            if (trimmed.startsWith("# ")) {
                return new String[] {trimmed.substring(2).strip(), firstParagraph(body.subList(i + 1, body.size()))};
            }
        }
        return new String[] {"", firstParagraph(body)};
    }

    /** The first paragraph of Markdown text, joined into one line; headings before it are skipped. */
    static String firstParagraph(List<String> lines) {
        StringBuilder paragraph = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                if (!paragraph.isEmpty()) {
                    break;
                }
                continue;
            }
            if (!paragraph.isEmpty()) {
                paragraph.append(' ');
            }
            paragraph.append(trimmed);
        }
        return paragraph.toString();
    }
}
