package dev.warden.expose;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Evasion techniques and file accesses, fed to the monitor as strace writes them. */
class BuildMonitorTest {

    private static String hex(String text) {
        return "\"" + HexFormat.of().formatHex(text.getBytes()).replaceAll("(..)", "\\\\x$1") + "\"";
    }

    private final List<BuildEvent> events = new ArrayList<>();
    private final BuildMonitor monitor = new BuildMonitor(new ProcessTracker(name -> name,
            new ProcessTracker.Places("/p/target", List.of("/p/target", "/tmp"), "/p")),
            new BuildMonitor.Paths(List.of("/home/u/.aws"), List.of("/p/target", "/tmp"),
                    List.of("/home/u/.cargo/bin", "/home/u/.bashrc", "/p/.git", "/etc/"), List.of()), events::add);

    private void buildScriptRuns() {
        monitor.accept("100 1.000000 execve(" + hex("/usr/bin/bwrap") + ", [" + hex("bwrap") + "], 0x0 /* 1 vars */) = 0");
        monitor.accept("100 1.000001 clone(child_stack=NULL, flags=SIGCHLD) = 2 /* 101 in strace's PID NS */");
        monitor.accept("101 1.000002 execve(" + hex("/usr/bin/cargo") + ", [" + hex("cargo") + "], 0x0 /* 1 vars */) = 0");
        monitor.accept("101 1.000002 execve(" + hex("/p/target/debug/build/evil-0123456789abcdef/build-script-build")
                + ", [" + hex("build-script-build") + "], 0x0 /* 1 vars */) = 0");
        events.clear();
    }

    @Test
    void evasionTechniquesAreEvents() {
        buildScriptRuns();
        monitor.accept("101 1.000010 io_uring_setup(8, {flags=0}) = 3");
        monitor.accept("101 1.000011 memfd_create(" + hex("x") + ", MFD_CLOEXEC) = 4");
        monitor.accept("101 1.000012 execveat(4, " + hex("") + ", [" + hex("x") + "], 0x0 /* 0 vars */, AT_EMPTY_PATH) = -1 ENOENT (No such file or directory)");
        monitor.accept("101 1.000013 socket(AF_PACKET, SOCK_RAW, 768) = -1 EPERM (Operation not permitted)");
        monitor.accept("101 1.000014 socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = -1 EPERM (Operation not permitted)");
        monitor.accept("101 1.000015 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 5");
        assertThat(events).extracting(BuildEvent::kind).containsOnly(BuildEvent.Kind.EVASION);
        assertThat(events).extracting(BuildEvent::target).containsExactly("io_uring", "memfd_create",
                "", "raw socket", "raw socket");
        assertThat(events).allSatisfy(e -> assertThat(e.actor().crate()).isEqualTo("evil"));
        assertThat(events.get(3).error()).isEqualTo("EPERM");
    }

    @Test
    void onlyOpensThatMatterAreEvents() {
        buildScriptRuns();
        monitor.accept("101 1.000020 openat(AT_FDCWD, " + hex("/usr/lib/libc.so.6") + ", O_RDONLY|O_CLOEXEC) = 3");
        monitor.accept("101 1.000021 openat(AT_FDCWD, " + hex("/home/u/.aws/credentials") + ", O_RDONLY|O_CLOEXEC) = 3");
        monitor.accept("101 1.000022 openat(AT_FDCWD, " + hex("/proc/1/environ") + ", O_RDONLY) = 3");
        monitor.accept("101 1.000023 openat(AT_FDCWD, " + hex("/usr/local/bin/backdoor") + ", O_WRONLY|O_CREAT|O_TRUNC, 0755) = -1 EROFS (Read-only file system)");
        monitor.accept("101 1.000024 openat(AT_FDCWD, " + hex("/p/target/debug/out") + ", O_WRONLY|O_CREAT, 0644) = 3");
        monitor.accept("101 1.000025 openat(AT_FDCWD, " + hex("/proc/self/environ") + ", O_RDONLY) = 3");
        assertThat(events).extracting(e -> e.kind() + " " + e.target() + " " + e.detail()).containsExactly(
                "FILE /home/u/.aws/credentials open", "FILE /proc/1/environ open",
                "FILE /usr/local/bin/backdoor write outside the sandbox");
        assertThat(monitor.syscalls()).isEqualTo(10);
    }

