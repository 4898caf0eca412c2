package dev.warden.cli;

import dev.warden.testing.DbDumpFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** cargo-deny's licence examples 01, 02 and 04 (its examples/ folder), judged by `warden licenses`. */
class LicensesCliTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // 01_allow_license: either licence may be chosen, and MIT is allowed.
        "MIT OR Apache-2.0 | \"MIT\" | 0 | 1 accepted",
        // 02_deny_license: both are required, Apache-2.0 is not allowed.
        "MIT AND Apache-2.0 | \"MIT\" | 1 | Apache-2.0 is not allowed",
        // 04_gnu_licenses: GPL-2.0-or-later covers GPL-2.0+, never GPL-3.0-only ("gnu gpl v3").
        "Apache-2.0/GPL-2.0+ AND LGPL-3.0-only or gnu gpl v3 | \"GPL-2.0-or-later\" | 1 | Apache-2.0, LGPL-3.0-only, GPL-3.0-only are not allowed",
        "GPL-2.0+ | \"GPL-2.0-or-later\" | 0 | 1 accepted",
        "GPL-3.0-only | \"GPL-2.0-or-later\" | 1 | GPL-3.0-only is not allowed",
        "Apache-2.0 WITH LLVM-exception | \"Apache-2.0\" | 1 | Apache-2.0 WITH LLVM-exception is not allowed",
        "Apache-2.0 WITH LLVM-exception | \"Apache-2.0 WITH LLVM-exception\" | 0 | 1 accepted",
        // "+" of a non-GNU licence: a newer version of the same licence meets it, an older one does not.
        "MPL-1.1+ | \"MPL-2.0\" | 0 | 1 accepted",
        "MPL-2.0+ | \"MPL-1.1\" | 1 | MPL-2.0+ is not allowed",
    })
    void judgesTheRootsExpressionAsCargoDenyDocuments(String license, String allow, int status, String expected)
            throws IOException {
        Path app = project(license, "[licenses]\nallow = [" + allow + "]\n");
        Run run = Run.in(app, "licenses", ".", "--offline");
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(status);
        assertThat(run.out()).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "allow = [\"Not-A-Licence\"] | warden.toml:2:",
        "unlicensed = \"deny\" | 'unlicensed' was removed",
        "confidence-threshold = 2.0 | confidence-threshold must be a number from 0.0 to 1.0",
    })
    void refusesABadPolicyWithItsLine(String line, String expected) throws IOException {
        Path app = project("MIT", "[licenses]\n" + line + "\n");
        Run run = Run.in(app, "licenses", ".", "--offline");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains(expected).doesNotContain("Exception");
    }

    @Test
    void aCrateWhoseFilesAreNotHereIsJudgedByTheLicenceTheRegistryRecordsOrLeftUnverified() throws IOException {
        Path app = project("MIT", "[licenses]\nallow = [\"MIT\", \"Apache-2.0\"]\n");
        Files.writeString(app.resolve("Cargo.toml"), Files.readString(app.resolve("Cargo.toml"))
                + "\n[dependencies]\nring = \"0.17\"\nitoa = \"1\"\n");
        Files.writeString(app.resolve("Cargo.lock"), "version = 4\n\n[[package]]\nname = \"allow-license\"\n"
                + "version = \"0.1.0\"\ndependencies = [\n \"itoa\",\n \"ring\",\n]\n"
                + registryPackage("itoa", "1.0.11") + registryPackage("ring", "0.17.8"));
        // Nothing in this Cargo home and --offline: neither crate's files can be read.
        Run unread = Run.in(app, "licenses", ".", "--offline", "--format", "json");
        assertThat(unread.status()).isZero();
        assertThat(codes(unread)).containsExactly("license-unverified itoa", "license-unverified ring");

        new DbDumpFixture().crate("itoa", Instant.parse("2016-05-01T00:00:00Z"), 400_000_000)
                .licensed("itoa", "1.0.11", Instant.parse("2024-03-26T00:00:00Z"), "dtolnay", "MIT OR Apache-2.0")
                .crate("ring", Instant.parse("2015-06-01T00:00:00Z"), 300_000_000)
                .licensed("ring", "0.17.8", Instant.parse("2024-02-13T00:00:00Z"), "briansmith",
                        "Apache-2.0 AND ISC")
                .write(dir.resolve("dump.tar.gz"), Instant.parse("2026-11-30T02:00:14Z"));
        assertThat(Run.in(dir, "registry-data", "update", "--dump", "dump.tar.gz", "--snapshot", "r.db").status())
                .isZero();
        Run recorded = Run.in(app, "licenses", ".", "--offline", "--registry-data", "../r.db", "--list");
        assertThat(recorded.status()).as(recorded.out()).isEqualTo(1);
        assertThat(recorded.out()).contains("ring 0.17.8 is licensed Apache-2.0 AND ISC: ISC is not allowed",
                "itoa 1.0.11: accepted, MIT OR Apache-2.0 (from registry data); the license field as crates.io's "
                + "registry data records it", "not read here: 2 crates, licence as recorded in crates.io registry "
                + "data of 2026-11-30");

        // A clarification is about the files: the registry's word does not settle it.
        Files.writeString(app.resolve("warden.toml"), "[licenses]\nallow = [\"MIT\", \"Apache-2.0\", \"ISC\"]\n"
                + "[[licenses.clarify]]\nname = \"ring\"\nexpression = \"ISC\"\n"
                + "license-files = [{ path = \"LICENSE\", hash = 0x769d7d65 }]\n");
        Run clarified = Run.in(app, "licenses", ".", "--offline", "--registry-data", "../r.db", "--format", "json");
        assertThat(codes(clarified)).containsExactly("license-unverified ring");
    }

    private static String registryPackage(String name, String version) {
        return "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\nsource = \"registry+"
                + "https://github.com/rust-lang/crates.io-index\"\nchecksum = \"" + "ab".repeat(32) + "\"\n";
    }

    private static List<String> codes(Run run) {
        List<String> codes = new ArrayList<>();
        run.json().get("findings").forEach(f -> codes.add(f.path("id").asText() + " " + f.path("crate").asText()));
        return codes;
    }

    private Path project(String license, String policy) throws IOException {
        Path app = dir.resolve("app");
        Files.createDirectories(app.resolve("src"));
        Files.writeString(app.resolve("Cargo.toml"), "[package]\nname = \"allow-license\"\nversion = \"0.1.0\"\n"
                + "license = \"" + license + "\"\nedition = \"2018\"\n");
        Files.writeString(app.resolve("src/main.rs"), "fn main() {}\n");
        Files.writeString(app.resolve("Cargo.lock"), "version = 4\n\n[[package]]\nname = \"allow-license\"\n"
                + "version = \"0.1.0\"\n");
        Files.writeString(app.resolve("warden.toml"), policy);
        return app;
    }
}
