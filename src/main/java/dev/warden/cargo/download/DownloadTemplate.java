package dev.warden.cargo.download;

import java.util.Locale;

/**
 * The {@code dl} key of a registry's {@code config.json}, as Cargo expands it: with any of the markers
 * {@code {crate}}, {@code {version}}, {@code {prefix}}, {@code {lowerprefix}} or {@code {sha256-checksum}} the
 * markers are replaced; without one, {@code /{crate}/{version}/download} is appended.
 */
public final class DownloadTemplate {

    private static final String[] MARKERS = {"{crate}", "{version}", "{prefix}", "{lowerprefix}", "{sha256-checksum}"};

    /** crates.io's own download location, which its {@code config.json} also names. */
    public static final String CRATES_IO = "https://static.crates.io/crates/{crate}/{crate}-{version}.crate";

    private DownloadTemplate() {
    }

    public static String expand(String dl, String crate, String version, String checksum) {
        boolean templated = false;
        for (String marker : MARKERS) {
            templated |= dl.contains(marker);
        }
        if (!templated) {
            return (dl.endsWith("/") ? dl : dl + "/") + crate + "/" + version + "/download";
        }
        String prefix = prefix(crate);
        return dl.replace("{crate}", crate).replace("{version}", version).replace("{prefix}", prefix)
                .replace("{lowerprefix}", prefix.toLowerCase(Locale.ROOT))
                .replace("{sha256-checksum}", checksum == null ? "" : checksum);
    }

    /** The index directory of a crate without the file name: {@code 1}, {@code 2}, {@code 3/s}, {@code se/rd}. */
    static String prefix(String crate) {
        return switch (crate.length()) {
            case 1 -> "1";
            case 2 -> "2";
            case 3 -> "3/" + crate.charAt(0);
            default -> crate.substring(0, 2) + "/" + crate.substring(2, 4);
        };
    }
}
