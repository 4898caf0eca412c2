package dev.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How help reads: command descriptions are written as source lines of one paragraph, which picocli would print line by
 * line (wrapping each on its own, mid-sentence); here they are joined and wrapped at the terminal's width, and the
 * command list shows each command's first sentence whole instead of its first source line.
 */
final class HelpLayout {

    private HelpLayout() {
    }

    /** Applies the layout to {@code cli} and every subcommand registered on it. */
    static void install(CommandLine cli) {
        cli.setUsageHelpAutoWidth(true);
        Map<String, CommandLine.IHelpSectionRenderer> sections = cli.getHelpSectionMap();
        sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> wrap(paragraphs(description(help)),
                width(help), "") + "\n");
        sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
        cli.setHelpSectionMap(sections);
        for (CommandLine sub : cli.getSubcommands().values()) {
            install(sub);
        }
    }

    private static String[] description(Help help) {
        return help.commandSpec().usageMessage().description();
    }

    private static int width(Help help) {
        return help.commandSpec().usageMessage().width();
    }

    /** One line per command: its name, then its description's first sentence, wrapped under itself. */
    private static String commandList(Help help) {
        Map<String, Help> commands = help.subcommands();
        if (commands.isEmpty()) {
            return "";
        }
        int column = 2 + commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        StringBuilder list = new StringBuilder();
        for (Map.Entry<String, Help> command : commands.entrySet()) {
            UsageMessageSpec usage = command.getValue().commandSpec().usageMessage();
            String[] summary = usage.header().length > 0 ? usage.header() : usage.description();
            String sentence = firstSentence(String.join(" ", paragraphs(summary)));
            String body = wrap(List.of(sentence), Math.max(40, width(help) - column), " ".repeat(column));
            list.append(String.format("  %-" + (column - 2) + "s", command.getKey()))
                    .append(body.substring(column)).append('\n');
        }
        return list.toString();
    }

    /** Source lines joined into paragraphs; an empty line starts a new one. */
    static List<String> paragraphs(String[] lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String text = line.replace("%n", "\n").strip();
            if (text.isEmpty()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current.toString());
                    current.setLength(0);
                }
                continue;
            }
            current.append(current.isEmpty() ? "" : " ").append(text);
        }
        if (!current.isEmpty()) {
            paragraphs.add(current.toString());
        }
        return paragraphs;
    }

    /** Up to the first full stop followed by a space (or the end). */
    static String firstSentence(String text) {
        int stop = text.indexOf(". ");
        return stop < 0 ? text : text.substring(0, stop + 1);
    }

    /** Words wrapped at {@code width}; every line starts with {@code indent}; paragraphs are separated by a line. */
    static String wrap(List<String> paragraphs, int width, String indent) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : paragraphs) {
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            StringBuilder line = new StringBuilder(indent);
            for (String word : paragraph.split(" +")) {
                if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                    out.append(line).append('\n');
                    line = new StringBuilder(indent);
                }
                line.append(line.length() > indent.length() ? " " : "").append(word);
            }
            out.append(line);
        }
        return out.toString();
    }
}
