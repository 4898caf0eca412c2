package dev.warden.evaluate.license;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LicenseTextsTest {

    private static final Path TEXTS = Path.of("src/test/resources/licenses/texts");

    @Test
    void hashesLicenceFilesAsCargoDenyDoes() throws IOException {
        // XXH32's published vectors (seed 0), the hash cargo-deny's clarify entries carry.
        assertThat(CrateLicense.hash(new byte[0])).isEqualTo(0x02cc5d05L);
        assertThat(CrateLicense.hash("abc".getBytes())).isEqualTo(0x32d153ffL);
        CrateLicense.File ring = CrateLicense.file("LICENSE", Files.readAllBytes(TEXTS.resolve("ring-LICENSE")));
        assertThat(ring.hashHex()).isEqualTo("0x769d7d65");
        String crlf = Files.readString(TEXTS.resolve("ring-LICENSE")).replace("\n", "\r\n");
        assertThat(CrateLicense.file("LICENSE", crlf.getBytes()).hash()).isEqualTo(ring.hash());
    }

    @Test
    void normalisesLineEndsKeepingBlankLines() {
        assertThat(CrateLicense.normaliseLines("a\r\n\r\nb")).isEqualTo("a\n\nb\n");
        assertThat(CrateLicense.normaliseLines("a\n\n\n")).isEqualTo("a\n\n\n");
    }

    @ParameterizedTest
    @CsvSource({
        "detection-LICENSE, MIT",
        "detection-LICENSE-AGPL-3.0, AGPL-3.0-or-later",
        "detection-LICENSE-BSD, BSD-2-Clause-FreeBSD",
        "detection-LICENSE-MIT, MIT-Festival",
        "cargo-deny-LICENSE-APACHE, Apache-2.0",
        "cargo-deny-LICENSE-MIT, MIT",
    })
    void identifiesTheLicencesOfCargoDenysDetectionExample(String file, String id) throws IOException {
        LicenseTexts.Match match = LicenseTexts.identify(Files.readString(TEXTS.resolve(file)));
        assertThat(match.id()).isEqualTo(id);
        assertThat(match.confidence()).isGreaterThanOrEqualTo(0.8);
        assertThat(match.ambiguous()).as("%s: %s", file, match).isFalse();
    }

    @Test
    void anIscStyleTextWithItsAttributionClauseIsNeverTakenForZeroClauseBsd() throws IOException {
        // rustls-webpki's LICENSE: the ISC grant, "THE AUTHORS DISCLAIM" as in 0BSD, and a pointer to other files.
        LicenseTexts.Match match = LicenseTexts.identify(Files.readString(TEXTS.resolve("rustls-webpki-LICENSE")));
        assertThat(match.ambiguous()).as(match.toString()).isTrue();
        assertThat(List.of(match.id(), match.rival())).containsExactlyInAnyOrder("0BSD", "ISC");
    }

    @Test
    void aSentenceMentioningTheCopyrightNoticeIsPartOfTheLicence() {
        assertThat(LicenseTexts.pairs("provided that the above copyright notice appears")).hasSize(6);
        assertThat(LicenseTexts.pairs("Copyright 2015 Brian Smith.\n  (c) 2016 Someone")).isEmpty();
    }

    @Test
    void aFileWithThreeLicencesIsNotConfidentlyOne() throws IOException {
        assertThat(LicenseTexts.identify(Files.readString(TEXTS.resolve("ring-LICENSE"))).confidence())
                .isLessThan(0.8);
        assertThat(LicenseTexts.identify("just some words nobody licensed").confidence()).isLessThan(0.3);
    }
}
