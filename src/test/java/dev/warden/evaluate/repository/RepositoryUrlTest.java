package dev.warden.evaluate.repository;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RepositoryUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/serde-rs/serde", "https://gitlab.com/gitlab-org/gitlab.git",
        "http://github.com/BurntSushi/ripgrep/", "https://git.sr.ht/~sircmpwn/hare", "https://salsa.debian.org/rust-team/x",
        "https://github.com/rust-lang/cargo/tree/master/crates/cargo-util", "git://git.example.org/repo.git",
        "ssh://git@github.com/acme/private"})
    void repositoriesWhereCodeCanLive(String url) {
        assertThat(RepositoryUrl.implausible(url)).as(url).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "github.com/serde-rs/serde | it has no scheme",
        "file:///home/me/serde | its scheme is file:",
        "javascript:alert(1) | its scheme is javascript:",
        "https://github.com/serde-rs | a repository on github.com is /owner/name, not /serde-rs",
        "https://github.com | a repository on github.com is /owner/name, not /",
        "https://192.168.1.20/acme/serde | its host 192.168.1.20 is an address, not a public forge",
        "https://user:hunter2@github.com/acme/serde | it carries a user name or password",
        "https://tinyurl.com/abc | tinyurl.com is a link shortener: where it leads can change",
        "https://exa mple.com/x | it is not a URL",
    })
    void repositoriesThatCannotBe(String url, String why) {
        assertThat(RepositoryUrl.implausible(url)).as(url).contains(why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://GitHub.com/Serde-rs/Serde.git/ | github.com/serde-rs/serde",
        "http://github.com/serde-rs/serde | github.com/serde-rs/serde",
        "https://github.com/rust-lang/cargo/tree/master/crates/cargo-util | github.com/rust-lang/cargo",
        "https://git.example.org/Team/Repo.git | git.example.org/Team/Repo",
    })
    void oneFormToCompareBy(String url, String normalised) {
        assertThat(RepositoryUrl.normalised(url)).isEqualTo(normalised);
    }
}
