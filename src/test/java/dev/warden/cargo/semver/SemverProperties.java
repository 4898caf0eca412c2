package dev.warden.cargo.semver;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of Cargo's version ordering and requirement matching, over small numbers so that edges collide. */
class SemverProperties {

    @Provide
    Arbitrary<Version> versions() {
        Arbitrary<Long> part = Arbitraries.longs().between(0, 3);
        Arbitrary<String> pre = Arbitraries.of("", "", "", "alpha", "alpha.1", "beta", "rc.1", "0", "1", "11", "alpha.beta");
        Arbitrary<String> build = Arbitraries.of("", "", "", "1", "01", "build.7", "a");
        return Combinators.combine(part, part, part, pre, build).as(Version::new);
    }

    @Provide
    Arbitrary<Version> releases() {
        Arbitrary<Long> part = Arbitraries.longs().between(0, 3);
        return Combinators.combine(part, part, part).as(Version::new);
    }

    @Property
    void printingAndParsingRoundTrips(@ForAll("versions") Version v) {
        assertThat(Version.parse(v.toString())).isEqualTo(v);
    }

    @Property
    void orderIsTotalAndConsistentWithEquals(@ForAll("versions") Version a, @ForAll("versions") Version b,
                                             @ForAll("versions") Version c) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
        assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
        if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
            assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
        }
    }

    @Property
    void releasesMatchComparisonOperatorsByPrecedence(@ForAll("releases") Version v, @ForAll("releases") Version bound) {
        int order = v.comparePrecedence(bound);
        assertThat(VersionReq.parse(">=" + bound).matches(v)).isEqualTo(order >= 0);
        assertThat(VersionReq.parse(">" + bound).matches(v)).isEqualTo(order > 0);
        assertThat(VersionReq.parse("<" + bound).matches(v)).isEqualTo(order < 0);
        assertThat(VersionReq.parse("<=" + bound).matches(v)).isEqualTo(order <= 0);
        assertThat(VersionReq.parse("=" + bound).matches(v)).isEqualTo(order == 0);
    }

    @Property
    void caretIsTheRangeUpToTheNextIncompatibleVersion(@ForAll("releases") Version v, @ForAll("releases") Version b) {
        Version upper = b.major() > 0 ? new Version(b.major() + 1, 0, 0)
                : b.minor() > 0 ? new Version(0, b.minor() + 1, 0) : new Version(0, 0, b.patch() + 1);
        String range = ">=" + b + ", <" + upper;
        assertThat(VersionReq.parse("^" + b).matches(v)).isEqualTo(VersionReq.parse(range).matches(v));
        assertThat(VersionReq.parse(b.toString()).matches(v)).isEqualTo(VersionReq.parse(range).matches(v));
    }

    @Property
    void partialCaretAndTildeAndWildcardRanges(@ForAll("releases") Version v, @ForAll("releases") Version b) {
        String majorMinor = b.major() + "." + b.minor();
        String nextMinor = b.major() + "." + (b.minor() + 1) + ".0";
        assertThat(VersionReq.parse("~" + b).matches(v))
                .isEqualTo(VersionReq.parse(">=" + b + ", <" + nextMinor).matches(v));
        assertThat(VersionReq.parse(majorMinor + ".*").matches(v))
                .isEqualTo(VersionReq.parse(">=" + majorMinor + ".0, <" + nextMinor).matches(v));
        assertThat(VersionReq.parse("=" + majorMinor).matches(v))
                .isEqualTo(VersionReq.parse(majorMinor + ".*").matches(v));
        String caretUpper = b.major() > 0 ? (b.major() + 1) + ".0.0" : nextMinor;
        assertThat(VersionReq.parse("^" + majorMinor).matches(v))
                .isEqualTo(VersionReq.parse(">=" + majorMinor + ".0, <" + caretUpper).matches(v));
        assertThat(VersionReq.parse("~" + b.major()).matches(v)).isEqualTo(v.major() == b.major());
    }

    @Property
    void preReleasesOnlyMatchWhenAComparatorOptsInOnTheSameTriple(@ForAll("versions") Version v,
                                                                    @ForAll("versions") Version bound) {
        VersionReq req = VersionReq.parse(">=" + bound.toString().replaceAll("\\+.*", ""));
        if (v.isPrerelease() && req.matches(v)) {
            assertThat(bound.isPrerelease()).isTrue();
            assertThat(new Version(v.major(), v.minor(), v.patch()))
                    .isEqualTo(new Version(bound.major(), bound.minor(), bound.patch()));
        }
        assertThat(VersionReq.STAR.matches(v)).isEqualTo(!v.isPrerelease());
    }

    @Property
    void requirementsPrintInAFormThatParsesToTheSameRequirement(@ForAll("versions") Version b) {
        for (String op : new String[] {"=", ">", ">=", "<", "<=", "~", "^"}) {
            VersionReq req = VersionReq.parse(op + b);
            assertThat(VersionReq.parse(req.toString())).isEqualTo(req);
        }
    }
}
