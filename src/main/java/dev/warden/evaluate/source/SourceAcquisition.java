package dev.warden.evaluate.source;

import dev.warden.cargo.download.CrateDownloader;
import dev.warden.cargo.download.GitCheckouts;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.cargo.project.Project;
import dev.warden.core.Environment;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gets the source of every package a check must judge: on this machine first ({@link CrateLocator}: workspace,
 * vendored and Cargo's caches), else the verified {@code .crate} from Warden's cache or the package's registry
 * ({@link CrateDownloader}). What cannot be had is said with its reason, never skipped in silence.
 */
public final class SourceAcquisition {

    /** Where a package's source was found, or why it was not. */
    public sealed interface Acquired {
    }

    /** @param downloaded whether it came over the network in this run */
    public record Found(CrateLocator.Located located, boolean downloaded) implements Acquired {
    }

    public record Unavailable(CrateDownloader.Reason reason, String detail) implements Acquired {
    }

    /** How far a run has got, for a progress line. */
    public record Progress(int done, int total, long bytes) {
    }

    /** Downloads at once; crates.io's CDN and Cargo itself are comfortable with a handful per host. */
    public static final int CONNECTIONS = 8;

    private final CrateLocator locator;
    private final CrateDownloader downloader;
    private final GitCheckouts git;
    private final int connections;

    /** @param connections downloads at once (Cargo uses a handful per host too) */
    public SourceAcquisition(Project project, Environment env, CrateDownloader downloader, GitCheckouts git,
                             int connections) {
        this.locator = new CrateLocator(project, env);
        this.downloader = downloader;
        this.git = git;
        this.connections = Math.max(1, connections);
    }

    /**
     * What a project's run uses: its Cargo configuration, Warden's cache, and downloads unless {@code offline} or
     * Cargo itself is told to stay offline ({@code [net] offline}, {@code CARGO_NET_OFFLINE}).
     */
    public static SourceAcquisition forProject(Project project, Environment env, boolean offline) {
        boolean stayOffline = offline || project.config().offline();
        CrateDownloader downloader = new CrateDownloader(project.config(), env,
                CrateDownloader.Options.defaults(env.cacheDirectory(), stayOffline));
        return new SourceAcquisition(project, env, downloader, new GitCheckouts(env.cacheDirectory(), stayOffline),
                CONNECTIONS);
    }

    public Map<PackageId, Acquired> acquire(Collection<LockedPackage> packages, Consumer<Progress> progress) {
        Map<PackageId, Acquired> found = new ConcurrentHashMap<>();
        List<LockedPackage> remote = packages.stream().filter(pkg -> {
            Optional<CrateLocator.Located> local = locator.locate(pkg);
            local.ifPresent(l -> found.put(pkg.id(), new Found(l, false)));
            return local.isEmpty();
        }).toList();
        int total = remote.size();
        AtomicInteger done = new AtomicInteger();
        if (total > 0) {
            progress.accept(new Progress(0, total, 0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(connections, Math.max(1, total)));
        try {
            List<Future<?>> tasks = remote.stream().<Future<?>>map(pkg -> pool.submit(() -> {
                found.put(pkg.id(), remote(pkg));
                progress.accept(new Progress(done.incrementAndGet(), total, downloader.downloadedBytes()));
            })).toList();
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        Map<PackageId, Acquired> ordered = new LinkedHashMap<>();
        packages.forEach(pkg -> ordered.put(pkg.id(), found.get(pkg.id())));
        return ordered;
    }

    private Acquired remote(LockedPackage pkg) {
        if (pkg.source() == null) {
            return new Unavailable(CrateDownloader.Reason.NOT_FOUND, "the path package " + pkg.id().nameAndVersion()
                    + " is not on this machine");
        }
        if (pkg.source().isGit()) {
            return switch (git.checkout(pkg)) {
                case GitCheckouts.Checkout checkout -> new Found(new CrateLocator.Located(checkout.directory(), false,
                        null), checkout.fetched());
                case GitCheckouts.Failed failed -> new Unavailable(failed.reason(), failed.detail());
            };
        }
        if (!pkg.source().isRegistry()) {
            return new Unavailable(CrateDownloader.Reason.UNSUPPORTED, pkg.source().describe()
                    + " is not a source Warden can fetch");
        }
        return switch (downloader.fetch(pkg)) {
            case CrateDownloader.Fetched fetched -> new Found(new CrateLocator.Located(fetched.crateFile(), true,
                    true), fetched.downloaded());
            case CrateDownloader.Failed failed -> new Unavailable(failed.reason(), failed.detail());
        };
    }
}
