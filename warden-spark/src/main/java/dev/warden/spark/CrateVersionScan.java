package dev.warden.spark;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.core.Sha256;
import dev.warden.core.WardenException;
import dev.warden.evaluate.scan.CrateScan;
import dev.warden.evaluate.scan.CrateScanner;
import dev.warden.evaluate.scan.Signals;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.evaluate.source.TreeLimits;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Scans one crate version with the same library call {@code warden scan FILE.crate} makes, on an executor, and
 * turns the result into a {@link ScanTables#RESULT} row. An archive from an index must match the index's checksum.
 *
 * @param ruleSet   the scanner's version ({@link dev.warden.evaluate.scan.ScanRuleSet})
 * @param runId     this run, so a killed run's findings can be told from a committed one's
 * @param scannedAt when the run started (the driver's clock, one value for the whole run)
 */
record CrateVersionScan(String ruleSet, String runId, Timestamp scannedAt) implements Serializable {

    private static final Set<Signals.Kind> NETWORK = EnumSet.of(Signals.Kind.DNS, Signals.Kind.NETWORK,
            Signals.Kind.NETWORK_TOOL, Signals.Kind.FLOW_TO_DNS, Signals.Kind.FLOW_TO_NETWORK);
    private static final Set<Signals.Kind> PROCESS = EnumSet.of(Signals.Kind.PROCESS, Signals.Kind.NETWORK_TOOL,
            Signals.Kind.FLOW_TO_PROCESS, Signals.Kind.FLOW_TO_EXECUTION);
    private static final Set<Signals.Kind> SECRET_ENV = EnumSet.of(Signals.Kind.SECRET_ENV,
            Signals.Kind.COMPUTED_SECRET_ENV, Signals.Kind.ENV_ENUMERATION);
    private static final Set<Signals.Kind> ANY_ENV = EnumSet.of(Signals.Kind.SECRET_ENV,
            Signals.Kind.COMPUTED_SECRET_ENV, Signals.Kind.ENV_ENUMERATION, Signals.Kind.ENV_READ);

    Row scan(Mirror.Entry entry, ArchiveFetcher fetcher) {
        String origin = ArchiveFetcher.origin(entry.location());
        CrateScan scan = null;
        String sha256 = null;
        long size = entry.bytes();
        String error = null;
        try {
            byte[] archive = fetcher.read(entry.location());
            size = archive.length;
            sha256 = Sha256.hex(archive);
            if (entry.checksum() != null && !entry.checksum().equalsIgnoreCase(sha256)) {
                throw new WardenException(origin + ": refused: its SHA-256 is " + sha256 + " but the index says "
                        + entry.checksum() + ": the archive was altered");
            }
            scan = CrateScanner.scan(CrateArchive.read(new ByteArrayInputStream(archive), origin, TreeLimits.DEFAULT),
                    true, null); // the checksum is checked above; the scan judges what the archive holds
        } catch (WardenException e) {
            error = e.getMessage(); // a refused archive: what `warden scan` says, as the row's error
        } catch (IOException e) {
            error = origin + ": cannot read crate archive: " + e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            // One crate Warden cannot handle must not stop a registry-wide scan; it is counted and said.
            error = origin + ": internal error while scanning: " + e;
        }
        return scan == null ? unreadable(entry, sha256, size, error) : row(entry, scan, sha256, size);
    }

    private Row row(Mirror.Entry entry, CrateScan scan, String sha256, long size) {
        List<Row> findings = new ArrayList<>();
        Severity max = null;
        for (Finding finding : scan.findings()) {
            findings.add(finding(finding));
            max = max == null || finding.severity().atLeast(max) ? finding.severity() : max;
        }
        List<String> capabilities = scan.capabilities().stream().sorted().map(Object::toString).toList();
        List<String> flows = scan.flows().stream().map(CrateScan.Flow::shape).distinct().sorted().toList();
        return RowFactory.create(entry.name(), entry.version(), ruleSet, runId, scannedAt, entry.location(), sha256,
                entry.checksum(), entry.yanked(), size, scan.bytes(), scan.lines(), scan.hasBuildScript(),
                scan.procMacro(), scan.atBuildTime(NETWORK), scan.atBuildTime(PROCESS), scan.atBuildTime(SECRET_ENV),
                scan.atBuildTime(ANY_ENV), scan.unsafeTotal().total(), seq(capabilities), seq(flows),
                findings.size(), max == null ? null : max.label(), null, seq(findings));
    }

    private Row unreadable(Mirror.Entry entry, String sha256, long size, String error) {
        return RowFactory.create(entry.name(), entry.version(), ruleSet, runId, scannedAt, entry.location(), sha256,
                entry.checksum(), entry.yanked(), size, 0L, 0L, false, false, false, false, false, false, 0,
                seq(List.of()), seq(List.of()), 0, null, error, seq(List.of()));
    }

    private static Row finding(Finding finding) {
        List<Row> evidence = new ArrayList<>();
        for (Evidence e : finding.evidence()) {
            evidence.add(RowFactory.create(e.file(), e.line(), e.excerpt()));
        }
        return RowFactory.create(finding.id(), finding.severity().label(), finding.message(), seq(evidence),
                CollectionConverters.asScala(finding.attributes()));
    }

    private static <T> Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toList();
    }
}
