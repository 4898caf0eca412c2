package dev.warden.cargo.graph;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Platform conditions as Cargo evaluates them (cases after the cargo-platform crate's cfg tests). */
class TargetPlatformTest {

    private static final TargetPlatform LINUX = TargetPlatform.of("x86_64-unknown-linux-gnu");
    private static final TargetPlatform WINDOWS = TargetPlatform.of("x86_64-pc-windows-msvc");
    private static final TargetPlatform MAC = TargetPlatform.of("aarch64-apple-darwin");
    private static final TargetPlatform ANDROID = TargetPlatform.of("armv7-linux-androideabi");
    private static final TargetPlatform WASM = TargetPlatform.of("wasm32-unknown-unknown");

    @Test
    void namesAndKeyValuePairs() {
        assertThat(LINUX.matches("cfg(unix)")).isTrue();
        assertThat(LINUX.matches("cfg(windows)")).isFalse();
        assertThat(WINDOWS.matches("cfg(windows)")).isTrue();
        assertThat(WINDOWS.matches("cfg(target_env = \"msvc\")")).isTrue();
        assertThat(LINUX.matches("cfg(target_os = \"linux\")")).isTrue();
        assertThat(MAC.matches("cfg(target_os = \"macos\")")).isTrue();
        assertThat(MAC.matches("cfg(target_vendor = \"apple\")")).isTrue();
        assertThat(ANDROID.matches("cfg(target_os = \"android\")")).isTrue();
        assertThat(ANDROID.matches("cfg(target_os = \"linux\")")).isFalse();
        assertThat(ANDROID.matches("cfg(target_arch = \"arm\")")).isTrue();
        assertThat(ANDROID.matches("cfg(target_pointer_width = \"32\")")).isTrue();
        assertThat(WASM.matches("cfg(target_family = \"wasm\")")).isTrue();
        assertThat(WASM.matches("cfg(unix)")).isFalse();
        assertThat(TargetPlatform.of("s390x-unknown-linux-gnu").matches("cfg(target_endian = \"big\")")).isTrue();
    }

    @Test
    void combinatorsAndTriples() {
        String unixNotMac = "cfg(all(unix, not(target_os = \"macos\")))";
        assertThat(LINUX.matches(unixNotMac)).isTrue();
        assertThat(MAC.matches(unixNotMac)).isFalse();
        assertThat(WINDOWS.matches("cfg(any(windows, target_os = \"wasi\"))")).isTrue();
        assertThat(LINUX.matches("cfg(any())")).isFalse();
        assertThat(LINUX.matches("cfg(all())")).isTrue();
        assertThat(WINDOWS.matches("x86_64-pc-windows-msvc")).isTrue();
        assertThat(LINUX.matches("x86_64-pc-windows-msvc")).isFalse();
        // A feature or an unknown name is false, as for rustc; a condition that cannot be read keeps the dependency.
        assertThat(LINUX.matches("cfg(feature = \"std\")")).isFalse();
        assertThat(LINUX.matches("cfg(all(unix,")).isTrue();
    }

    @Test
    void somethingThatIsNoTripleIsRefused() {
        assertThatThrownBy(() -> TargetPlatform.of("linux")).hasMessageContaining("expects a target triple");
        assertThatThrownBy(() -> TargetPlatform.of("x86 64-linux")).hasMessageContaining("expects a target triple");
    }
}
