package dev.warden.cargo.index;

import dev.warden.cargo.semver.Version;

import java.time.Instant;

/**
 * One published version as a registry index records it.
 *
 * @param checksum SHA-256 of the {@code .crate} file ({@code cksum})
 * @param yanked   whether the version was yanked
 * @param pubtime  when it was published ({@code pubtime}, recorded by crates.io since 2025), or null
 */
public record IndexEntry(String name, Version version, String checksum, boolean yanked, Instant pubtime) {
}