    @Test
    void aDeniedCallIsAPrivilegedEventOfTheCrate() {
        buildScriptRuns();
        monitor.accept("101 1.000030 --- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f03, "
                + "si_syscall=__NR_umount2, si_arch=AUDIT_ARCH_X86_64} ---");
        monitor.accept("101 1.000031 +++ killed by SIGSYS (core dumped) +++");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(BuildEvent.Kind.PRIVILEGED);
            assertThat(e.target()).isEqualTo("umount2");
            assertThat(e.error()).isEqualTo("SIGSYS");
            assertThat(e.actor().crate()).isEqualTo("evil");
        });
    }

    @Test
    void hostileTraceLinesNeverStopTheMonitor() {
        buildScriptRuns();
        // What once blinded the monitor: an exec at an odd path under OUT_DIR, pids and statuses beyond int,
        // ports beyond 16 bits, unterminated strings.
        monitor.accept("101 1.000040 execve(" + hex("/x/build/build-script-x") + ", [" + hex("b") + "], 0x0) = 0");
        monitor.accept("99999999999999 1.000041 execve(" + hex("/bin/sh") + ", [], 0x0) = 0");
        monitor.accept("101 1.000042 +++ exited with 99999999999 +++");
        monitor.accept("101 1.000043 connect(3, {sa_family=AF_INET, sin_port=htons(999999999999), "
                + "sin_addr=inet_addr(\"\\x31\")}, 16) = -1 ENETUNREACH");
        monitor.accept("101 1.000044 clone(child_stack=NULL) = 99999999999999999999");
        monitor.accept("101 1.000045 openat(AT_FDCWD, \"\\x2f\\x");
        monitor.accept("101 99999999999999999999.000046 execve() = 0");
        monitor.accept("\u0000\uffff");
        monitor.accept("101 1.000050 sendto(3, \"" + "\\x00".repeat(2) + "\", 2, 0, NULL, 0) = 2");
        monitor.accept("101 1.000051 connect(3, {sa_family=AF_UNIX, sun_path=" + hex("/var/run/docker.sock")
                + "}, 110) = 0");
        assertThat(events).extracting(BuildEvent::kind).contains(BuildEvent.Kind.CONNECT);
        assertThat(events.getLast().target()).isEqualTo("unix:/var/run/docker.sock");
        assertThat(events.getLast().actor().crate()).as("still attributed after all that").isEqualTo("evil");
    }

    @Test
    void anEventTheSinkCannotTakeIsAnAnomalyNotACrash() {
        List<BuildEvent> kept = new ArrayList<>();
        boolean[] first = {true};
        BuildMonitor fragile = new BuildMonitor(new ProcessTracker(name -> name,
                new ProcessTracker.Places("/p/target", List.of("/p/target"), "/p")),
                new BuildMonitor.Paths(List.of(), List.of(), List.of(), List.of()), event -> {
                    if (first[0]) {
                        first[0] = false;
                        throw new IllegalStateException("boom");
                    }
                    kept.add(event);
                });
        fragile.accept("100 1.000001 execve(" + hex("/usr/bin/bwrap") + ", [" + hex("bwrap") + "], 0x0) = 0");
        assertThat(kept).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(BuildEvent.Kind.ANOMALY);
            assertThat(e.detail()).contains("IllegalStateException");
        });
        assertThat(fragile.anomalies()).isOne();
    }

    @Test
    void relativeAndDescriptorRelativeOpensAreResolvedBeforeMatching() {
        buildScriptRuns();
        monitor.accept("101 1.000060 chdir(" + hex("/home/u") + ") = 0");
        monitor.accept("101 1.000061 openat(AT_FDCWD, " + hex(".aws/credentials") + ", O_RDONLY) = 3");
        monitor.accept("101 1.000062 openat(AT_FDCWD, " + hex("/home/u/.cargo") + ", O_RDONLY|O_DIRECTORY) = 4");
        monitor.accept("101 1.000063 openat(4, " + hex("bin/cargo") + ", O_WRONLY|O_CREAT|O_TRUNC, 0755) = -1 EROFS "
                + "(Read-only file system)");
        monitor.accept("101 1.000064 open(" + hex(".bashrc") + ", O_WRONLY|O_APPEND) = 5");
        monitor.accept("101 1.000065 openat(AT_FDCWD, " + hex("/p/.git/hooks/pre-commit")
                + ", O_WRONLY|O_CREAT, 0755) = -1 EROFS (Read-only file system)");
        assertThat(events).extracting(e -> e.kind() + " " + e.target() + " " + e.detail()).containsExactly(
                "FILE /home/u/.aws/credentials open",
                "PERSISTENCE /home/u/.cargo/bin/cargo tried to write",
                "PERSISTENCE /home/u/.bashrc wrote",
                "PERSISTENCE /p/.git/hooks/pre-commit tried to write");
    }

    @Test
    void unixSocketsOffTheAllowListAndListeningAreEvents() {
        buildScriptRuns();
        monitor.accept("101 1.000070 connect(3, {sa_family=AF_UNIX, sun_path=" + hex("agent.sock")
                + "}, 110) = -1 ENOENT (No such file or directory)");
        monitor.accept("101 1.000071 connect(3, {sa_family=AF_UNIX, sun_path=@" + hex("abstract")
                + "}, 110) = -1 ECONNREFUSED (Connection refused)");
        monitor.accept("101 1.000072 bind(3, {sa_family=AF_UNIX, sun_path=" + hex("/tmp/x.sock") + "}, 110) = 0");
        monitor.accept("101 1.000073 listen(3, 5) = 0");
        assertThat(events).extracting(e -> e.kind() + " " + e.target()).containsExactly(
                "CONNECT unix:/p/agent.sock", "LISTEN unix:/tmp/x.sock", "LISTEN descriptor 3");
        assertThat(events.getFirst().error()).isEqualTo("ENOENT");
    }

    @Test
    void aTraceWithoutTheEndOfItsFirstProcessWasCutShort() {
        buildScriptRuns();
        assertThat(monitor.sawTheEnd()).isFalse();
        monitor.accept("101 1.000080 +++ exited with 0 +++");
        assertThat(monitor.sawTheEnd()).isFalse();
        monitor.accept("100 1.000081 +++ exited with 0 +++");
        assertThat(monitor.sawTheEnd()).isTrue();
    }
}
