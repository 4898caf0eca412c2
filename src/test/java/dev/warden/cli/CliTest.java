package dev.warden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.testing.Corpus;
import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs the command line in-process and checks exit status, stdout and stderr. */
class CliTest {

    @TempDir
    Path dir;


    private Run run(String... args) {
        return Run.in(dir, args);
    }

    private static String foundry() {
        return Corpus.bundled("lockfiles/foundry-rs__foundry").toString();
    }

    @Test
    void lockJsonHasTheDocumentedShape() {
        Run run = run("lock", foundry(), "--format", "json");
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode json = run.json();
        assertThat(json.get("lockfileVersion").asInt()).isEqualTo(4);
        assertThat(json.get("packages")).hasSize(1209);
        List<String> keys = new ArrayList<>();
        json.get("packages").get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("name", "version", "source", "sourceKind", "checksum", "dependencies");
        JsonNode member = findPackage(json, "forge");
        assertThat(member.get("source").isNull()).isTrue();
        assertThat(member.get("checksum").isNull()).isTrue();
        JsonNode addr2line = findPackage(json, "addr2line");
        assertThat(addr2line.get("source").asText()).isEqualTo("registry+https://github.com/rust-lang/crates.io-index");
        assertThat(addr2line.get("sourceKind").asText()).isEqualTo("registry");
        assertThat(addr2line.get("dependencies").get(0).asText()).matches("gimli \\d+\\.\\d+\\.\\d+");
    }

