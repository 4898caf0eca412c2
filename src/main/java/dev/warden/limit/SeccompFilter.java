package dev.warden.limit;

import dev.warden.core.WardenException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seccomp program bubblewrap installs before it starts the build command ({@code --seccomp FD}): the system
 * calls that take a sandbox apart (mounts, namespaces, tracing other processes, kernel keys, modules, reboot) stop
 * with {@code SIGSYS}, which the tracer reports with the call's name, so every attempt is an event.
 *
 * <p>Assembled here as classic BPF: the program is thirty-odd instructions, and the alternative (libseccomp) is a
 * native library Warden would have to load into the JVM or ship a helper binary for. Only x86_64 is assembled; on
 * other machines the build refuses to run rather than run without the filter.
 */
public final class SeccompFilter {

    /** Denied outright, by x86_64 system call number. */
    static final Map<String, Integer> DENIED = Map.ofEntries(
            Map.entry("ptrace", 101), Map.entry("pivot_root", 155), Map.entry("chroot", 161), Map.entry("acct", 163),
            Map.entry("mount", 165), Map.entry("umount2", 166), Map.entry("swapon", 167), Map.entry("swapoff", 168),
            Map.entry("reboot", 169), Map.entry("init_module", 175), Map.entry("delete_module", 176),
            Map.entry("kexec_load", 246), Map.entry("add_key", 248), Map.entry("request_key", 249),
            Map.entry("keyctl", 250), Map.entry("unshare", 272), Map.entry("perf_event_open", 298),
            Map.entry("name_to_handle_at", 303), Map.entry("open_by_handle_at", 304), Map.entry("setns", 308),
            Map.entry("process_vm_readv", 310), Map.entry("process_vm_writev", 311), Map.entry("finit_module", 313),
            Map.entry("kexec_file_load", 320), Map.entry("bpf", 321), Map.entry("userfaultfd", 323),
            Map.entry("open_tree", 428), Map.entry("move_mount", 429), Map.entry("fsopen", 430),
            Map.entry("fsconfig", 431), Map.entry("fsmount", 432), Map.entry("fspick", 433),
            Map.entry("mount_setattr", 442));

    private static final int CLONE = 56;
    /** clone3 passes its flags in memory, where a filter cannot read them: it fails, and libc falls back to clone. */
    private static final int CLONE3 = 435;
    /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
    private static final int NEW_NAMESPACE_FLAGS = 0x7E020000;
    private static final int X32_BIT = 0x40000000;
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;

    private static final int RET_ALLOW = 0x7FFF0000;
    private static final int RET_TRAP = 0x00030000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int ENOSYS = 38;

    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short JGE_K = 0x35;
    private static final short JSET_K = 0x45;
    private static final short RET_K = 0x06;

    /** Offsets in {@code struct seccomp_data}. */
    private static final int NR = 0;
    private static final int ARCH = 4;
    private static final int ARG0_LOW = 16;

    private record Instruction(short code, int jumpTrue, int jumpFalse, int k) {
    }

    private SeccompFilter() {
    }

    /** Whether the filter exists for this machine. */
    public static boolean supported(String osArch) {
        return osArch.equals("amd64") || osArch.equals("x86_64");
    }

    /** The program as {@code struct sock_filter[]}, in the machine's byte order, for {@code --seccomp}. */
    public static byte[] program(String osArch) {
        if (!supported(osArch)) {
            throw new WardenException("no seccomp filter for " + osArch + " yet: refusing to build without one");
        }
        List<Integer> denied = DENIED.values().stream().sorted().toList();
        // Layout: arch check (2), load nr, x32 check, one jump per denied call, clone3, clone + its flags (3), then
        // the three returns. Jump offsets count from the next instruction.
        int allow = 4 + denied.size() + 4;
        int trap = allow + 1;
        int enosys = trap + 1;
        List<Instruction> program = new ArrayList<>();
        program.add(new Instruction(LD_W_ABS, 0, 0, ARCH));
        program.add(new Instruction(JEQ_K, 0, trap - 2, AUDIT_ARCH_X86_64));
        program.add(new Instruction(LD_W_ABS, 0, 0, NR));
        program.add(new Instruction(JGE_K, trap - 4, 0, X32_BIT));
        for (int nr : denied) {
            program.add(new Instruction(JEQ_K, trap - program.size() - 1, 0, nr));
        }
        program.add(new Instruction(JEQ_K, enosys - program.size() - 1, 0, CLONE3));
        program.add(new Instruction(JEQ_K, 0, allow - program.size() - 1, CLONE));
        program.add(new Instruction(LD_W_ABS, 0, 0, ARG0_LOW));
        program.add(new Instruction(JSET_K, trap - program.size() - 1, 0, NEW_NAMESPACE_FLAGS));
        program.add(new Instruction(RET_K, 0, 0, RET_ALLOW));
        program.add(new Instruction(RET_K, 0, 0, RET_TRAP));
        program.add(new Instruction(RET_K, 0, 0, RET_ERRNO | ENOSYS));
        ByteBuffer out = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.nativeOrder());
        for (Instruction instruction : program) {
            out.putShort(instruction.code()).put((byte) instruction.jumpTrue()).put((byte) instruction.jumpFalse())
                    .putInt(instruction.k());
        }
        return out.array();
    }
}
