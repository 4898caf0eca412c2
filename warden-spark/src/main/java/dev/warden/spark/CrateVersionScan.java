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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Scans one crate version of a mirror with the same library call {@code warden scan FILE.crate} makes, on an
 * executor, and turns the result into a {@link ScanTables#RESULT} row.
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

    /** crates.io caps uploads at 10 MiB; a mirror may hold older or private giants, not unbounded ones. */
    static final int MAX_ARCHIVE_BYTES = (int) (TreeLimits.DEFAULT.maxTotalBytes() / 2);

    Row scan(Mirror.Entry entry, Configuration hadoop) {
        Path path = new Path(entry.path());
        String origin = origin(path);
        CrateScan scan = null;
        String sha256 = null;
        String error = null;
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            // Whole in memory, bounded as the archive reader bounds what it unpacks: the digest and the scan see
            // the same bytes, read once from a remote file system.
            byte[] archive = in.readNBytes(MAX_ARCHIVE_BYTES + 1);
            if (archive.length > MAX_ARCHIVE_BYTES) {
                throw new WardenException(origin + ": refused: the archive is larger than " + MAX_ARCHIVE_BYTES
                        + " bytes");
            }
            sha256 = Sha256.hex(archive);
            scan = CrateScanner.scan(CrateArchive.read(new ByteArrayInputStream(archive), origin, TreeLimits.DEFAULT),
                    true, null);
        } catch (WardenException e) {
            error = e.getMessage(); // a refused archive: what `warden scan` says, as the row's error
        } catch (IOException e) {
            error = origin + ": cannot read crate archive: " + e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            // One crate Warden cannot handle must not stop a registry-wide scan; it is counted and said.
            error = origin + ": internal error while scanning: " + e;
        }
        return scan == null ? unreadable(entry, error) : row(entry, scan, sha256);
    }

    /** A local file is named as {@code warden scan} names it (a plain path); others by their URI. */
    private static String origin(Path path) {
        URI uri = path.toUri();
        return "file".equals(uri.getScheme()) ? uri.getPath() : uri.toString();
    }

    private Row row(Mirror.Entry entry, CrateScan scan, String sha256) {
        List<Row> findings = new ArrayList<>();
        Severity max = null;
        for (Finding finding : scan.findings()) {
            findings.add(finding(finding));
            max = max == null || finding.severity().atLeast(max) ? finding.severity() : max;
        }
        List<String> capabilities = scan.capabilities().stream().sorted().map(Object::toString).toList();
        List<String> flows = scan.flows().stream().map(CrateScan.Flow::shape).distinct().sorted().toList();
        return RowFactory.create(entry.name(), entry.version(), ruleSet, runId, scannedAt, entry.path(), sha256,
                entry.bytes(), scan.bytes(), scan.lines(), scan.hasBuildScript(), scan.procMacro(),
                scan.atBuildTime(NETWORK), scan.atBuildTime(PROCESS), scan.atBuildTime(SECRET_ENV),
                scan.atBuildTime(ANY_ENV), scan.unsafeTotal().total(), seq(capabilities), seq(flows),
                findings.size(), max == null ? null : max.label(), null, seq(findings));
    }

    private Row unreadable(Mirror.Entry entry, String error) {
        return RowFactory.create(entry.name(), entry.version(), ruleSet, runId, scannedAt, entry.path(), null,
                entry.bytes(), 0L, 0L, false, false, false, false, false, false, 0, seq(List.of()), seq(List.of()),
                0, null, error, seq(List.of()));
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
