package dev.warden.evaluate.scan;

import dev.warden.core.Sha256;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Which scanner produced a result, so a registry-wide scan knows what to redo when a rule lands. The version is a
 * digest of the scanner's own code and data — the lexer, the capability and flow rules, the archive reader — as
 * they are loaded, so no one has to remember to bump a number: any change to them is a new rule set, and a change
 * elsewhere in Warden is not. A refactoring that changes no result still counts as new (a rescan, never a miss).
 */
public final class ScanRuleSet {

    /** The packages whose code decides what a scan of one crate finds. */
    private static final List<String> PACKAGES = List.of("dev/warden/evaluate/scan/", "dev/warden/evaluate/lexer/",
            "dev/warden/evaluate/source/");

    private static volatile String version;

    private ScanRuleSet() {
    }

    /** For example {@code scan-3f2a9c0d41b7e8a2}. */
    public static String version() {
        String known = version;
        if (known == null) {
            known = "scan-" + digest(entries()).substring(0, 16);
            version = known;
        }
        return known;
    }

    static String digest(SortedMap<String, byte[]> entries) {
        MessageDigest digest = Sha256.digest();
        entries.forEach((name, bytes) -> {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 0);
            digest.update(bytes);
        });
        return Sha256.hex(digest.digest());
    }

    /** The scanner's files, by path, from the jar or class directory this class was loaded from. */
    private static SortedMap<String, byte[]> entries() {
        CodeSource source = ScanRuleSet.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new WardenException("cannot tell which scanner is running: no code source for " + ScanRuleSet.class);
        }
        SortedMap<String, byte[]> entries = new TreeMap<>();
        try {
            Path location = Path.of(source.getLocation().toURI());
            if (Files.isDirectory(location)) {
                for (String pkg : PACKAGES) {
                    Path dir = location.resolve(pkg);
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(dir)) {
                        for (Path file : files.filter(Files::isRegularFile).toList()) {
                            entries.put(location.relativize(file).toString().replace('\\', '/'),
                                    Files.readAllBytes(file));
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        JarEntry entry = e.nextElement();
                        if (!entry.isDirectory() && PACKAGES.stream().anyMatch(entry.getName()::startsWith)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                entries.put(entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            throw new WardenException("cannot read the scanner's code to version it: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new WardenException("cannot tell which scanner is running: no scanner classes at "
                    + source.getLocation());
        }
        return entries;
    }
}