    private static JsonNode findPackage(JsonNode json, String name) {
        for (JsonNode p : json.get("packages")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no package " + name);
    }

    @Test
    void lockTextSummarisesSources() {
        Run run = run("lock", foundry());
        assertThat(run.status()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow())
                .isEqualTo("Cargo.lock (format v4): 1209 packages — 1108 crates.io, 62 git, 39 path");
        assertThat(run.out()).contains("forge", "crates/forge");
    }

    @Test
    void treeAndWhyWorkOnTheCorpus() {
        Run tree = run("tree", foundry(), "--depth", "1", "--edges", "normal");
        assertThat(tree.status()).isZero();
        assertThat(tree.out()).startsWith("anvil v").contains("├── ", "└── ");
        Run inverted = run("tree", foundry(), "-i", "syn@1", "--depth", "2", "--format", "json");
        assertThat(inverted.status()).isZero();
        assertThat(inverted.json().get("trees").get(0).get("name").asText()).isEqualTo("syn");
        Run why = run("why", "syn", foundry(), "--format", "json", "--limit", "3");
        assertThat(why.status()).isZero();
        JsonNode first = why.json().get("packages").get(0);
        assertThat(first.get("paths")).hasSize(3);
        assertThat(first.get("pathCount").asLong()).isGreaterThan(3);
        assertThat(first.get("truncated").asBoolean()).isTrue();
        Run whyText = run("why", "serde_json", foundry(), "--limit", "2");
        assertThat(whyText.out()).contains(" → ", "more (--limit N to see more, --all for every path)");
    }

    @Test
    void badInputIsOneLineAndStatusTwo() {
        write(dir, "broken/Cargo.lock", "version = 4\n[[package]]\nname = \"a\"\nversion = \"1.0.0\nx = 1\n");
        expectError(run("lock", "broken"), dir.resolve("broken/Cargo.lock") + ":4: invalid TOML: unterminated string (newline before closing quote)");
        expectError(run("lock", "missing"), dir.resolve("missing") + ": no such file or directory");
        expectError(run("lock", "--frobnicate"), "Unknown option: '--frobnicate' (see 'warden lock --help')");
        expectError(run("frobnicate"), "Unmatched argument at index 0: 'frobnicate' (see 'warden --help')");
        expectError(run("lock", foundry(), "--format", "yaml"), "Invalid value for option '--format': unknown format "
                + "'yaml' (expected text, json, sarif, markdown, html or cargo-audit-json) (see 'warden lock --help')");
        expectError(run("lock", foundry(), "--format", "sarif"),
                "--format sarif is not supported by 'warden lock' (expected text or json)");
        assertThat(run("lock", foundry(), "--format", "JSON").status()).isZero();
        expectError(run("why", "no-such-crate", foundry()), "no package matching 'no-such-crate' is in the lockfile");
        expectError(run("tree", foundry(), "--edges", "features"), "Invalid value for option '--edges': unknown edge "
                + "kind 'features' (expected normal, build, dev, all, no-normal, no-build or no-dev) (see 'warden tree "
                + "--help')");
        expectError(run("audit", foundry(), "--deny", "bogus"), "Invalid value for option '--deny' (KIND): unknown "
                + "warning kind 'bogus' (expected unmaintained, unsound, notice, yanked, stale or warnings) (see 'warden "
                + "audit --help')");
        write(dir, "future/Cargo.lock", "version = 9\n");
        expectError(run("lock", "future"), dir.resolve("future/Cargo.lock")
                + ":1: lock file version 9 is not supported: Warden reads versions 1 to 4 (a newer Cargo wrote it; "
                + "update Warden)");
    }

    private static void expectError(Run run, String message) {
        assertThat(run.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("warden: " + message + "\n");
    }

    @Test
    void staleLockfilesWarnOnStderrButStillAnswer() {
        write(dir, "p/Cargo.toml", "[package]\nname = \"p\"\nversion = \"0.2.0\"\n");
        write(dir, "p/Cargo.lock", "version = 4\n[[package]]\nname = \"p\"\nversion = \"0.1.0\"\n");
        Run run = run("lock", "p");
        assertThat(run.status()).isZero();
        assertThat(run.err()).startsWith("warning: workspace member 'p 0.2.0' is not in Cargo.lock");
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("lock", "tree", "why", "Exit status: 0 ok, 1 findings");
        assertThat(run("--version").status()).isZero();
        Run lockHelp = run("lock", "--help");
        assertThat(lockHelp.out()).contains("--format", "PATH");
    }

    /**
     * The command list shows each command's first sentence whole (it was cut at the first source line: "Checks that
     * Cargo.lock is usable with"), descriptions are wrapped as paragraphs, and `warden help CMD` works.
     */
    @Test
    void helpReadsAsSentences() {
        String top = run("--help").out();
        assertThat(top).contains("gate", "help");
        String gateEntry = top.substring(top.indexOf("\n  gate ") + 1, top.indexOf("\n  pr-comment"));
        assertThat(String.join(" ", gateEntry.strip().substring("gate".length()).strip().split("\\s+")))
                .isEqualTo("The CI gate: one decision for a change, under the project's warden.toml.");
        assertThat(top.lines()).allMatch(line -> line.length() <= 80);

        Run help = run("help", "gate");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: warden gate")
                .contains("Checks\nthat Cargo.lock is usable with --locked, then advisories");
        assertThat(help.out()).isEqualTo(run("gate", "--help").out());
        assertThat(run("help", "nosuch").status()).isEqualTo(Main.EXIT_ERROR);
    }

    /**
     * --target: dependencies declared for other platforms, and what only they pull in, are left out (tree defaults to
     * the host, as cargo tree does; other commands to every platform). --manifest-path names the project as cargo does.
     */
    @Test
    void aTargetPlatformLeavesOutOtherPlatformsDependencies() {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
                + "[dependencies]\nserde = \"1\"\n\n[target.'cfg(windows)'.dependencies]\nsmallvec = \"0.6\"\n");
        write(dir, "app/src/lib.rs", "");
        write(dir, "app/Cargo.lock", dev.warden.testing.Lockfiles.appDependingOn("serde 1.0.210", "smallvec 0.6.9"));
        assertThat(run("tree", "app", "--target", "x86_64-unknown-linux-gnu").out()).contains("serde")
                .doesNotContain("smallvec");
        assertThat(run("tree", "app", "--target", "x86_64-pc-windows-msvc").out()).contains("smallvec v0.6.9");
        assertThat(run("tree", "app", "--target", "all").out()).contains("smallvec v0.6.9");

        List<String> everywhere = ids(run("audit", "app", "--format", "json").json());
        List<String> linux = ids(run("audit", "app", "--format", "json", "--target", "x86_64-unknown-linux-gnu")
                .json());
        assertThat(everywhere).anyMatch(id -> id.startsWith("vulnerable-crate:smallvec"));
        assertThat(linux).noneMatch(id -> id.contains("smallvec"));
        assertThat(run("audit", "--manifest-path", "app/Cargo.toml", "--format", "json").json().path("findings"))
                .hasSameSizeAs(run("audit", "app", "--format", "json").json().path("findings"));

        // -p: one package and what it depends on.
        String serdeOnly = run("tree", "app", "-p", "serde", "--target", "all").out();
        assertThat(serdeOnly).startsWith("serde v1.0.210").doesNotContain("smallvec").doesNotContain("app v0.1.0");
        assertThat(ids(run("audit", "app", "-p", "serde", "--format", "json").json())).noneMatch(id -> id.contains("smallvec"));
        assertThat(ids(run("audit", "app", "-p", "smallvec@0.6", "--format", "json").json()))
                .anyMatch(id -> id.startsWith("vulnerable-crate:smallvec"));
        expectError(run("tree", "app", "-p", "nosuch"), "-p nosuch: no such package in the graph");

        expectError(run("tree", "app", "--target", "linux"), "--target expects a target triple such as "
                + "x86_64-unknown-linux-gnu, found 'linux'");
        expectError(run("audit", "app", "--manifest-path", "app/Cargo.toml"),
                "give the project as PATH or --manifest-path, not both");
    }

    /** --color: severities coloured on request; never by default off a terminal, and never inside JSON. */
    @Test
    void colourIsForTerminalsAndOnlyOnTheTags() {
        write(dir, "p/Cargo.lock", dev.warden.testing.Lockfiles.appDependingOn("serd 1.0.0"));
        String always = run("recon", "p", "--only", "typosquat", "--color", "always").out();
        assertThat(always).contains("\u001B[33mwarning[typosquat]\u001B[0m serd looks like serde");
        assertThat(run("recon", "p", "--only", "typosquat").out()).doesNotContain("\u001B[");
        assertThat(run("recon", "p", "--only", "typosquat", "--color", "never").out()).doesNotContain("\u001B[");
        assertThat(run("recon", "p", "--only", "typosquat", "--color", "always", "--format", "json").out())
                .doesNotContain("\u001B[");
    }

    /** A lockfile Cargo accepts with a reference it drops is read, with a warning, and the gate calls it out of date. */
    @Test
    void aDanglingReferenceIsAWarningAndBlocksTheGate() {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(dir, "app/src/lib.rs", "");
        write(dir, "app/Cargo.lock", "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "dependencies = [\"gone 1.0.0\"]\n");
        Run lock = run("lock", "app");
        assertThat(lock.status()).isZero();
        assertThat(lock.err()).contains("warning: ", "Cargo.lock:6: 'app 0.1.0' depends on 'gone 1.0.0', which is "
                + "not a package in this lockfile", "cargo build --locked would fail");
        Run gate = run("gate", "app", "--offline", "--store", dir.resolve("g.db").toString());
        assertThat(gate.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(gate.out()).contains("lockfile-out-of-date");
    }

    private static List<String> ids(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.path("findings").forEach(f -> ids.add(f.path("id").asText() + ":" + f.path("crate").asText()));
        return ids;
    }

    /** A lockfile in which c0 depends on c1, c1 on c2, … down to c{depth}. */
    private void deepChain(int depth) {
        StringBuilder lock = new StringBuilder("version = 4\n");
        for (int i = 0; i <= depth; i++) {
            lock.append("\n[[package]]\nname = \"c").append(i).append("\"\nversion = \"1.0.0\"\n");
            if (i > 0) {
                lock.append("source = \"registry+https://github.com/rust-lang/crates.io-index\"\n");
            }
            if (i < depth) {
                lock.append("dependencies = [\"c").append(i + 1).append("\"]\n");
            }
        }
        Fixtures.write(dir, "deep/Cargo.lock", lock.toString());
    }

    /** A chain 10,000 crates deep (generated or hostile): `why` answers it instead of overflowing the stack. */
    @Test
    void whyCountsPathsThroughAVeryDeepChain() {
        int depth = 10_000;
        deepChain(depth);
        Run why = run("why", "c" + depth, "deep", "--format", "json", "--limit", "1");
        assertThat(why.status()).as(why.err()).isZero();
        assertThat(why.json().path("packages").get(0).path("pathCount").asText()).isEqualTo("1");
        assertThat(why.json().path("packages").get(0).path("depth").asInt()).isEqualTo(depth);
    }

    /**
     * `tree` lays out and prints a 10,000-deep chain in text (as cargo tree draws it: 200 MB, the indentation is the
     * depth) and in JSON, whose indentation stops deepening, so the report stays a few megabytes.
     */
    @Test
    void treePrintsAVeryDeepChain() throws IOException {
        deepChain(10_000);
        Run text = run("tree", "deep", "--output", "tree.txt");
        assertThat(text.status()).as(text.err()).isZero();
        try (Stream<String> lines = Files.lines(dir.resolve("tree.txt"))) {
            assertThat(lines.count()).isEqualTo(10_001);
        }
        try (Stream<String> lines = Files.lines(dir.resolve("tree.txt"))) {
            assertThat(lines.reduce((a, b) -> b).orElseThrow()).endsWith("└── c10000 v1.0.0");
        }
        Run json = run("tree", "deep", "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        assertThat(json.out().length()).as("JSON size").isLessThan(20_000_000);
        // deeper than Jackson reads by default (1,000 levels): a reader of Warden's JSON for such a graph lifts it
        JsonNode node = new ObjectMapper(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(50_000).build()).build()).readTree(json.out()).path("trees").get(0);
        int depth = 0;
        while (node.path("dependencies").size() == 1) {
            node = node.path("dependencies").get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(10_000);
        assertThat(node.path("name").asText()).isEqualTo("c10000");
    }

    /** An error quoting its input cannot forge a second `warden:` line nor send the terminal escape sequences. */
    @Test
    void errorsEscapeControlCharactersInWhatTheyQuote() {
        Run forged = run("ir", "evil\u001b[2J\rwarden: all clear@");
        assertThat(forged.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(forged.err()).doesNotContain("\u001b", "\r").hasLineCount(1)
                .contains("evil?[2J?warden: all clear@");
    }

    /** Issue 20's hostile option values and files: each is one line naming what is wrong, exit 2. */
    @Test
    void hostileOptionValuesAndFilesAreRefusedInOneLine() throws Exception {
        Path ripgrep = Path.of("examples/ripgrep").toAbsolutePath();
        for (String url : List.of("index.crates.io", "https://a b/", "file:/etc", "ftp://mirror/")) {
            Run run = run("recon", ripgrep.toString(), "--index-url", url);
            assertThat(run.status()).as(url).isEqualTo(Main.EXIT_ERROR);
            assertThat(run.err().strip()).as(url).hasLineCount(1).startsWith("warden: --index-url: ");
        }
        Run stale = run("audit", ripgrep.toString(), "--stale", "99999999999999999999d");
        assertThat(stale.err().strip()).isEqualTo("warden: --stale is too long a duration: '99999999999999999999d'");

        Path project = dir.resolve("p");
        Fixtures.write(project, "Cargo.toml", "[package]\nname = \"p\"\nversion = \"0.1.0\"\n");
        Fixtures.write(project, "Cargo.lock", "version = 3\n\n[[package]]\nname = \"p\"\nversion = \"0.1.0\"\n");
        Fixtures.write(project, "secret.env", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n");
        Fixtures.write(project, "warden.toml", "[recon]\npopular = \"secret.env\"\n");
        Run secret = run("recon", project.toString());
        assertThat(secret.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(secret.err()).as("names the file and line, never what the line holds")
                .contains("secret.env:1: expected a crate name").doesNotContain("wJalr", "AWS_SECRET");

        Fixtures.write(project, "warden.toml", "[recon]\npopular = \"/dev/zero\"\n");
        assertThat(run("recon", project.toString()).err().strip()).hasLineCount(1)
                .isEqualTo("warden: /dev/zero: not a regular file, so not read as a popular-crates list");
        Run zeros = run("audit", ripgrep.toString(), "--db", "/dev/zero");
        assertThat(zeros.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(zeros.err().strip()).hasLineCount(1).contains("/dev/zero: not a regular file");
    }

    /** Issue 20: a repository whose objects are corrupt (a hostile or damaged checkout) is one line, exit 2. */
    @Test
    void corruptGitObjectsAreOneLineErrors() throws Exception {
        Path repo = dir.resolve("repo");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile())
                .setInitialBranch("main").call()) {
            for (String version : List.of("1.0.0", "1.0.1")) {
                write(repo, "Cargo.lock", "version = 3\n\n[[package]]\nname = \"a\"\nversion = \"" + version
                        + "\"\n");
                git.add().addFilepattern("Cargo.lock").call();
                git.commit().setMessage(version).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                        .setSign(false).call();
            }
        }
        try (var objects = java.nio.file.Files.walk(repo.resolve(".git/objects"))) {
            for (Path object : objects.filter(java.nio.file.Files::isRegularFile).toList()) {
                object.toFile().setWritable(true);
                java.nio.file.Files.write(object, "not a git object".getBytes());
            }
        }
        for (String[] command : new String[][] {{"diff", "HEAD~1..HEAD"}, {"churn", "--repo", "."}}) {
            Run run = Run.in(repo, command);
            assertThat(run.status()).as(String.join(" ", command)).isEqualTo(Main.EXIT_ERROR);
            assertThat(run.err().strip()).as(String.join(" ", command)).hasLineCount(1).startsWith("warden: ")
                    .doesNotContain("Exception");
        }
    }
}
