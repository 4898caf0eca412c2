package dev.warden.cargo.change;

import dev.warden.cargo.lock.Lockfile;
import dev.warden.core.FileTree;

/**
 * The lockfile a change is compared with, as it was before the change.
 *
 * @param display how evidence names it: {@code before.lock}, {@code origin/main:Cargo.lock}
 * @param tree    the repository as it was at the base (a git revision, a project directory), so other files can be
 *                compared too; null when the base is a lone lockfile
 */
public record Base(Lockfile lockfile, String display, FileTree tree) {

    public Base(Lockfile lockfile, String display) {
        this(lockfile, display, null);
    }
}
