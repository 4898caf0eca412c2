package dev.warden.evaluate.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cargo.manifest.PackageInfo;
import dev.warden.evaluate.source.CrateTree;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a packaged crate says it comes from, gathered once while the crate is scanned: its manifest's
 * {@code repository}, the commit and directory in {@code .cargo_vcs_info.json} ({@code cargo package} writes it), and
 * the git blob id of every file it ships, so the crate can later be compared with that commit without reading it
 * again.
 *
 * @param vcs        the recorded commit, or null when the crate has none
 * @param vcsProblem why {@code .cargo_vcs_info.json} could not be used, or null
 * @param blobs      path → git blob id of the file's bytes; for a file with CRLF line ends, also of its LF form
 *                   (a publisher on Windows checks out CRLF what git stores as LF), as {@code id|lfId}
 */
public record Provenance(String repository, VcsInfo vcs, String vcsProblem, SortedMap<String, String> blobs) {

    /** {@code .cargo_vcs_info.json}: the commit the package was built from, its directory, and whether it was dirty. */
    public record VcsInfo(String commit, String pathInVcs, boolean dirty) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final int VCS_INFO_LIMIT = 64 * 1024;

    public Provenance {
        blobs = Collections.unmodifiableSortedMap(new TreeMap<>(blobs));
    }

    public static Provenance of(CrateTree tree, PackageInfo pkg) {
        VcsInfo vcs = null;
        String problem = null;
        var info = tree.find(".cargo_vcs_info.json").filter(e -> e.type() == CrateTree.Type.FILE);
        if (info.isPresent()) {
            if (info.get().size() > VCS_INFO_LIMIT) {
                problem = ".cargo_vcs_info.json is " + info.get().size() + " bytes";
            } else {
                try {
                    JsonNode root = JSON.readTree(tree.read(info.get()));
                    String sha1 = root.path("git").path("sha1").asText("");
                    if (SHA1.matcher(sha1).matches()) {
                        vcs = new VcsInfo(sha1, root.path("path_in_vcs").asText("").replaceAll("^/+|/+$", ""),
                                root.path("git").path("dirty").asBoolean(false));
                    } else {
                        problem = ".cargo_vcs_info.json names no git commit";
                    }
                } catch (IOException e) {
                    problem = ".cargo_vcs_info.json is not JSON";
                }
            }
        }
        SortedMap<String, String> blobs = new TreeMap<>();
        if (vcs != null) {
            for (CrateTree.Entry entry : tree.entries()) {
                if (entry.type() == CrateTree.Type.FILE) {
                    blobs.put(entry.path(), blobIds(tree.read(entry)));
                }
            }
        }
        return new Provenance(pkg == null ? null : pkg.repository(), vcs, problem, blobs);
    }

    /** The git blob id of the bytes, and of their LF form when they hold CRLF. */
    static String blobIds(byte[] bytes) {
        String id = blobId(bytes);
        byte[] lf = withoutCarriageReturns(bytes);
        return lf == bytes ? id : id + "|" + blobId(lf);
    }

    static String blobId(byte[] bytes) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] withoutCarriageReturns(byte[] bytes) {
        int crlf = 0;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                crlf++;
            }
        }
        if (crlf == 0) {
            return bytes;
        }
        byte[] out = new byte[bytes.length - crlf];
        int o = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (!(bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n')) {
                out[o++] = bytes[i];
            }
        }
        return out;
    }
}
