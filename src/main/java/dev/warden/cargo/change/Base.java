package dev.warden.cargo.change;

import dev.warden.cargo.lock.Lockfile;

/**
 * The lockfile a change is compared with, as it was before the change.
 *
 * @param display how evidence names it: {@code before.lock}, {@code origin/main:Cargo.lock}
 */
public record Base(Lockfile lockfile, String display) {
}
