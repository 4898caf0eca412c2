package dev.warden.recon.publishers;

import java.util.Collection;
import java.util.Map;

/** Where the history of crates (releases, publishers, owners) comes from: the offline snapshot or crates.io's API. */
@FunctionalInterface
public interface CrateHistories {

    /** The histories of the named crates this source knows; unknown names are left out. */
    Map<String, RegistryData.CrateHistory> crates(Collection<String> names);
}
