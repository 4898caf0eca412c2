package dev.warden.evaluate.scan;

import dev.warden.evaluate.lexer.RustLexer;
import dev.warden.testing.CargoTool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class UnsafeCounterTest {

    private static UnsafeCounts count(String source) {
        return UnsafeCounter.count(RustLexer.lex(source.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void countsEachKindAndIgnoresLookAlikes() {
        UnsafeCounts counts = count("""
                unsafe fn a() {}
                pub unsafe extern "C" fn b() {}
                const unsafe fn c() {}
                unsafe impl Send for X {}
                unsafe trait T {}
                pub unsafe auto trait U {}
                fn d() { unsafe { e() }; let p: unsafe fn(u8) = f; }
                // unsafe { in a comment }
                /* unsafe fn nested /* unsafe {} */ */
                const S: &str = "unsafe { in a string }";
                const R: &str = r#"unsafe fn in_raw() {}"#;
                /// unsafe fn in_docs() {}
                fn r#unsafe() {}
                unsafe extern "C" { fn foreign(); }
                """);
        assertThat(counts).isEqualTo(new UnsafeCounts(3, 1, 1, 2));
    }

    @Test
    void countsInsideMacroBodiesToo() {
        UnsafeCounts counts = count("""
                macro_rules! wrap {
                    ($e:expr) => { unsafe { $e } };
                    ($name:ident) => { unsafe fn $name() {} };
                }
                cfg_if::cfg_if! { if #[cfg(unix)] { unsafe impl Sync for Y {} } }
                """);
        assertThat(counts).isEqualTo(new UnsafeCounts(0, 1, 1, 0));
    }

    /**
     * Agreement with syn's syntax tree on every Rust file of the crates Debian packages (see
     * ../shared/corpus/DEBIAN_CRATES.md): the oracle in tools/unsafe-oracle is built with real cargo from those
     * vendored sources. Skipped when cargo or the sources are missing; .ci/run installs both.
     */
    @Test
    void agreesWithSynOnRealCrates() throws Exception {
        Path registry = Path.of("/usr/share/cargo/registry");
        Optional<Path> cargo = CargoTool.find();
        Assumptions.assumeTrue(cargo.isPresent() && Files.isDirectory(registry.resolve("syn-1.0.107")),
                "cargo or Debian's librust-syn-dev sources not installed");
        Path tool = Path.of("tools/unsafe-oracle").toAbsolutePath();
        CargoTool.Result build = CargoTool.run(cargo.get(), tool, Map.of(), "build", "--release", "--offline", "--quiet");
        assertThat(build.status()).as(build.output()).isZero();

        List<Path> files;
        try (Stream<Path> walk = Files.walk(registry)) {
            files = walk.filter(p -> p.toString().endsWith(".rs") && Files.isRegularFile(p)).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(1000);
        Process oracle = new ProcessBuilder(tool.resolve("target/release/unsafe-oracle").toString()).start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var in = oracle.getOutputStream()) {
                for (Path file : files) {
                    in.write((file + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> lines = new String(oracle.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        feeder.join();
        assertThat(oracle.waitFor(120, TimeUnit.SECONDS)).isTrue();

        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        UnsafeCounts total = UnsafeCounts.ZERO;
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields.length != 5) {
                continue; // syn 1 cannot parse the file (newer syntax): nothing to compare with
            }
            UnsafeCounts expected = new UnsafeCounts(Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
                    Integer.parseInt(fields[3]), Integer.parseInt(fields[4]));
            UnsafeCounts actual = UnsafeCounter.count(RustLexer.lex(Files.readAllBytes(Path.of(fields[0]))));
            compared++;
            total = total.plus(actual);
            if (!actual.equals(expected)) {
                mismatches.add(fields[0] + ": syn " + expected + ", warden " + actual);
            }
        }
        assertThat(compared).isGreaterThan(files.size() - 10);
        assertThat(total.total()).isGreaterThan(5000);
        assertThat(mismatches).isEmpty();
    }
}
