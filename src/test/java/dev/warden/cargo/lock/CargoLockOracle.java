package dev.warden.cargo.lock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Rust {@code cargo-lock} CLI (Debian package {@code cargo-lock}, built on the same lockfile crate
 * cargo-audit uses) as an independent reader of lockfiles. It understands formats 1 to 3.
 */
final class CargoLockOracle {

    private CargoLockOracle() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("cargo-lock", "list", "-f", "/dev/null").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code cargo-lock list -s -d}: "- name version (source)" lines, each followed by "  - dependency" lines. */
    static List<String> list(Path lockfile) {
        try {
            Process p = new ProcessBuilder("cargo-lock", "list", "-s", "-d", "-f", lockfile.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("cargo-lock failed on " + lockfile + ": " + out);
            }
            return out.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same listing rendered from our own model, leaving out a v1 {@code [root]} package as the oracle does. */
    static List<String> render(Lockfile lockfile, String rootSpec) {
        List<String> lines = new ArrayList<>();
        for (LockedPackage p : lockfile.packages()) {
            if (p.id().fullSpec().equals(rootSpec)) {
                continue;
            }
            lines.add("- " + p.id().fullSpec());
            for (PackageId dependency : p.dependencies()) {
                lines.add("  - " + dependency.fullSpec());
            }
        }
        return lines;
    }

    /**
     * Packages as sorted blocks, in the representation both readers share: the oracle prints dependencies as written
     * (v1 omits the locked git commit) and treats {@code ?branch=master} as the default branch, while Warden names
     * the resolved package exactly; both identify the same package.
     */
    static List<String> normalize(List<String> listing) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : listing) {
            String clean = line.replace("?branch=master", "");
            if (clean.startsWith("  - ")) {
                clean = clean.replaceAll("#[0-9a-f]+\\)$", ")");
            }
            if (clean.startsWith("- ")) {
                if (block != null) {
                    blocks.add(block.toString());
                }
                block = new StringBuilder(clean);
            } else if (block != null) {
                block.append('\n').append(clean);
            }
        }
        if (block != null) {
            blocks.add(block.toString());
        }
        blocks.sort(null);
        return blocks;
    }

    /** The {@code name version} of a v1 {@code [root]} table, or null. */
    static String rootSpec(Path lockfile) {
        try {
            List<String> lines = Files.readAllLines(lockfile);
            int root = lines.indexOf("[root]");
            if (root < 0) {
                return null;
            }
            String name = lines.get(root + 1).replaceAll("^name = \"(.*)\"$", "$1");
            String version = lines.get(root + 2).replaceAll("^version = \"(.*)\"$", "$1");
            return name + " " + version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Entries as written: {@code [[package]]} headers plus a v1 {@code [root]} table. */
    static int countEntries(Path lockfile) {
        try {
            return (int) Files.readAllLines(lockfile).stream()
                    .filter(line -> line.equals("[[package]]") || line.equals("[root]"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
