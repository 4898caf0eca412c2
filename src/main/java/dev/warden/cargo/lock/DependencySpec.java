package dev.warden.cargo.lock;

import dev.warden.cargo.semver.Version;
import dev.warden.core.WardenException;

import java.nio.file.Path;
import java.util.Map;

/**
 * A package reference as written in a lockfile: {@code "name"}, {@code "name version"} or
 * {@code "name version (source)"}. Version and source are null when omitted.
 */
record DependencySpec(String name, Version version, SourceId source) {

    /** Parses a reference; {@code versions} and {@code sources} memoise parsing across a lockfile. */
    static DependencySpec parse(String text, Path file, int line, Map<String, Version> versions,
                                Map<String, SourceId> sources) {
        int firstSpace = text.indexOf(' ');
        String name = firstSpace < 0 ? text : text.substring(0, firstSpace);
        if (name.isEmpty()) {
            throw WardenException.at(file, line, "invalid package reference '" + text + "'");
        }
        if (firstSpace < 0) {
            return new DependencySpec(name, null, null);
        }
        String rest = text.substring(firstSpace + 1);
        int secondSpace = rest.indexOf(' ');
        String versionText = secondSpace < 0 ? rest : rest.substring(0, secondSpace);
        Version version;
        try {
            version = versions.computeIfAbsent(versionText, Version::parse);
        } catch (WardenException e) {
            throw WardenException.at(file, line, "invalid package reference '" + text + "': " + e.getMessage());
        }
        if (secondSpace < 0) {
            return new DependencySpec(name, version, null);
        }
        String sourcePart = rest.substring(secondSpace + 1);
        if (!sourcePart.startsWith("(") || !sourcePart.endsWith(")")) {
            throw WardenException.at(file, line, "invalid package reference '" + text
                    + "': expected '(source)' after the version");
        }
        try {
            return new DependencySpec(name, version,
                    sources.computeIfAbsent(sourcePart.substring(1, sourcePart.length() - 1), SourceId::parse));
        } catch (WardenException e) {
            throw WardenException.at(file, line, "invalid package reference '" + text + "': " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        if (version == null) {
            return name;
        }
        return source == null ? name + " " + version : name + " " + version + " (" + source + ")";
    }
}
