package dev.warden.evaluate.advisory;

import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CvssTest {

    @Test
    void scoresEveryOracleVectorExactly() throws IOException {
        List<String> mismatches = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/cvss/oracle-scores.tsv"));
        assertThat(lines).hasSizeGreaterThan(3000);
        for (String line : lines) {
            String[] fields = line.split("\t");
            double expected = Double.parseDouble(fields[1]);
            double actual = Cvss.parse(fields[0]).score();
            if (actual != expected) {
                mismatches.add(fields[0] + " expected " + expected + " got " + actual);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void severityBandsFollowTheSpecifications() {
        assertThat(Cvss.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(Cvss.parse("CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(Cvss.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").severity()).isEqualTo(Severity.INFO);
        assertThat(Cvss.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").score()).isEqualTo(9.3);
        assertThat(Cvss.parse("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N").score()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AV:N/AC:L", "CVSS:2.0/AV:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q"})
    void rejectsMalformedVectors(String vector) {
        assertThatThrownBy(() -> Cvss.parse(vector)).isInstanceOf(WardenException.class)
                .hasMessageContaining("CVSS");
    }
}
