package dev.warden.cargo.index;

import dev.warden.cargo.lock.SourceId;

import java.util.List;
import java.util.Optional;

/** Somewhere to look up a crate's published versions; empty when this source cannot tell (offline, unknown). */
public interface RegistryIndex {

    Optional<List<IndexEntry>> versions(SourceId registry, String crate);

    /** Looks in each index in turn and answers from the first that knows the crate. */
    static RegistryIndex firstOf(List<RegistryIndex> indexes) {
        return (registry, crate) -> {
            for (RegistryIndex index : indexes) {
                Optional<List<IndexEntry>> found = index.versions(registry, crate);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        };
    }

    /** Knows nothing: the offline default when no local cache exists. */
    RegistryIndex NONE = (registry, crate) -> Optional.empty();
}
