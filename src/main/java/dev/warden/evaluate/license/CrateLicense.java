package dev.warden.evaluate.license;

import dev.warden.cargo.manifest.PackageInfo;
import dev.warden.evaluate.source.CrateTree;
import org.apache.commons.codec.digest.XXHash32;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a crate says about its licence: the {@code license} field, the {@code license-file} it names, and the licence
 * files at its root ({@code LICENSE*}, {@code COPYING*}, as cargo-deny looks for them) with the hash cargo-deny's
 * {@code [[licenses.clarify]]} entries carry, so a clarification written for cargo-deny applies here unchanged.
 *
 * @param declared    the {@code license} field, or null when the manifest has none
 * @param licenseFile the {@code license-file} field, or null
 * @param files       the licence files found, by crate-relative path
 */
public record CrateLicense(String declared, String licenseFile, List<File> files) {

    /** Longest licence file read; longer ones are named, not read (a licence is a few pages). */
    static final int MAX_FILE = 512 * 1024;

    public CrateLicense {
        files = List.copyOf(files);
    }

    /**
     * A licence file: cargo-deny's hash of its text with line ends normalised, and that text when the licence must
     * be recognised from it (the crate declares none); otherwise null, so scans of many crates hold no copies.
     */
    public record File(String path, long hash, String text) {
        public String hashHex() {
            return hex(hash);
        }
    }

    /** A hash as cargo-deny prints it and clarifications write it. */
    public static String hex(long hash) {
        return String.format("0x%08x", hash);
    }

    /** From an unpacked or packed crate. */
    public static CrateLicense of(CrateTree tree, PackageInfo pkg) {
        Map<String, File> files = new LinkedHashMap<>();
        for (CrateTree.Entry entry : tree.entries()) {
            String path = entry.path();
            boolean named = pkg != null && pkg.licenseFile() != null && normalise(pkg.licenseFile()).equals(path);
            if (entry.type() == CrateTree.Type.FILE && entry.size() <= MAX_FILE && (named || atRoot(path))) {
                files.put(path, file(path, tree.read(entry)));
            }
        }
        return of(pkg, files);
    }

    /** From a workspace member or path crate on disk: only the root's licence files are read. */
    public static CrateLicense of(Path directory, PackageInfo pkg) {
        Map<String, File> files = new LinkedHashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                read(entry, entry.getFileName().toString(), atRoot(entry.getFileName().toString()), files);
            }
            if (pkg != null && pkg.licenseFile() != null) {
                read(directory.resolve(pkg.licenseFile()), normalise(pkg.licenseFile()), true, files);
            }
        } catch (IOException e) {
            // An unreadable directory has no licence files to show; the declared licence still counts.
        }
        return of(pkg, files);
    }

    private static void read(Path file, String path, boolean wanted, Map<String, File> into) throws IOException {
        if (wanted && Files.isRegularFile(file) && Files.size(file) <= MAX_FILE) {
            into.put(path, file(path, Files.readAllBytes(file)));
        }
    }

    private static CrateLicense of(PackageInfo pkg, Map<String, File> files) {
        String declared = pkg == null ? null : pkg.license();
        boolean detect = declared == null || declared.isBlank();
        List<File> sorted = new ArrayList<>(files.values().stream()
                .map(f -> detect ? f : new File(f.path(), f.hash(), null)).toList());
        sorted.sort(Comparator.comparing(File::path));
        return new CrateLicense(declared, pkg == null ? null : pkg.licenseFile(), sorted);
    }

    private static boolean atRoot(String path) {
        return !path.contains("/") && (path.startsWith("LICENSE") || path.startsWith("COPYING"));
    }

    private static String normalise(String path) {
        return path.replace('\\', '/').replaceFirst("^\\./", "");
    }

    public static File file(String path, byte[] bytes) {
        String text = normaliseLines(new String(bytes, StandardCharsets.UTF_8));
        return new File(path, hash(text.getBytes(StandardCharsets.UTF_8)), text);
    }

    /** XXH32 with seed 0, cargo-deny's licence-file hash. */
    static long hash(byte[] bytes) {
        XXHash32 hash = new XXHash32();
        hash.update(bytes, 0, bytes.length);
        return hash.getValue();
    }

    /** Every line ending in one {@code \n}, {@code \r\n} and trailing blank-free ends read as cargo-deny reads them. */
    static String normaliseLines(String text) {
        StringBuilder out = new StringBuilder(text.length() + 1);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? text.length() : end + 1;
            int stop = end < 0 ? text.length() : end;
            while (stop > start && text.charAt(stop - 1) == '\r') {
                stop--;
            }
            out.append(text, start, stop).append('\n');
            start = next;
        }
        return out.toString();
    }
}
