package dev.warden.bench;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.testing.DbDumpFixture;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes a crates.io-sized database dump for the registry-data benchmark: {@code CRATES} crates (foundry's 1,209
 * locked names first, so a real lockfile finds them) with {@code VERSIONS} versions in all, publishers and owners
 * drawn from 60,000 accounts, a readme per crate, in the dump's file layout and CSV dialect.
 * Usage: {@code RegistryDump OUT.tar.gz [CRATES] [VERSIONS]} (default 200,000 and 1,800,000).
 */
public final class RegistryDump {

    private RegistryDump() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int crates = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int versions = args.length > 2 ? Integer.parseInt(args[2]) : 1_800_000;
        write(out, crates, versions);
    }

    public static void write(Path out, int crateCount, int versionCount) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (LockedPackage pkg : LockfileParser.parse(Path.of(
                "src/test/resources/corpus/lockfiles/foundry-rs__foundry/Cargo.lock")).packages()) {
            names.add(pkg.name());
        }
        for (int i = 0; names.size() < crateCount; i++) {
            names.add("crate-" + i);
        }
        List<String> crateNames = new ArrayList<>(names);
        Random random = new Random(17);
        Path work = Files.createTempDirectory("registry-dump");
        long start = Instant.parse("2015-01-01T00:00:00Z").getEpochSecond();
        long span = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() - start;
        int users = 60_000;
        try (BufferedWriter crates = csv(work, "crates", "id,name,updated_at,created_at,description,homepage,"
                + "documentation,readme,repository,max_upload_size,max_features");
             BufferedWriter versions = csv(work, "versions", "id,crate_id,num,num_no_build,updated_at,created_at,"
                     + "downloads,features,yanked,license,crate_size,published_by,checksum,links,rust_version,has_lib,"
                     + "bin_names,edition,description,homepage,documentation,repository,categories,keywords");
             BufferedWriter owners = csv(work, "crate_owners", "crate_id,owner_id,created_at,created_by,owner_kind");
             BufferedWriter downloads = csv(work, "crate_downloads", "crate_id,downloads");
             BufferedWriter userRows = csv(work, "users", "id,gh_login,name,gh_avatar,gh_id")) {
            long versionId = 1;
            for (int c = 0; c < crateNames.size(); c++) {
                long id = c + 1;
                long created = start + (long) (random.nextDouble() * span * 0.9);
                String name = crateNames.get(c);
                crates.write(id + "," + name + "," + ts(created) + "," + ts(created) + ",\"The " + name
                        + " crate, for things\",,,\"# " + name + "\n\nUsage:\n\n```rust\nuse " + name
                        + ";\n```\n\",https://github.com/owner/" + name + ",,\n");
                downloads.write(id + "," + random.nextInt(10_000_000) + "\n");
                int owner = 1 + random.nextInt(users);
                owners.write(id + "," + owner + "," + ts(created) + ",,0\n");
                if (random.nextInt(3) == 0) {
                    owners.write(id + "," + (1 + random.nextInt(users)) + "," + ts(created + 86_400 * 30) + ","
                            + owner + ",0\n");
                }
                int count = (int) (versionCount / crateNames.size()) + (c < versionCount % crateNames.size() ? 1 : 0);
                long at = created;
                for (int v = 0; v < count; v++) {
                    at += 1 + (long) (random.nextDouble() * 86_400 * 60);
                    versions.write(versionId++ + "," + id + ",0." + (v / 10) + "." + (v % 10) + ",0." + (v / 10)
                            + "." + (v % 10) + "," + ts(at) + "," + ts(at) + "," + random.nextInt(100_000)
                            + ",\"{\"\"default\"\":[\"\"std\"\"]}\",f,MIT OR Apache-2.0," + (10_000 + random.nextInt(
                            100_000)) + "," + owner + "," + String.format("%064x", versionId) + ",,1.70,t,\"{}\","
                            + "2021,,,,,\"{}\",\"{}\"\n");
                }
            }
            for (int u = 1; u <= users; u++) {
                userRows.write(u + ",user" + u + ",User " + u + ",https://avatars.example/" + u + "," + (u * 7) + "\n");
            }
        }
        Files.writeString(work.resolve("teams.csv"), "id,login,github_id,name,avatar,org_id\n");
        String root = "2026-11-30-020014/";
        try (OutputStream raw = Files.newOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                     new BufferedOutputStream(raw, 1 << 16)))) {
            DbDumpFixture.entry(tar, root + "metadata.json", "{\"timestamp\":\"2026-11-30T02:00:14Z\"}"
                    .getBytes(StandardCharsets.UTF_8));
            for (String table : List.of("versions", "crates", "users", "teams", "crate_owners", "crate_downloads")) {
                Path file = work.resolve(table + ".csv");
                TarArchiveEntry entry = new TarArchiveEntry(root + "data/" + table + ".csv");
                entry.setSize(Files.size(file));
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
                Files.delete(file);
            }
        }
        Files.delete(work);
    }

    private static BufferedWriter csv(Path dir, String table, String header) throws IOException {
        BufferedWriter writer = Files.newBufferedWriter(dir.resolve(table + ".csv"), StandardCharsets.UTF_8);
        writer.write(header + "\n");
        return writer;
    }

    private static String ts(long seconds) {
        return DbDumpFixture.timestamp(Instant.ofEpochSecond(seconds));
    }
}
