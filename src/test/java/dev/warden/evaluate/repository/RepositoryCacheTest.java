package dev.warden.evaluate.repository;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --fetch-repositories against a real git server: JGit's git:// daemon on loopback serving a repository made here.
 * (Loopback is not a plausible repository host, so the test allows it; by default such URLs are never fetched.)
 */
class RepositoryCacheTest {

    @TempDir
    Path dir;

    private static String commit(Git git, String file, String text) throws IOException, GitAPIException {
        Path path = git.getRepository().getWorkTree().toPath().resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
        git.add().addFilepattern(".").call();
        PersonIdent author = new PersonIdent("Acme", "dev@acme.example");
        return git.commit().setMessage(file).setAuthor(author).setCommitter(author).setSign(false).call().name();
    }

    @Test
    void aRepositoryNotGivenIsClonedOnceAndFetchedOnTheNextRun() throws Exception {
        Path upstream = dir.resolve("upstream");
        try (Git git = Git.init().setDirectory(upstream.toFile()).setInitialBranch("main").call()) {
            String first = commit(git, "src/lib.rs", "pub fn f() {}\n");
            Daemon daemon = new Daemon(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            daemon.setRepositoryResolver((RepositoryResolver<org.eclipse.jgit.transport.DaemonClient>) (request,
                    name) -> {
                try {
                    return new FileRepositoryBuilder().setGitDir(upstream.resolve(".git").toFile()).build();
                } catch (IOException e) {
                    throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
                }
            });
            daemon.start();
            try {
                String url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/acme/fastfmt";
                assertThat(RepositoryUrl.implausible(url)).isPresent();
                assertThat(new RepositoryCache(null, dir.resolve("cache")).locate("fastfmt", url))
                        .as("an address is never fetched by default").isEmpty();

                RepositoryCache cache = new RepositoryCache(null, dir.resolve("cache"), u -> true);
                Path cloned = cache.locate("fastfmt", url).orElseThrow();
                assertThat(cloned).isEqualTo(dir.resolve("cache/127.0.0.1/acme/fastfmt.git"));
                assertThat(RepositoryCache.files(cloned, first).orElseThrow().files()).containsOnlyKeys("src/lib.rs");

                String second = commit(git, "build.rs", "fn main() {}\n");
                RepositoryCache nextRun = new RepositoryCache(null, dir.resolve("cache"), u -> true);
                Path again = nextRun.locate("fastfmt", url).orElseThrow();
                assertThat(again).isEqualTo(cloned);
                assertThat(RepositoryCache.files(again, second).orElseThrow().files())
                        .containsOnlyKeys("src/lib.rs", "build.rs");
                assertThat(nextRun.failure(url)).isEmpty();

                RepositoryCache unreachable = new RepositoryCache(null, dir.resolve("cache"), u -> true);
                String missing = "git://127.0.0.1:1/acme/gone";
                assertThat(unreachable.locate("gone", missing)).isEmpty();
                assertThat(unreachable.failure(missing)).isPresent();
                assertThat(dir.resolve("cache/127.0.0.1/acme/gone.git")).doesNotExist();
            } finally {
                daemon.stop();
            }
        }
    }
}
