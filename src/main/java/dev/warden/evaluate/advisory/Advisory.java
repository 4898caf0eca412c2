package dev.warden.evaluate.advisory;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.SourceId;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One security advisory about one crate, from RustSec or OSV.
 *
 * @param id            the advisory's own id (RUSTSEC-…, GHSA-…, MAL-…)
 * @param aliases       other ids for the same issue (CVE, GHSA, and ids of merged duplicates)
 * @param crate         the affected crate's name
 * @param source        the registry index URL for crates outside crates.io, null for crates.io
 * @param categories    RustSec categories ({@code memory-corruption}, {@code malicious}, …)
 * @param informational non-null for unmaintained/unsound/notice advisories
 * @param withdrawn     when the advisory was withdrawn (it then matches nothing), or null
 * @param cvss          the scored CVSS vector, or null
 * @param os            operating systems the issue is limited to (empty: all)
 * @param arch          CPU architectures the issue is limited to (empty: all)
 * @param functions     affected functions with the version requirements where each is affected
 * @param summary       the first paragraph of the description
 * @param origin        where it was read from (file, or file:line for a JSON-lines record), for messages
 */
public record Advisory(String id, List<String> aliases, List<String> related, String crate, String source,
                       LocalDate date, String title, String summary, String url, Set<String> categories,
                       List<String> keywords, Informational informational, LocalDate withdrawn, Cvss cvss,
                       List<String> os, List<String> arch, Map<String, List<String>> functions,
                       AffectedVersions versions, String license, String origin) {

    public Advisory {
        aliases = List.copyOf(aliases);
        related = List.copyOf(related);
        categories = Set.copyOf(categories);
        keywords = List.copyOf(keywords);
        os = List.copyOf(os);
        arch = List.copyOf(arch);
        functions = Map.copyOf(functions);
    }

    public boolean isMalicious() {
        return categories.contains("malicious");
    }

    public boolean isWithdrawn() {
        return withdrawn != null;
    }

    /** Every id this advisory is known by. */
    public List<String> ids() {
        return Stream.concat(Stream.of(id), aliases.stream()).toList();
    }

    /**
     * Whether a locked package is affected: same crate from the same registry (an advisory about a crates.io crate
     * says nothing about a git or private-registry package that happens to share the name), in an affected version,
     * and the advisory not withdrawn.
     */
    public boolean affects(LockedPackage pkg) {
        if (isWithdrawn() || !pkg.name().equals(crate) || !fromSameRegistry(pkg.source())) {
            return false;
        }
        return versions.affects(pkg.version());
    }

    private boolean fromSameRegistry(SourceId pkgSource) {
        if (pkgSource == null || !pkgSource.isRegistry()) {
            return false;
        }
        if (source == null) {
            return pkgSource.isCratesIo();
        }
        return pkgSource.equals(SourceId.registry(source));
    }
}
