package dev.warden.evaluate.scan;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

/** The four-character prefilter may let a literal through for nothing, but never stops one holding a needle. */
class NeedlesTest {

    @Property(tries = 2000)
    void aLiteralHoldingANeedleIsNeverRuledOut(@ForAll @StringLength(min = 4, max = 24) String needle,
                                               @ForAll @StringLength(max = 40) String before,
                                               @ForAll @StringLength(max = 40) String after) {
        CapabilityScanner.Needles needles = new CapabilityScanner.Needles(needle);
        String literal = before + needle + after;
        assertThat(CapabilityScanner.Needles.mayContainAny(literal)).isTrue();
        assertThat(needles.first(literal)).isEqualTo(needle);
    }
}
