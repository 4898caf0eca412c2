package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.project.Project;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code warden lock}: the lockfile inventory. JSON shape (stable):
 * <pre>{"lockfileVersion":4,"packages":[{"name","version","source","sourceKind","checksum",
 *  "dependencies":["name version"]}]}</pre>
 * {@code source} is written exactly as in Cargo.lock and null for path/workspace packages; {@code checksum} is null
 * when Cargo recorded none. A dependency is {@code "name version"}, followed by {@code " (source)"} only when two
 * locked packages share that name and version.
 */
public final class InventoryReport {

    /** Versions with long build metadata (0.7.1+5.3.1-0-g81034ce…) overflow the column rather than widen it. */
    private static final int MAX_VERSION_WIDTH = 20;

    private InventoryReport() {
    }

    public static void text(Project project, PrintWriter out) {
        Lockfile lockfile = project.lockfile();
        String summary = lockfile.sourceSummary().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        out.printf("%s (format v%d): %d packages — %s%n", project.display(lockfile.path()), lockfile.version(),
                lockfile.packages().size(), summary);
        int nameWidth = 4;
        int versionWidth = 7;
        for (LockedPackage p : lockfile.packages()) {
            nameWidth = Math.max(nameWidth, p.name().length());
            versionWidth = Math.max(versionWidth, Math.min(MAX_VERSION_WIDTH, p.version().toString().length()));
        }
        StringBuilder table = new StringBuilder(lockfile.packages().size() * 64);
        row(table, nameWidth, versionWidth, "NAME", "VERSION", "SOURCE");
        for (LockedPackage p : lockfile.packages()) {
            String origin = Labels.origin(p.id(), project);
            row(table, nameWidth, versionWidth, p.name(), p.version().toString(), origin == null ? "crates.io" : origin);
        }
        out.print(table);
        for (PackageId unused : lockfile.unusedPatches()) {
            out.printf("unused patch: %s%n", unused.fullSpec());
        }
    }

    /** Padded columns built by hand: {@code printf} re-parses its format for every row, which shows on big lockfiles. */
    private static void row(StringBuilder table, int nameWidth, int versionWidth, String name, String version,
                            String source) {
        table.append(name).repeat(' ', nameWidth - name.length() + 2);
        table.append(version).repeat(' ', Math.max(1, versionWidth - version.length() + 2));
        table.append(source).append(System.lineSeparator());
    }

    public static void json(Lockfile lockfile, PrintWriter out) {
        Map<String, Integer> sameNameVersion = new HashMap<>();
        for (LockedPackage p : lockfile.packages()) {
            sameNameVersion.merge(p.id().nameAndVersion(), 1, Integer::sum);
        }
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeNumberField("lockfileVersion", lockfile.version());
            json.writeArrayFieldStart("packages");
            for (LockedPackage p : lockfile.packages()) {
                writePackage(json, p, sameNameVersion);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void writePackage(JsonGenerator json, LockedPackage p, Map<String, Integer> sameNameVersion)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("name", p.name());
        json.writeStringField("version", p.version().toString());
        JsonOutput.source(json, "source", p);
        JsonOutput.stringOrNull(json, "checksum", p.checksum());
        json.writeArrayFieldStart("dependencies");
        for (PackageId dependency : p.dependencies()) {
            boolean ambiguous = sameNameVersion.getOrDefault(dependency.nameAndVersion(), 0) > 1;
            json.writeString(ambiguous ? dependency.fullSpec() : dependency.nameAndVersion());
        }
        json.writeEndArray();
        if (p.replace() != null) {
            json.writeStringField("replace", p.replace().fullSpec());
        }
        json.writeEndObject();
    }
}
