package dev.warden.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.metrics.Metric;
import dev.warden.metrics.MetricLog;
import dev.warden.metrics.SupplyChainReport;
import dev.warden.metrics.SupplyChainReport.Cell;
import dev.warden.metrics.SupplyChainReport.MetricView;
import dev.warden.metrics.SupplyChainReport.Section;
import dev.warden.metrics.SupplyChainReport.Status;
import dev.warden.metrics.SupplyChainReport.Table;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code warden report}: the supply-chain report as one self-contained HTML page, as Markdown for a pull request
 * or wiki, and as JSON for dashboards. The page makes no request: its CSS is inline, its charts are SVG drawn here
 * (a time series per metric needs a polyline and two labels, not a charting library loaded from the network, and SVG
 * prints and shows without scripts), and its one script only sorts tables.
 *
 * <p>JSON: {@code {"schemaVersion","project","generated","since","summary":{"met","missed","watch","unmeasured"},
 * "sections":[{"stage","title","metrics":[{"key","label","description","unit","value","display","target",
 * "targetText","better","status","runs","note","trend":[{"day","value"}]}],"tables":[{"title","columns","total",
 * "rows":[[{"text","href"}]]}]}],"notes"}}.
 */
public final class SupplyChainPage {

    private static final String SPARKS = "▁▂▃▄▅▆▇█";

    private SupplyChainPage() {
    }

