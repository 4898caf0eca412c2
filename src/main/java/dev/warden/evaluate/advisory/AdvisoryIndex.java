package dev.warden.evaluate.advisory;

import dev.warden.cargo.semver.Version;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.WardenException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compact binary form of an {@link AdvisoryDatabase}, written when Warden is built (and after
 * {@code warden db update}) so that a run reads one small file instead of parsing 1,200 Markdown advisories, and
 * decodes only the advisories of crates that are actually in the lockfile.
 *
 * <p>Layout: magic, format version, description, data date, malicious crate names, then a table of contents
 * (crate name, offset, length) and the per-crate advisory records.
 */
public final class AdvisoryIndex {

    private static final int MAGIC = 0x57414442; // "WADB"
    private static final int FORMAT = 2;

    private AdvisoryIndex() {
    }

    public static byte[] write(AdvisoryDatabase db) {
        try {
            Map<String, byte[]> records = new LinkedHashMap<>();
            for (String crate : new TreeSet<>(db.crates())) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                List<Advisory> advisories = db.forCrate(crate);
                out.writeShort(advisories.size());
                for (Advisory advisory : advisories) {
                    writeAdvisory(out, advisory);
                }
                out.flush();
                records.put(crate, bytes.toByteArray());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(db.description());
            out.writeUTF(db.dataDate() == null ? "" : db.dataDate().toString());
            out.writeInt(db.advisoryCount());
            strings(out, List.copyOf(db.maliciousCrates()));
            out.writeInt(records.size());
            int offset = 0;
            for (Map.Entry<String, byte[]> record : records.entrySet()) {
                out.writeUTF(record.getKey());
                out.writeInt(offset);
                out.writeInt(record.getValue().length);
                offset += record.getValue().length;
            }
            for (byte[] record : records.values()) {
                out.write(record);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens an index; advisories are decoded per crate on first use. A corrupt file is a user-facing error. */
    public static AdvisoryDatabase read(byte[] data, String origin) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new WardenException(origin + ": not a Warden advisory index (or one from another version)");
            }
            String description = in.readUTF();
            String date = in.readUTF();
            int advisories = in.readInt();
            Set<String> malicious = new HashSet<>(readStrings(in));
            int count = in.readInt();
            // a count is believed only as far as the bytes left can hold that many entries (name, offset, length)
            if (count < 0 || count > in.available() / 10) {
                throw new WardenException(origin + ": corrupt advisory index: " + count + " crates in "
                        + in.available() + " bytes");
            }
            Map<String, int[]> table = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                table.put(in.readUTF(), new int[] {in.readInt(), in.readInt()});
            }
            int base = data.length - in.available();
            Map<String, List<Advisory>> decoded = new ConcurrentHashMap<>();
            return new AdvisoryDatabase(description, date.isEmpty() ? null : LocalDate.parse(date), List.of(),
                    table.keySet(), malicious, advisories, crate -> {
                        int[] slot = table.get(crate);
                        return slot == null ? List.of()
                                : decoded.computeIfAbsent(crate, c -> decode(data, base + slot[0], slot[1], origin));
                    });
        } catch (IOException | RuntimeException e) {
            if (e instanceof WardenException w) {
                throw w;
            }
            throw new WardenException(origin + ": corrupt advisory index: " + e);
        }
    }

    private static List<Advisory> decode(byte[] data, int offset, int length, String origin) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset, length));
            int count = in.readShort();
            List<Advisory> advisories = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                advisories.add(readAdvisory(in));
            }
            return advisories;
        } catch (IOException | RuntimeException e) {
            throw new WardenException(origin + ": corrupt advisory index: " + e);
        }
    }

    private static void writeAdvisory(DataOutputStream out, Advisory a) throws IOException {
        out.writeUTF(a.id());
        strings(out, a.aliases());
        strings(out, a.related());
        out.writeUTF(a.crate());
        nullable(out, a.source());
        nullable(out, a.date() == null ? null : a.date().toString());
        out.writeUTF(a.title());
        // writeUTF holds at most 64 KiB; a summary is one paragraph, so a cap only guards against odd input.
        out.writeUTF(a.summary().length() > 4000 ? a.summary().substring(0, 4000) + "…" : a.summary());
        nullable(out, a.url());
        strings(out, List.copyOf(a.categories()));
        strings(out, a.keywords());
        nullable(out, a.informational() == null ? null : a.informational().name());
        nullable(out, a.withdrawn() == null ? null : a.withdrawn().toString());
        nullable(out, a.cvss() == null ? null : a.cvss().vector());
        if (a.cvss() != null) {
            out.writeUTF(a.cvss().version());
            out.writeDouble(a.cvss().score());
        }
        strings(out, a.os());
        strings(out, a.arch());
        out.writeShort(a.functions().size());
        for (Map.Entry<String, List<String>> function : a.functions().entrySet()) {
            out.writeUTF(function.getKey());
            strings(out, function.getValue());
        }
        switch (a.versions()) {
            case AffectedVersions.Requirements r -> {
                out.writeByte(0);
                strings(out, r.patched().stream().map(VersionReq::toString).toList());
                strings(out, r.unaffected().stream().map(VersionReq::toString).toList());
            }
            case AffectedVersions.Ranges r -> {
                out.writeByte(1);
                out.writeShort(r.ranges().size());
                for (AffectedVersions.Ranges.Range range : r.ranges()) {
                    out.writeShort(range.events().size());
                    for (AffectedVersions.Ranges.Event event : range.events()) {
                        out.writeByte(event.kind().ordinal());
                        nullable(out, event.version() == null ? null : event.version().toString());
                    }
                }
                strings(out, r.versions().stream().map(Version::toString).sorted().toList());
            }
        }
        out.writeUTF(a.license() == null ? "" : a.license());
        out.writeUTF(a.origin());
    }

    private static Advisory readAdvisory(DataInputStream in) throws IOException {
        String id = in.readUTF();
        List<String> aliases = readStrings(in);
        List<String> related = readStrings(in);
        String crate = in.readUTF();
        String source = readNullable(in);
        String date = readNullable(in);
        String title = in.readUTF();
        String summary = in.readUTF();
        String url = readNullable(in);
        Set<String> categories = new LinkedHashSet<>(readStrings(in));
        List<String> keywords = readStrings(in);
        String informational = readNullable(in);
        String withdrawn = readNullable(in);
        String vector = readNullable(in);
        Cvss cvss = vector == null ? null : new Cvss(vector, in.readUTF(), in.readDouble());
        List<String> os = readStrings(in);
        List<String> arch = readStrings(in);
        int functionCount = in.readShort();
        Map<String, List<String>> functions = new LinkedHashMap<>();
        for (int i = 0; i < functionCount; i++) {
            functions.put(in.readUTF(), readStrings(in));
        }
        AffectedVersions versions;
        if (in.readByte() == 0) {
            versions = new AffectedVersions.Requirements(readStrings(in).stream().map(VersionReq::parse).toList(),
                    readStrings(in).stream().map(VersionReq::parse).toList());
        } else {
            int rangeCount = in.readShort();
            List<AffectedVersions.Ranges.Range> ranges = new ArrayList<>(rangeCount);
            for (int i = 0; i < rangeCount; i++) {
                int eventCount = in.readShort();
                List<AffectedVersions.Ranges.Event> events = new ArrayList<>(eventCount);
                for (int j = 0; j < eventCount; j++) {
                    AffectedVersions.Ranges.Event.Kind kind = AffectedVersions.Ranges.Event.Kind.values()[in.readByte()];
                    String version = readNullable(in);
                    events.add(new AffectedVersions.Ranges.Event(kind, version == null ? null : Version.parse(version)));
                }
                ranges.add(new AffectedVersions.Ranges.Range(events));
            }
            Set<Version> explicit = new HashSet<>();
            for (String version : readStrings(in)) {
                explicit.add(Version.parse(version));
            }
            versions = new AffectedVersions.Ranges(ranges, explicit);
        }
        String license = in.readUTF();
        String origin = in.readUTF();
        return new Advisory(id, aliases, related, crate, source, date == null ? null : LocalDate.parse(date), title,
                summary, url, categories, keywords, informational == null ? null : Informational.valueOf(informational),
                withdrawn == null ? null : LocalDate.parse(withdrawn), cvss, os, arch, functions, versions,
                license.isEmpty() ? null : license, origin);
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeShort(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = in.readShort();
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    private static void nullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
