package dev.warden.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.warden.cargo.change.LockfileRevision;
import dev.warden.cargo.config.CargoConfigLoader;
import dev.warden.cargo.index.IndexEntries;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.manifest.ManifestParser;
import dev.warden.cargo.semver.Version;
import dev.warden.cargo.semver.VersionReq;
import dev.warden.core.WardenException;
import dev.warden.evaluate.advisory.AdvisoryIndex;
import dev.warden.evaluate.advisory.Cvss;
import dev.warden.evaluate.advisory.OsvParser;
import dev.warden.evaluate.advisory.RustsecParser;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.evaluate.source.TreeLimits;
import dev.warden.expose.DnsQuery;
import dev.warden.expose.StraceParser;
import dev.warden.fortify.policy.PolicyLoader;
import dev.warden.testing.TestEnv;
import dev.warden.toml.Toml;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * One fuzz target per parser of what a pull request (or a sandboxed build) controls. The property: an input is
 * either read or refused with the user-facing {@link WardenException}; any other throwable — a runtime exception,
 * a stack overflow, running out of memory — is a bug, and so is an input that takes more than two seconds.
 *
 * <p>In the normal test run Jazzer runs each target on its inputs in {@code ParserFuzzTestInputs/<target>/}
 * (seeds and every crash found, kept as regression inputs). {@code scripts/fuzz} fuzzes each target in turn
 * ({@code JAZZER_FUZZ=1}): CI for a short budget, a campaign for as long as it is given.
 */
@Timeout(value = 2, unit = TimeUnit.SECONDS)
class ParserFuzzTest {

    private static Path scratch;
    private static Path repository;

    @BeforeAll
    static void scratch() throws Exception {
        scratch = Files.createTempDirectory("warden-fuzz-");
        // a repository with a lockfile in two commits, for revision syntax
        repository = Files.createDirectories(scratch.resolve("repo"));
        try (Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call()) {
            for (String version : new String[] {"1.0.0", "1.0.1"}) {
                Files.writeString(repository.resolve("Cargo.lock"), "version = 3\n\n[[package]]\nname = \"a\"\n"
                        + "version = \"" + version + "\"\n");
                git.add().addFilepattern("Cargo.lock").call();
                git.commit().setMessage(version).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                        .setSign(false).call();
            }
        }
    }

    @AfterAll
    static void clean() {
        dev.warden.core.Directories.deleteQuietly(scratch);
    }

    /** Runs the parser; the user-facing refusal is an answer, everything else escapes to the fuzzer. */
    private static void readOrRefused(Runnable parse) {
        try {
            parse.run();
        } catch (WardenException refused) {
            // the one-line refusal with file and line the CLI prints: what a hostile input should get
        }
    }

    private static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }

    private static Path file(String name, byte[] content) {
        try {
            Path file = scratch.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void toml(byte[] input) {
        readOrRefused(() -> Toml.parse(text(input), Path.of("fuzz.toml")));
    }

    @FuzzTest(maxDuration = "10s")
    void lockfile(byte[] input) {
        readOrRefused(() -> LockfileParser.parse(text(input), Path.of("Cargo.lock")));
    }

    @FuzzTest(maxDuration = "10s")
    void manifest(byte[] input) {
        readOrRefused(() -> ManifestParser.parse(text(input), Path.of("Cargo.toml")));
    }

    @FuzzTest(maxDuration = "10s")
    void cargoConfig(byte[] input) {
        Path project = scratch.resolve("config-project");
        file("config-project/.cargo/config.toml", input);
        readOrRefused(() -> CargoConfigLoader.load(project, TestEnv.at(project, scratch.resolve("home"),
                java.util.Map.of())));
    }

    @FuzzTest(maxDuration = "10s")
    void policy(byte[] input) {
        Path policy = file("policy/warden.toml", input);
        readOrRefused(() -> PolicyLoader.load(policy));
    }

    @FuzzTest(maxDuration = "10s")
    void rustsecAdvisory(byte[] input) {
        readOrRefused(() -> RustsecParser.parse(text(input), Path.of("crates/x/RUSTSEC-2026-0001.md")));
    }

    @FuzzTest(maxDuration = "10s")
    void osvJson(byte[] input) {
        readOrRefused(() -> OsvParser.parse(text(input), "fuzz.json"));
    }

    @FuzzTest(maxDuration = "10s")
    void advisoryIndex(byte[] input) {
        readOrRefused(() -> AdvisoryIndex.read(input, "fuzz.db"));
    }

    /** The tar stream is the fuzzer's; gzip is applied here, so mutations reach the archive reader. */
    @FuzzTest(maxDuration = "10s")
    void crateArchive(byte[] input) throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(input);
        }
        Path crate = file("fuzz.crate", gzipped.toByteArray());
        readOrRefused(() -> CrateArchive.read(crate, new TreeLimits(1 << 20, 1 << 18, 1_000)));
    }

    @FuzzTest(maxDuration = "10s")
    void sparseIndexLine(byte[] input) {
        readOrRefused(() -> IndexEntries.parse(text(input)));
    }

    /** A build controls what it makes the tracer print: the monitor must neither throw nor be blinded. */
    @FuzzTest(maxDuration = "10s")
    void straceLine(byte[] input) {
        StraceParser parser = new StraceParser();
        for (String line : text(input).split("\n", 64)) {
            readOrRefused(() -> parser.parse(line));
        }
    }

    @FuzzTest(maxDuration = "10s")
    void dnsPacket(byte[] input) {
        readOrRefused(() -> DnsQuery.parse(input).ifPresent(query -> {
            query.name();
            query.domain();
            query.subdomain();
            query.typeName();
        }));
    }

    @FuzzTest(maxDuration = "10s")
    void cvssVector(byte[] input) {
        readOrRefused(() -> Cvss.parse(text(input)).severity());
    }

    @FuzzTest(maxDuration = "10s")
    void semver(byte[] input) {
        String text = text(input);
        readOrRefused(() -> Version.parse(text));
        readOrRefused(() -> VersionReq.parse(text));
    }

    @FuzzTest(maxDuration = "10s")
    void gitRevision(byte[] input) {
        readOrRefused(() -> LockfileRevision.read(repository.resolve("Cargo.lock"), text(input)));
    }
}
