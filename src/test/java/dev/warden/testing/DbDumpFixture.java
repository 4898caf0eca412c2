package dev.warden.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a tarball shaped like crates.io's {@code db-dump.tar.gz}: a {@code <date>/} directory with {@code
 * metadata.json}, {@code README.md} and {@code data/*.csv} in PostgreSQL's CSV: the columns of crates.io's
 * {@code dump-db.toml} in its order (readmes and descriptions that span lines and hold quotes and commas, features as
 * JSON, {@code t}/{@code f} booleans, empty NULLs, timestamps with microseconds and no zone), tables in an order that
 * puts versions before crates, and tables the snapshot skips. Ids are assigned as rows are added.
 */
public final class DbDumpFixture {

    private static final DateTimeFormatter POSTGRES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Map<String, Long> crates = new LinkedHashMap<>();
    private final Map<String, Long> users = new LinkedHashMap<>();
    private final List<String> crateRows = new ArrayList<>();
    private final List<String> versionRows = new ArrayList<>();
    private final List<String> ownerRows = new ArrayList<>();
    private final List<String> downloadRows = new ArrayList<>();
    private long nextVersion = 1;
    private boolean trustpub;

    public long user(String login) {
        return users.computeIfAbsent(login, l -> (long) users.size() + 100);
    }

    public DbDumpFixture crate(String name, Instant created, long downloads) {
        long id = crates.size() + 1;
        crates.put(name, id);
        crateRows.add(id + "," + name + "," + ts(created) + "," + ts(created) + ",\"A crate, \"\"quoted\"\"\",,,"
                + "\"# " + name + "\n\nA readme\nthat spans, lines.\n\",https://github.com/acme/" + name + ",,");
        downloadRows.add(id + "," + downloads);
        return this;
    }

    public DbDumpFixture version(String crate, String num, Instant at, String publisher) {
        return version(crate, num, at, publisher, null);
    }

    /**
     * A version with {@code trustpub_data} (private in today's dumps, so only a dump that has the column carries it):
     * true writes a trusted-publishing record, false an empty value; null leaves the column out of this dump.
     */
    public DbDumpFixture version(String crate, String num, Instant at, String publisher, Boolean trusted) {
        return version(crate, num, at, publisher, trusted, "MIT OR Apache-2.0");
    }

    /** A version published with this {@code license} field (empty: none, as for a crate with only a licence file). */
    public DbDumpFixture licensed(String crate, String num, Instant at, String publisher, String license) {
        return version(crate, num, at, publisher, null, license);
    }

    private DbDumpFixture version(String crate, String num, Instant at, String publisher, Boolean trusted,
                                  String license) {
        if (trusted != null) {
            trustpub = true;
        }
        long id = nextVersion++;
        String by = publisher == null ? "" : String.valueOf(user(publisher));
        versionRows.add(id + "," + crates.get(crate) + "," + num + "," + num + "," + ts(at) + "," + ts(at) + ",42,"
                + "\"{\"\"default\"\":[\"\"std\"\"]}\",f," + csv(license) + ",1234," + by + ","
                + "0000000000000000000000000000000000000000000000000000000000000000,,1.70,t,\"{}\",2021,,,,,\"{}\",\"{}\""
                + "\u0000" + (Boolean.TRUE.equals(trusted) ? "\"{\"\"provider\"\":\"\"github\"\"}\"" : ""));
        return this;
    }

    /** A versions.csv row as written, for rows the dump should never hold. */
    public DbDumpFixture rawVersion(String row) {
        versionRows.add(row);
        return this;
    }

    public DbDumpFixture owner(String crate, String login, Instant added, String addedBy) {
        ownerRows.add(crates.get(crate) + "," + user(login) + "," + ts(added) + ","
                + (addedBy == null ? "" : user(addedBy)) + ",0");
        return this;
    }

    public Path write(Path file, Instant dumpedAt) {
        String root = POSTGRES.format(dumpedAt).substring(0, 19).replace(" ", "-").replace(":", "") + "/";
        StringBuilder userCsv = new StringBuilder("id,gh_login,name,gh_avatar,gh_id\n");
        users.forEach((login, id) -> userCsv.append(id).append(',').append(login).append(",\"").append(login)
                .append(", Esq.\",https://avatars.example/").append(id).append(',').append(id * 7).append('\n'));
        try (OutputStream raw = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                     new BufferedOutputStream(raw)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entry(tar, root + "README.md", "# crates.io Database Dump\n");
            entry(tar, root + "metadata.json", "{\"timestamp\":\"" + dumpedAt + "\",\"crates_io_commit\":\"abc\"}");
            entry(tar, root + "data/versions.csv", "id,crate_id,num,num_no_build,updated_at,created_at,downloads,"
                    + "features,yanked,license,crate_size,published_by,checksum,links,rust_version,has_lib,bin_names,"
                    + "edition,description,homepage,documentation,repository,categories,keywords"
                    + (trustpub ? ",trustpub_data" : "") + "\n" + String.join("\n", versionRows.stream()
                    .map(r -> trustpub ? r.replace("\u0000", ",") : r.replaceAll("\u0000.*$", "")).toList()) + "\n");
            entry(tar, root + "data/categories.csv", "id,category,slug,description,crates_cnt,created_at,path\n"
                    + "1,Parsing,parsing,\"Parsers,\nof things\",3,2017-01-17 19:13:05.112025,root.parsing\n");
            entry(tar, root + "data/crates.csv", "id,name,updated_at,created_at,description,homepage,documentation,"
                    + "readme,repository,max_upload_size,max_features\n" + String.join("\n", crateRows) + "\n");
            entry(tar, root + "data/users.csv", userCsv.toString());
            entry(tar, root + "data/teams.csv", "id,login,github_id,name,avatar,org_id\n");
            entry(tar, root + "data/crate_owners.csv", "crate_id,owner_id,created_at,created_by,owner_kind\n"
                    + String.join("\n", ownerRows) + (ownerRows.isEmpty() ? "" : "\n"));
            entry(tar, root + "data/crate_downloads.csv", "crate_id,downloads\n" + String.join("\n", downloadRows)
                    + "\n");
            entry(tar, root + "data/version_downloads.csv", "version_id,downloads,date\n1,10,2026-11-01\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void entry(TarArchiveOutputStream tar, String name, String text) throws IOException {
        entry(tar, name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One file of a dump tarball. */
    public static void entry(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static String ts(Instant at) {
        return timestamp(at);
    }

    /** A timestamp as the dump writes it: UTC, microseconds, no zone. */
    public static String timestamp(Instant at) {
        return POSTGRES.format(at);
    }
}
