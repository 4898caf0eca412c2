package dev.warden.testing;

/** Small lockfiles written in tests. */
public final class Lockfiles {

    public static final String CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

    private Lockfiles() {
    }

    /**
     * A v4 lockfile: a package {@code app} that depends on {@code name version [source]} entries (crates.io when the
     * source is left out).
     */
    public static String appDependingOn(String... entries) {
        StringBuilder text = new StringBuilder("version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "dependencies = [\n");
        for (String entry : entries) {
            String[] f = entry.split(" ");
            text.append(" \"").append(f[0]).append(" ").append(f[1]).append("\",\n");
        }
        text.append("]\n");
        for (String entry : entries) {
            String[] f = entry.split(" ");
            text.append("\n[[package]]\nname = \"").append(f[0]).append("\"\nversion = \"").append(f[1])
                    .append("\"\nsource = \"").append(f.length > 2 ? f[2] : CRATES_IO).append("\"\n");
        }
        return text.toString();
    }
}
