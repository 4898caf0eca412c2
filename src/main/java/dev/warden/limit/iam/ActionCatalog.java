package dev.warden.limit.iam;

import dev.warden.core.WardenException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Every AWS IAM action with its access level, bundled ({@code aws-actions.tsv.gz}, from the Service Authorization
 * Reference), so wildcards in a policy expand to the actions they really grant. Names compare case-insensitively, as
 * IAM compares them.
 */
public final class ActionCatalog {

    /** An action's access level, as the Service Authorization Reference gives it. */
    public enum Level {
        LIST, READ, WRITE, PERMISSIONS_MANAGEMENT, TAGGING;

        /** Whether the action changes something (what "write actions on every resource" counts). */
        public boolean changes() {
            return this == WRITE || this == PERMISSIONS_MANAGEMENT;
        }

        static Level of(char code) {
            return switch (code) {
                case 'L' -> LIST;
                case 'R' -> READ;
                case 'W' -> WRITE;
                case 'P' -> PERMISSIONS_MANAGEMENT;
                case 'T' -> TAGGING;
                default -> throw new IllegalArgumentException("unknown access level " + code);
            };
        }
    }

    /** One action: {@code s3:GetObject}, read. */
    public record Action(String service, String name, Level level) {
        public String key() {
            return service + ":" + name;
        }
    }

    private static volatile ActionCatalog bundled;

    private final Map<String, List<Action>> byService;
    private final int size;

    ActionCatalog(Map<String, List<Action>> byService) {
        this.byService = byService;
        this.size = byService.values().stream().mapToInt(List::size).sum();
    }

    public static ActionCatalog bundled() {
        if (bundled == null) {
            synchronized (ActionCatalog.class) {
                if (bundled == null) {
                    bundled = load();
                }
            }
        }
        return bundled;
    }

    private static ActionCatalog load() {
        Map<String, List<Action>> byService = new LinkedHashMap<>();
        try (InputStream raw = ActionCatalog.class.getResourceAsStream("aws-actions.tsv.gz")) {
            if (raw == null) {
                throw new WardenException("the bundled AWS action list is missing from this build");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                String service = line.substring(0, tab);
                List<Action> actions = new ArrayList<>();
                for (String entry : line.substring(tab + 1).split(",")) {
                    int colon = entry.lastIndexOf(':');
                    actions.add(new Action(service, entry.substring(0, colon), Level.of(entry.charAt(colon + 1))));
                }
                byService.put(service, List.copyOf(actions));
            }
        } catch (IOException e) {
            throw new WardenException("cannot read the bundled AWS action list: " + e.getMessage());
        }
        return new ActionCatalog(byService);
    }

    public int size() {
        return size;
    }

    /** The actions a policy's action element grants: {@code s3:GetObject}, {@code s3:Get*}, {@code s3:*}, {@code *}. */
    public List<Action> matching(String pattern) {
        String trimmed = pattern.trim();
        if (trimmed.equals("*")) {
            return all();
        }
        int colon = trimmed.indexOf(':');
        if (colon <= 0) {
            return List.of();
        }
        String service = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        String name = trimmed.substring(colon + 1);
        List<Action> matched = new ArrayList<>();
        Pattern names = glob(name);
        Pattern services = glob(service);
        for (Map.Entry<String, List<Action>> entry : byService.entrySet()) {
            if (!services.matcher(entry.getKey()).matches()) {
                continue;
            }
            for (Action action : entry.getValue()) {
                if (names.matcher(action.name()).matches()) {
                    matched.add(action);
                }
            }
        }
        return matched;
    }

    private List<Action> all() {
        List<Action> all = new ArrayList<>(size);
        byService.values().forEach(all::addAll);
        return all;
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one; everything else literal, any case. */
    static Pattern glob(String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