    /** How many metrics stand where. */
    public static Map<Status, Integer> summary(SupplyChainReport report) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, 0);
        }
        report.sections().forEach(s -> s.metrics().forEach(m -> counts.merge(m.status(), 1, Integer::sum)));
        return counts;
    }

    // ---------------------------------------------------------------- Markdown

    /**
     * The short block a pull-request comment carries: how many metrics are on target, the ones that are not, and a
     * link to the full report when {@code link} is given.
     */
    public static void summaryBlock(SupplyChainReport report, String link, PrintWriter out) {
        Map<Status, Integer> counts = summary(report);
        out.printf(Locale.ROOT, "**Supply-chain report**: %d of %d metrics on target, %d missed, %d to watch, "
                + "%d not measured%s%n", counts.get(Status.MET), counts.get(Status.MET) + counts.get(Status.MISSED),
                counts.get(Status.MISSED), counts.get(Status.WATCH), counts.get(Status.UNMEASURED),
                link == null ? "" : " — [full report](" + link + ")");
        List<MetricView> missed = report.sections().stream().flatMap(s -> s.metrics().stream())
                .filter(m -> m.status() == Status.MISSED).toList();
        if (!missed.isEmpty()) {
            out.println();
            out.println("| Stage | Metric | Now | Target |");
            out.println("|---|---|---|---|");
            for (MetricView m : missed) {
                out.printf("| %s | %s | %s | %s |%n", m.metric().stage().label(), md(m.metric().label()),
                        md(m.display()), md(m.metric().targetText()));
            }
        }
    }

    public static void markdown(SupplyChainReport report, String link, PrintWriter out) {
        out.println("# Supply-chain report: " + md(report.project()));
        out.println();
        out.println("Generated " + report.generated().toString().substring(0, 16).replace('T', ' ') + " UTC, "
                + period(report) + ".");
        out.println();
        summaryBlock(report, link, out);
        for (Section section : report.sections()) {
            out.println();
            out.println("## " + section.title());
            out.println();
            out.println("| Metric | Now | Target | Trend | Status |");
            out.println("|---|---|---|---|---|");
            for (MetricView m : section.metrics()) {
                out.printf("| %s | %s | %s | %s | %s |%n", md(m.metric().label()),
                        md(m.display() + (m.note() == null ? "" : " (" + m.note() + ")")),
                        md(m.metric().targetText()), sparkline(m.trend()), m.status().label());
            }
            for (Table table : section.tables()) {
                if (table.rows().isEmpty()) {
                    continue;
                }
                out.println();
                out.println("**" + md(table.title()) + "** (" + count(table) + ")");
                out.println();
                out.println("| " + table.columns().stream().map(SupplyChainPage::md).collect(Collectors.joining(" | "))
                        + " |");
                out.println("|" + "---|".repeat(table.columns().size()));
                for (List<Cell> row : table.rows()) {
                    out.println("| " + row.stream().map(c -> c.href() == null ? md(c.text())
                            : "[" + md(c.text()) + "](" + c.href() + ")").collect(Collectors.joining(" | ")) + " |");
                }
            }
        }
        for (String note : report.notes()) {
            out.println();
            out.println("_" + md(note) + "_");
        }
    }

    /** The last 24 days of a trend as block characters, lowest to highest. */
    static String sparkline(List<MetricLog.Point> trend) {
        if (trend.isEmpty()) {
            return "—";
        }
        List<MetricLog.Point> shown = trend.subList(Math.max(0, trend.size() - 24), trend.size());
        double min = shown.stream().mapToDouble(MetricLog.Point::value).min().orElse(0);
        double max = shown.stream().mapToDouble(MetricLog.Point::value).max().orElse(0);
        StringBuilder line = new StringBuilder();
        for (MetricLog.Point point : shown) {
            int level = max == min ? 3 : (int) Math.round((point.value() - min) / (max - min) * (SPARKS.length() - 1));
            line.append(SPARKS.charAt(level));
        }
        return line.toString();
    }

    /**
     * A table cell's text: besides what breaks a table, brackets and angle brackets are escaped, so a name or message
     * from the change cannot become a link, an image loaded from elsewhere, or HTML in a pull-request comment.
     */
    private static String md(String text) {
        return text == null ? "" : FindingsReport.md(text.replace('\r', ' ')).replace("[", "\\[")
                .replace("]", "\\]").replace("<", "&lt;");
    }

    private static String count(Table table) {
        return table.total() > table.rows().size() ? table.rows().size() + " of " + table.total()
                : String.valueOf(table.total());
    }

    private static String period(SupplyChainReport report) {
        return report.since() == null ? "all recorded history" : "since " + report.since().toString().substring(0, 10);
    }

    // ---------------------------------------------------------------- JSON

    public static void json(SupplyChainReport report, PrintWriter out) {
        JsonOutput.write(out, json -> {
            json.writeStartObject();
            json.writeStringField("project", report.project());
            json.writeStringField("generated", report.generated().toString());
            JsonOutput.stringOrNull(json, "since", report.since());
            json.writeObjectFieldStart("summary");
            for (Map.Entry<Status, Integer> count : summary(report).entrySet()) {
                json.writeNumberField(count.getKey().label(), count.getValue());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("sections");
            for (Section section : report.sections()) {
                json.writeStartObject();
                json.writeStringField("stage", section.stage().label());
                json.writeStringField("title", section.title());
                json.writeArrayFieldStart("metrics");
                for (MetricView m : section.metrics()) {
                    metric(json, m);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("tables");
                for (Table table : section.tables()) {
                    json.writeStartObject();
                    json.writeStringField("title", table.title());
                    JsonOutput.strings(json, "columns", table.columns());
                    json.writeNumberField("total", table.total());
                    json.writeArrayFieldStart("rows");
                    for (List<Cell> row : table.rows()) {
                        json.writeStartArray();
                        for (Cell cell : row) {
                            json.writeStartObject();
                            json.writeStringField("text", cell.text());
                            JsonOutput.stringOrNull(json, "href", cell.href());
                            json.writeEndObject();
                        }
                        json.writeEndArray();
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            JsonOutput.strings(json, "notes", report.notes());
            json.writeEndObject();
        });
    }

    private static void metric(JsonGenerator json, MetricView m) throws IOException {
        Metric metric = m.metric();
        json.writeStartObject();
        json.writeStringField("key", metric.key());
        json.writeStringField("label", metric.label());
        json.writeStringField("description", metric.description());
        json.writeStringField("unit", metric.unit().key());
        if (m.value() == null) {
            json.writeNullField("value");
        } else {
            json.writeNumberField("value", m.value());
        }
        json.writeStringField("display", m.display());
        if (metric.target() == null) {
            json.writeNullField("target");
        } else {
            json.writeNumberField("target", metric.target());
        }
        json.writeStringField("targetText", metric.targetText());
        json.writeStringField("better", metric.better().name().toLowerCase(Locale.ROOT));
        json.writeStringField("status", m.status().label());
        if (m.runs() == null) {
            json.writeNullField("runs");
        } else {
            json.writeNumberField("runs", m.runs());
        }
        JsonOutput.stringOrNull(json, "note", m.note());
        json.writeArrayFieldStart("trend");
        for (MetricLog.Point point : m.trend()) {
            json.writeStartObject();
            json.writeStringField("day", point.day().toString());
            json.writeNumberField("value", point.value());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    // ---------------------------------------------------------------- HTML

    public static void html(SupplyChainReport report, PrintWriter out) {
        Map<Status, Integer> counts = summary(report);
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>Supply-chain report — " + html(report.project()) + "</title>");
        out.println("<style>" + CSS + "</style></head><body>");
        out.println("<header><h1>Supply-chain report</h1>");
        out.println("<p class=\"meta\"><span class=\"project\">" + html(report.project()) + "</span> · generated "
                + html(report.generated().toString().substring(0, 16).replace('T', ' ')) + " UTC · "
                + html(period(report)) + "</p>");
        out.printf(Locale.ROOT, "<p class=\"counts\"><span class=\"met\">%d on target</span> <span class=\"missed\">"
                        + "%d missed</span> <span class=\"watch\">%d to watch</span> <span class=\"unmeasured\">%d not "
                        + "measured</span></p>%n", counts.get(Status.MET), counts.get(Status.MISSED),
                counts.get(Status.WATCH), counts.get(Status.UNMEASURED));
        out.println("<nav>" + report.sections().stream().map(s -> "<a href=\"#" + s.stage().label() + "\">"
                + html(s.title()) + "</a>").collect(Collectors.joining(" ")) + "</nav></header><main>");
        for (Section section : report.sections()) {
            out.println("<section class=\"stage\" id=\"" + section.stage().label() + "\"><h2>" + html(section.title())
                    + "</h2><div class=\"metrics\">");
            for (MetricView m : section.metrics()) {
                out.println("<article class=\"metric " + m.status().label() + "\" data-metric=\"" + m.metric().key()
                        + "\"><h3>" + html(m.metric().label()) + "</h3>");
                out.println("<p class=\"value\">" + html(m.display()) + "</p>");
                out.println("<p class=\"target\">target: " + html(m.metric().targetText()) + " · <span class=\"status\">"
                        + m.status().label() + "</span>" + (m.runs() == null ? "" : " · " + m.runs() + " run"
                        + (m.runs() == 1 ? "" : "s")) + "</p>");
                out.println(chart(m));
                out.println("<p class=\"desc\">" + html(m.metric().description())
                        + (m.note() == null ? "" : "<br><em>" + html(m.note()) + "</em>") + "</p></article>");
            }
            out.println("</div>");
            for (Table table : section.tables()) {
                out.println("<div class=\"table\"><table class=\"sortable\"><caption>" + html(table.title()) + " ("
                        + html(count(table)) + ")</caption><thead><tr>" + table.columns().stream()
                        .map(c -> "<th scope=\"col\">" + html(c) + "</th>").collect(Collectors.joining())
                        + "</tr></thead><tbody>");
                if (table.rows().isEmpty()) {
                    out.println("<tr><td class=\"none\" colspan=\"" + table.columns().size() + "\">none</td></tr>");
                }
                for (List<Cell> row : table.rows()) {
                    out.println("<tr>" + row.stream().map(c -> "<td>" + (c.href() == null ? html(c.text())
                            : "<a href=\"" + html(c.href()) + "\">" + html(c.text()) + "</a>") + "</td>")
                            .collect(Collectors.joining()) + "</tr>");
                }
                out.println("</tbody></table></div>");
            }
            out.println("</section>");
        }
        out.println("</main><footer>");
        for (String note : report.notes()) {
            out.println("<p>" + html(note) + "</p>");
        }
        out.println("<p>Warden · charts are SVG drawn by Warden; this page loads nothing from the network.</p>");
        out.println("</footer><script>" + SORT + "</script></body></html>");
    }

    /** The metric's daily history as an SVG line, with its target as a dashed line and each day as a titled dot. */
    static String chart(MetricView m) {
        int width = 240;
        int height = 64;
        int pad = 6;
        StringBuilder svg = new StringBuilder("<svg class=\"trend\" role=\"img\" viewBox=\"0 0 " + width + " "
                + height + "\" aria-label=\"" + html(m.metric().label()) + " by day\">");
        List<MetricLog.Point> points = m.trend();
        if (points.isEmpty()) {
            svg.append("<text x=\"").append(width / 2).append("\" y=\"").append(height / 2 + 4)
                    .append("\" text-anchor=\"middle\" class=\"empty\">no history yet</text></svg>");
            return svg.toString();
        }
        double min = points.stream().mapToDouble(MetricLog.Point::value).min().orElse(0);
        double max = points.stream().mapToDouble(MetricLog.Point::value).max().orElse(0);
        Double target = m.metric().target();
        if (target != null) {
            min = Math.min(min, target);
            max = Math.max(max, target);
        }
        if (m.metric().unit() == Metric.Unit.SHARE) {
            min = Math.min(min, 0);
            max = Math.max(max, 1);
        }
        if (max == min) {
            max = min + 1;
        }
        long first = points.getFirst().day().toEpochDay();
        long span = Math.max(1, points.getLast().day().toEpochDay() - first);
        double scaleX = (width - 2.0 * pad) / span;
        double scaleY = (height - 2.0 * pad - 10) / (max - min);
        if (target != null) {
            double y = height - pad - (target - min) * scaleY;
            svg.append(String.format(Locale.ROOT, "<line class=\"goal\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                    pad, width - pad, y, y));
        }
        StringBuilder line = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (MetricLog.Point point : points) {
            double x = points.size() == 1 ? width / 2.0 : pad + (point.day().toEpochDay() - first) * scaleX;
            double y = height - pad - (point.value() - min) * scaleY;
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\"><title>%s: %s</title>"
                    + "</circle>", x, y, point.day(), html(m.metric().format(point.value()))));
        }
        svg.append("<polyline points=\"").append(line.toString().trim()).append("\"/>").append(dots);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"9\" class=\"axis\">%s</text>", pad,
                html(m.metric().format(max))));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"9\" text-anchor=\"end\" class=\"axis\">%s → %s"
                + "</text>", width - pad, points.getFirst().day().toString().substring(5),
                points.getLast().day().toString().substring(5)));
        return svg.append("</svg>").toString();
    }

    static String html(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            :root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--met:#1a7f37;--missed:#c62828;--watch:#6b7280;\
            --bg:#fbfcfe}
            *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
            color:var(--ink);background:var(--bg)}
            header,main,footer{max-width:1180px;margin:0 auto;padding:0 16px}header{padding-top:20px}
            h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.25rem;margin:28px 0 10px;border-bottom:2px solid \
            var(--line);padding-bottom:4px}h3{font-size:.95rem;margin:0 0 2px}
            .meta{color:var(--muted);margin:0 0 8px;overflow-wrap:anywhere}.counts span{display:inline-block;\
            margin:0 10px 4px 0;font-weight:600}
            .met{color:var(--met)}.missed{color:var(--missed)}.watch,.unmeasured{color:var(--watch)}
            nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin:8px 0 4px}nav a{color:#2452b5}
            .metrics{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
            .metric{background:#fff;border:1px solid var(--line);border-left:5px solid var(--watch);border-radius:6px;\
            padding:10px 12px;break-inside:avoid}
            .metric.met{border-left-color:var(--met)}.metric.missed{border-left-color:var(--missed)}\
            .metric.unmeasured{border-left-style:dashed}
            .value{font-size:1.35rem;font-weight:650;margin:2px 0}.metric.unmeasured .value{font-size:1rem;\
            color:var(--muted)}
            .target,.desc{color:var(--muted);font-size:.82rem;margin:2px 0}.status{font-weight:600}
            svg.trend{width:100%;height:64px;display:block;margin:4px 0}svg.trend polyline{fill:none;\
            stroke:#2452b5;stroke-width:1.6}svg.trend circle{fill:#2452b5}svg.trend .goal{stroke:var(--met);\
            stroke-dasharray:4 3}svg.trend text{font-size:9px;fill:var(--muted)}
            .table{overflow-x:auto;margin:14px 0}table{border-collapse:collapse;width:100%;background:#fff;\
            font-size:.85rem}caption{text-align:left;font-weight:600;padding:4px 0}
            th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;\
            overflow-wrap:anywhere}th{background:#f1f4f9;cursor:pointer;white-space:nowrap}\
            th[aria-sort]::after{content:" ↕";color:var(--muted)}td.none{color:var(--muted)}
            footer{color:var(--muted);font-size:.8rem;padding:24px 16px}
            @media (max-width:560px){body{font-size:14px}.metrics{grid-template-columns:1fr}}
            @media print{nav,footer p:last-child{display:none}body{background:#fff}.stage{break-before:auto}\
            .metric,.table{break-inside:avoid}th{cursor:auto}a{color:inherit;text-decoration:none}}
            """;

    /** Sorts a table by the clicked column, numbers as numbers; the page reads the same without it. */
    private static final String SORT = """
            document.querySelectorAll("table.sortable").forEach(function (table) {
              table.querySelectorAll("th").forEach(function (th, column) {
                th.setAttribute("aria-sort", "none");
                th.addEventListener("click", function () {
                  var body = table.tBodies[0];
                  var rows = Array.prototype.slice.call(body.rows);
                  var up = th.getAttribute("aria-sort") !== "ascending";
                  table.querySelectorAll("th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
                  th.setAttribute("aria-sort", up ? "ascending" : "descending");
                  rows.sort(function (a, b) {
                    var x = a.cells[column] ? a.cells[column].textContent : "";
                    var y = b.cells[column] ? b.cells[column].textContent : "";
                    var nx = parseFloat(x.replace(/[^0-9.+-]/g, "")), ny = parseFloat(y.replace(/[^0-9.+-]/g, ""));
                    var order = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
                    return up ? order : -order;
                  });
                  rows.forEach(function (row) { body.appendChild(row); });
                });
              });
            });
            """;
}
