package dev.warden.report;

import dev.warden.core.Stage;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;
import dev.warden.metrics.SupplyChainReport;
import dev.warden.metrics.SupplyChainReport.Cell;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** What a change controls (crate names, messages) reaches the page and the PR comment as text, never as markup. */
class SupplyChainPageTest {

    private static final String HOSTILE = "<script>alert(1)</script> ![x](https://evil.example/p.png) | [y](z)";

    private static SupplyChainReport report() {
        SupplyChainReport.MetricView typosquats = new SupplyChainReport.MetricView(Metric.TYPOSQUATS, 1.0, 1,
                SupplyChainReport.Status.MISSED, List.of(new MetricLog.Point(LocalDate.parse("2026-11-01"), 1)), null);
        SupplyChainReport.Table table = new SupplyChainReport.Table("Typosquats", List.of("Crate", "What"),
                List.of(List.of(Cell.of(HOSTILE), Cell.of("line one\nline two"))), 1);
        return new SupplyChainReport("/p/" + HOSTILE, Instant.parse("2026-11-25T12:00:00Z"), null,
                List.of(new SupplyChainReport.Section(Stage.RECONNAISSANCE, "Reconnaissance", List.of(typosquats),
                        List.of(table))), List.of());
    }

    private static String render(BiConsumer<SupplyChainReport, PrintWriter> page) {
        StringWriter out = new StringWriter();
        page.accept(report(), new PrintWriter(out));
        return out.toString();
    }

    @Test
    void htmlEscapesEverythingItShows() {
        String html = render(SupplyChainPage::html);
        assertThat(html).doesNotContain("<script>alert", "<img").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html.split("<script>", -1)).as("only the page's own sorting script").hasSize(2);
    }

    @Test
    void markdownCannotBeTurnedIntoLinksImagesOrHtml() {
        String markdown = render((report, out) -> SupplyChainPage.markdown(report, null, out));
        assertThat(markdown).doesNotContain("<script>", "![x](", "[y](z)").contains("&lt;script>", "!\\[x\\]",
                "\\| \\[y\\](z)", "line one line two");
    }

    @Test
    void sparklinesRunFromLowestToHighest() {
        assertThat(SupplyChainPage.sparkline(List.of(new MetricLog.Point(LocalDate.parse("2026-11-01"), 0),
                new MetricLog.Point(LocalDate.parse("2026-11-02"), 7), new MetricLog.Point(LocalDate.parse(
                        "2026-11-03"), 14)))).isEqualTo("▁▅█");
        assertThat(SupplyChainPage.sparkline(List.of())).isEqualTo("—");
    }
}
