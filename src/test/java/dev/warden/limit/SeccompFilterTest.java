package dev.warden.limit;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The assembled filter, run on a classic-BPF interpreter written here for the four instructions it uses, against
 * the system calls it must stop and the ones every build makes.
 */
class SeccompFilterTest {

    private static final int ALLOW = 0x7FFF0000;
    private static final int TRAP = 0x00030000;
    private static final int ENOSYS = 0x00050000 | 38;
    private static final int X86_64 = 0xC000003E;

    private final byte[] program = SeccompFilter.program("amd64");

    /** Runs the program on {@code struct seccomp_data} {nr, arch, ip, args[0]}. */
    private int run(int arch, int nr, long arg0) {
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        data.putInt(0, nr).putInt(4, arch).putLong(16, arg0);
        int accumulator = 0;
        int pc = 0;
        for (int steps = 0; steps < 1000; steps++) {
            int at = pc * 8;
            int op = code.getShort(at) & 0xFFFF;
            int jt = code.get(at + 2) & 0xFF;
            int jf = code.get(at + 3) & 0xFF;
            int k = code.getInt(at + 4);
            pc++;
            switch (op) {
                case 0x20 -> accumulator = data.getInt(k);
                case 0x15 -> pc += accumulator == k ? jt : jf;
                case 0x35 -> pc += Integer.compareUnsigned(accumulator, k) >= 0 ? jt : jf;
                case 0x45 -> pc += (accumulator & k) != 0 ? jt : jf;
                case 0x06 -> {
                    return k;
                }
                default -> throw new AssertionError("unexpected instruction " + op);
            }
        }
        throw new AssertionError("no return");
    }

    @Test
    void whatTakesTheSandboxApartTrapsAndEverythingElseRuns() {
        for (Map.Entry<String, Integer> denied : SeccompFilter.DENIED.entrySet()) {
            assertThat(run(X86_64, denied.getValue(), 0)).as(denied.getKey()).isEqualTo(TRAP);
        }
        // read, write, openat, execve, mmap, socket, connect, wait4, pipe2, fork: what builds do
        for (int nr : new int[] {0, 1, 257, 59, 9, 41, 42, 61, 293, 57}) {
            assertThat(run(X86_64, nr, 0)).as("syscall " + nr).isEqualTo(ALLOW);
        }
        assertThat(program.length / 8).isLessThan(256);
    }

    @Test
    void cloneMayMakeThreadsAndProcessesButNoNamespaces() {
        int clone = 56;
        assertThat(run(X86_64, clone, 0x003D0F00L)).as("a thread").isEqualTo(ALLOW);
        assertThat(run(X86_64, clone, 0x01200011L)).as("fork").isEqualTo(ALLOW);
        assertThat(run(X86_64, clone, 0x10000000L)).as("CLONE_NEWUSER").isEqualTo(TRAP);
        assertThat(run(X86_64, clone, 0x00020000L | 0x11)).as("CLONE_NEWNS").isEqualTo(TRAP);
        assertThat(run(X86_64, clone, 0x40000000L)).as("CLONE_NEWNET").isEqualTo(TRAP);
        assertThat(run(X86_64, 435, 0)).as("clone3 falls back to clone").isEqualTo(ENOSYS);
    }

    @Test
    void otherAbisCannotSideStepTheTable() {
        assertThat(run(0x40000003, 21, 0)).as("i386 mount by int 0x80").isEqualTo(TRAP);
        assertThat(run(X86_64, 0x40000000 | 165, 0)).as("x32 mount").isEqualTo(TRAP);
    }

    @Test
    void otherMachinesAreRefusedRatherThanUnfiltered() {
        assertThat(SeccompFilter.supported("aarch64")).isFalse();
        assertThatThrownBy(() -> SeccompFilter.program("aarch64")).hasMessageContaining("refusing");
    }
}
