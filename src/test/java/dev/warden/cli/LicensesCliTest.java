package dev.warden.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
