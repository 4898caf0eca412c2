package dev.warden.cargo.manifest;

import java.util.List;
import java.util.Set;

/**
 * The {@code [package]} section, with workspace-inherited fields filled in.
 *
 * @param version    the version as written, or null when omitted (Cargo then uses 0.0.0)
 * @param build      the build script path: explicit {@code build = "…"}, {@code "build.rs"} for {@code build = true},
 *                   null when unspecified (Cargo then uses build.rs if present), empty for {@code build = false}
 * @param links      the native library named by {@code links}, or null
 * @param procMacro  {@code [lib] proc-macro = true}
 * @param include    {@code include} patterns (empty when unspecified)
 * @param exclude    {@code exclude} patterns
 * @param inherited  fields declared {@code field.workspace = true} (resolved by {@link ManifestParser#inherit})
 * @param license    the {@code license} SPDX expression as written, or null
 * @param licenseFile the {@code license-file} path (relative to the manifest), or null
 * @param publish    the registries it may be published to: null for any ({@code publish} unset or true), empty for
 *                   none ({@code publish = false})
 * @param line       the line of the {@code [package]} header
 */
public record PackageInfo(String name, String version, String edition, String build, String links, boolean procMacro,
                          String repository, List<String> include, List<String> exclude, Set<String> inherited,
                          String license, String licenseFile, List<String> publish, int line) {

    public PackageInfo {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        inherited = Set.copyOf(inherited);
        publish = publish == null ? null : List.copyOf(publish);
    }

    /** Not published anywhere, or only to the given private registries. */
    public boolean privateTo(List<String> privateRegistries) {
        return publish != null && privateRegistries.containsAll(publish);
    }

    /** The explicitly disabled build script ({@code build = false}). */
    public boolean buildDisabled() {
        return build != null && build.isEmpty();
    }
}
