package dev.warden.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretValuesTest {

    @Test
    void credentialsAreRecognisedByTheirShapeWhateverTheyAreCalled() {
        assertThat(SecretValues.looksSecret("http://builder:s3cr3t-pw@proxy.internal:3128")).isTrue();
        assertThat(SecretValues.looksSecret("ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5")).isTrue();
        assertThat(SecretValues.looksSecret("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstu")).isTrue();
        assertThat(SecretValues.looksSecret("glpat-abcdefghij0123456789")).isTrue();
        assertThat(SecretValues.looksSecret("xoxb-1234567890-abcdefghij")).isTrue();
        assertThat(SecretValues.looksSecret("AKIAIOSFODNN7EXAMPLE")).isTrue();
        assertThat(SecretValues.looksSecret("npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5")).isTrue();
        assertThat(SecretValues.looksSecret("Authorization: Bearer abcdefgh12345678")).isTrue();
        assertThat(SecretValues.looksSecret("-----BEGIN RSA PRIVATE KEY-----\nMIIE")).isTrue();
        assertThat(SecretValues.looksSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).isTrue();
        assertThat(SecretValues.looksSecret("0123456789abcdef0123456789abcdef01234567")).as("a hex key").isTrue();
    }

    @Test
    void whatBuildsPassAroundIsNot() {
        assertThat(SecretValues.looksSecret("/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin:"
                + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin")).isFalse();
        assertThat(SecretValues.looksSecret("-C target-cpu=native -Dwarnings")).isFalse();
        assertThat(SecretValues.looksSecret("http://proxy.internal:3128")).isFalse();
        assertThat(SecretValues.looksSecret("C.UTF-8")).isFalse();
        assertThat(SecretValues.looksSecret("sparse+https://index.crates.io/")).isFalse();
        assertThat(SecretValues.looksSecret("xterm-256color")).isFalse();
        assertThat(SecretValues.looksSecret("/home/runner/work/project/project/target")).isFalse();
    }
}
