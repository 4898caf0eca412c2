package dev.warden.expose;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessTrackerTest {

    private static String hex(String text) {
        return "\"" + HexFormat.of().formatHex(text.getBytes()).replaceAll("(..)", "\\\\x$1") + "\"";
    }

    private static Syscall exec(int pid, String program, String... argv) {
        String args = hex(program) + ", [" + Arrays.stream(argv).map(ProcessTrackerTest::hex)
                .collect(Collectors.joining(", ")) + "], 0x0 /* 3 vars */";
        return new Syscall(pid, 1, "execve", args, 0L, null);
    }

    private static Syscall clone(int pid, int child) {
        return new Syscall(pid, 1, "clone", "child_stack=NULL, flags=SIGCHLD", (long) child, null);
    }

    private final ProcessTracker tracker = new ProcessTracker(name -> Map.of("url_parse", "url-parse", "app", "app")
            .getOrDefault(name.replace('-', '_'), name), new ProcessTracker.Places("/p/target",
            List.of("/p/target", "/tmp"), "/p"));

    @Test
    void buildScriptsRustcAndTheirChildrenAreAttributed() {
        tracker.observe(exec(100, "/usr/bin/bwrap", "bwrap"));
        tracker.observe(clone(100, 101));
        assertThat(tracker.observe(exec(101, "/root/.cargo/bin/cargo", "cargo", "build")).role())
                .isEqualTo(Actor.Role.CARGO);
        tracker.observe(clone(101, 102));
        Actor script = tracker.observe(exec(102, "/p/target/debug/build/url-parse-0123456789abcdef/build-script-build",
                "build-script-build"));
        assertThat(script.role()).isEqualTo(Actor.Role.BUILD_SCRIPT);
        assertThat(script.crate()).isEqualTo("url-parse");
        tracker.observe(clone(102, 103));
        Actor curl = tracker.observe(exec(103, "/usr/bin/curl", "curl", "http://x"));
        assertThat(curl.role()).isEqualTo(Actor.Role.BUILD_SCRIPT);
        assertThat(curl.crate()).isEqualTo("url-parse");
        assertThat(curl.program()).isEqualTo("curl");

        tracker.observe(clone(101, 104));
        Actor rustc = tracker.observe(exec(104, "/t/bin/rustc", "rustc", "--crate-name", "app", "--extern",
                "url_parse=/p/target/debug/deps/liburl_parse-1.so", "--extern", "serde=/p/libserde-2.rlib"));
        assertThat(rustc.role()).isEqualTo(Actor.Role.COMPILER);
        assertThat(rustc.crate()).isEqualTo("app");
        assertThat(rustc.procMacros()).containsExactly("url-parse");
        Actor buildScriptCompile = tracker.observe(exec(104, "/t/bin/rustc", "rustc", "--crate-name",
                "build_script_build", "--out-dir", "/p/target/debug/build/url-parse-0123456789abcdef"));
        assertThat(buildScriptCompile.crate()).isEqualTo("url-parse");
    }

    @Test
    void aChildSeenBeforeItsParentsCloneReturnsBelongsToTheSpawningParent() {
        tracker.observe(exec(100, "/usr/bin/bwrap", "bwrap"));
        tracker.observe(clone(100, 101));
        tracker.observe(exec(101, "/usr/bin/cargo", "cargo"));
        tracker.observe(exec(101, "/p/target/debug/build/url-parse-0123456789abcdef/build-script-build", "b"));
        tracker.spawning(101);
        Actor child = tracker.observe(exec(555, "/bin/sh", "sh", "-c", "x"));
        assertThat(child.crate()).isEqualTo("url-parse");
        assertThat(child.role()).isEqualTo(Actor.Role.BUILD_SCRIPT);
        tracker.observe(new Syscall(101, 2, "vfork", "", 555L, null));
        assertThat(tracker.actor(555).crate()).isEqualTo("url-parse");
    }

    @Test
    void processesThatNeverExitedOutlivedTheBuild() {
        tracker.observe(exec(100, "/usr/bin/bwrap", "bwrap"));
        tracker.observe(clone(100, 101));
        tracker.observe(clone(100, 102));
        tracker.exited(101);
        assertThat(tracker.stillAlive()).containsExactly(100, 102);
        assertThat(List.of(tracker.root())).containsExactly(100);
        // strace may print a child's end before its parent's clone returns and names it.
        tracker.observe(new Syscall(103, 2, "execve", hex("/bin/true") + ", [], 0x0", 0L, null));
        tracker.exited(103);
        tracker.observe(clone(100, 103));
        assertThat(tracker.stillAlive()).containsExactly(100, 102);
    }

    /** bwrap → cargo → the build script of url-parse as pid 102. */
    private void buildScriptOfUrlParse() {
        tracker.observe(exec(100, "/usr/bin/bwrap", "bwrap"));
        tracker.observe(clone(100, 101));
        tracker.observe(exec(101, "/root/.cargo/bin/cargo", "cargo", "build"));
        tracker.observe(clone(101, 102));
        tracker.observe(exec(102, "/p/target/debug/build/url-parse-0123456789abcdef/build-script-build", "b"));
    }

    @Test
    void trustedNamesRunByABuildScriptStayTheBuildScripts() {
        buildScriptOfUrlParse();
        // The names and places a payload would pick to pass for the toolchain, or trip the classifier.
        for (String program : List.of("/p/target/debug/build/url-parse-0123456789abcdef/out/cargo",
                "/p/target/debug/build/url-parse-0123456789abcdef/out/rustc",
                "/p/target/debug/build/url-parse-0123456789abcdef/out/build-script-x", "/x/build/build-script-x",
                "/build/", "/usr/bin/cargo", "relative/rustc")) {
            tracker.observe(clone(102, 103));
            Actor actor = tracker.observe(exec(103, program, "x", "--crate-name", "serde"));
            assertThat(actor.role()).as(program).isEqualTo(Actor.Role.BUILD_SCRIPT);
            assertThat(actor.crate()).as(program).isEqualTo("url-parse");
            tracker.exited(103);
        }
    }

    @Test
    void aToolchainNameRunFromAWritablePlaceIsNotTrusted() {
        tracker.observe(exec(100, "/usr/bin/bwrap", "bwrap"));
        tracker.observe(clone(100, 101));
        tracker.observe(exec(101, "/usr/bin/cargo", "cargo"));
        tracker.observe(clone(101, 102));
        Actor rustc = tracker.observe(exec(102, "/tmp/rustc", "rustc", "--crate-name", "app"));
        assertThat(rustc.role().untrusted()).isTrue();
        tracker.observe(clone(100, 103));
        assertThat(tracker.observe(exec(103, "/p/target/cargo", "cargo")).role()).isEqualTo(Actor.Role.OTHER);
    }

    @Test
    void testBinariesAndProgramsBelongToTheirPackageAndCarryItsProcMacros() {
        tracker.observe(exec(100, "/usr/bin/bwrap", "bwrap"));
        tracker.observe(clone(100, 101));
        tracker.observe(exec(101, "/usr/bin/cargo", "cargo", "test"));
        tracker.observe(clone(101, 102));
        tracker.observe(exec(102, "/t/bin/rustc", "rustc", "--crate-name", "app", "--test", "--extern",
                "url_parse=/p/target/debug/deps/liburl_parse-1.so"));
        tracker.observe(clone(101, 103));
        Actor test = tracker.observe(exec(103, "/p/target/debug/deps/app-0123456789abcdef", "app-0123456789abcdef"));
        assertThat(test.role()).isEqualTo(Actor.Role.TEST);
        assertThat(test.crate()).isEqualTo("app");
        assertThat(test.describe()).isEqualTo("app test binary (app-0123456789abcdef), built with proc macro url-parse");
        tracker.observe(clone(101, 104));
        Actor program = tracker.observe(exec(104, "/p/target/debug/app", "app"));
        assertThat(program.role()).isEqualTo(Actor.Role.RUN);
        assertThat(program.crate()).isEqualTo("app");
        assertThat(program.role().untrusted()).isTrue();
    }

    @Test
    void aProgramRustcStartsThatIsNoLinkerIsItsProcMacros() {
        tracker.observe(exec(100, "/usr/bin/bwrap", "bwrap"));
        tracker.observe(clone(100, 101));
        tracker.observe(exec(101, "/usr/bin/cargo", "cargo"));
        tracker.observe(clone(101, 102));
        tracker.observe(exec(102, "/t/bin/rustc", "rustc", "--crate-name", "app", "--extern",
                "url_parse=/p/target/debug/deps/liburl_parse-1.so"));
        tracker.observe(clone(102, 103));
        assertThat(tracker.observe(exec(103, "/usr/bin/cc", "cc", "-o", "app")).role()).isEqualTo(Actor.Role.COMPILER);
        tracker.observe(clone(102, 104));
        Actor curl = tracker.observe(exec(104, "/usr/bin/curl", "curl", "http://x"));
        assertThat(curl.role()).isEqualTo(Actor.Role.PROC_MACRO);
        assertThat(curl.blamed()).isEqualTo("url-parse");
    }

    @Test
    void relativePathsFollowTheWorkingDirectory() {
        buildScriptOfUrlParse();
        assertThat(tracker.absolute(102, "x")).isEqualTo("/p/x");
        tracker.observe(new Syscall(102, 2, "chdir", hex("/root/.cargo"), 0L, null));
        assertThat(tracker.absolute(102, "bin/cargo")).isEqualTo("/root/.cargo/bin/cargo");
        tracker.observe(new Syscall(102, 3, "chdir", hex(".."), 0L, null));
        assertThat(tracker.absolute(102, ".bashrc")).isEqualTo("/root/.bashrc");
        tracker.observe(clone(102, 103));
        assertThat(tracker.absolute(103, ".ssh")).as("a child starts where its parent was").isEqualTo("/root/.ssh");
        tracker.directoryOpened(103, 7, "/home/u/.aws");
        tracker.observe(new Syscall(103, 4, "fchdir", "7", 0L, null));
        assertThat(tracker.absolute(103, "credentials")).isEqualTo("/home/u/.aws/credentials");
    }
}
