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
    private final BuildMonitor monitor = new BuildMonitor(new ProcessTracker(name -> name),
            new BuildMonitor.Paths(List.of("/home/u/.aws"), List.of("/p/target", "/tmp")), events::add);

    private void buildScriptRuns() {
        monitor.accept("100 1.000000 execve(" + hex("/usr/bin/bwrap") + ", [" + hex("bwrap") + "], 0x0 /* 1 vars */) = 0");
        monitor.accept("100 1.000001 clone(child_stack=NULL, flags=SIGCHLD) = 2 /* 101 in strace's PID NS */");
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
        monitor.accept("101 1.000016 ptrace(PTRACE_TRACEME) = -1 EPERM (Operation not permitted)");
        assertThat(events).extracting(BuildEvent::kind).containsOnly(BuildEvent.Kind.EVASION);
        assertThat(events).extracting(BuildEvent::target).containsExactly("io_uring", "memfd_create",
                "", "raw socket", "raw socket", "ptrace");
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
        assertThat(monitor.syscalls()).isEqualTo(9);
    }
}
