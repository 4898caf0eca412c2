package dev.warden.evaluate.license;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;

import java.util.Collection;
import java.util.Map;

/**
 * What a registry records as the {@code license} field each release was published with: the fallback for crates
 * whose files are not on this machine (a fresh CI runner, {@code --offline}). Asked once per run for all of them.
 */
@FunctionalInterface
public interface PublishedLicenses {

    PublishedLicenses NONE = packages -> Map.of();

    /** The recorded licence of each package the registry knows with one; packages it does not know are left out. */
    Map<PackageId, String> of(Collection<LockedPackage> packages);
}
