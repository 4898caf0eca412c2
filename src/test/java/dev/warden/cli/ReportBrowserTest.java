package dev.warden.cli;

import dev.warden.metrics.Metric;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report page in a real browser (Debian's Chromium, headless, offline): it loads from {@code file://} with no
 * console message (no script error, no blocked request), its script ran (it marks every table sortable), every
 * stage's section and every metric's chart is in the rendered DOM, it prints to PDF, and screenshots at desktop and
 * phone width are kept in {@code target/report-screenshots/} to look at. A page with a script error is the control: the check must
 * see it.
 */
class ReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target/report-screenshots");

    @TempDir
    Path dir;

    private record Page(String dom, List<String> console) {
    }

    @Test
    void thePageRendersEverySectionAndChartWithoutAConsoleMessage() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (apt-get install chromium)");
        Page control = open(write("broken.html", "<!DOCTYPE html><html><body><p>x</p><script>missing();</script>"
                + "</body></html>"), null, "1000,600");
        assertThat(control.console()).as("the console check sees a script error")
                .anyMatch(line -> line.contains("missing is not defined"));

        ReportCliTest.history(dir);
        Run html = Run.in(dir, "report", "app", "--output", "report.html");
        assertThat(html.status()).as(html.err()).isZero();
        Path report = dir.resolve("report.html");
        Files.createDirectories(SCREENSHOTS);
        Page page = open(report, null, "1280,900");
        Page desktop = open(report, SCREENSHOTS.resolve("report-desktop.png"), "1280,5200");
        Page phone = open(report, SCREENSHOTS.resolve("report-phone.png"), "390,9000");
        Page printed = open(report, SCREENSHOTS.resolve("report.pdf"), "1280,900");

        assertThat(page.console()).as("console messages").isEmpty();
        assertThat(desktop.console()).as("console messages").isEmpty();
        assertThat(phone.console()).as("console messages").isEmpty();
        assertThat(printed.console()).as("console messages").isEmpty();
        assertThat(Files.readString(SCREENSHOTS.resolve("report.pdf"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("it prints").startsWith("%PDF");
        assertThat(count(page.dom(), "<section class=\"stage\" id=\"")).isEqualTo(6);
        for (String stage : List.of("reconnaissance", "evaluation", "fortify", "limit", "expose", "exercise")) {
            assertThat(page.dom()).contains("id=\"" + stage + "\"");
        }
        assertThat(count(page.dom(), "<svg class=\"trend\"")).isEqualTo(Metric.values().length);
        for (String withHistory : List.of("blocked-changes", "locked", "team-confidence", "drill-success",
                "egress-alerts", "typosquats")) {
            Matcher article = Pattern.compile("data-metric=\"" + withHistory + "\">(.*?)</article>", Pattern.DOTALL)
                    .matcher(page.dom());
            assertThat(article.find()).as(withHistory).isTrue();
            assertThat(article.group(1)).as(withHistory + " has its line").contains("<polyline", "<circle");
        }
        assertThat(count(page.dom(), "aria-sort=\"none\"")).as("the sorting script ran on every column")
                .isEqualTo(count(page.dom(), "<th scope=\"col\""));
        assertThat(SCREENSHOTS.resolve("report-desktop.png")).isNotEmptyFile();
        assertThat(SCREENSHOTS.resolve("report-phone.png")).isNotEmptyFile();
        Files.copy(report, SCREENSHOTS.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    /** Loads the file headless and offline; returns the DOM after scripts ran, and the console's messages. */
    private Page open(Path file, Path screenshot, String windowSize) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0", "--window-size=" + windowSize));
        command.add(screenshot == null ? "--dump-dom" : screenshot.toString().endsWith(".pdf")
                ? "--print-to-pdf=" + screenshot.toAbsolutePath() : "--screenshot=" + screenshot.toAbsolutePath());
        command.add(file.toUri().toString());
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
        List<String> console = Files.readAllLines(err).stream().filter(line -> line.contains(":CONSOLE")).toList();
        return new Page(Files.readString(out), console);
    }

    private static int count(String text, String needle) {
        int found = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            found++;
        }
        return found;
    }
}
