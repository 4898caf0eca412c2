package dev.warden.cargo.graph;

import dev.warden.cargo.manifest.DependencyKind;
import dev.warden.core.WardenException;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which edge kinds to follow, written as for {@code cargo tree --edges}: a comma list of {@code normal},
 * {@code build}, {@code dev}, {@code all}, {@code no-normal}, {@code no-build}, {@code no-dev}. Edges of unknown
 * kind (no manifest for the depending package) are followed when normal or build edges are, since a lockfile
 * records development dependencies only for workspace members, whose manifests are always read.
 */
public record EdgeFilter(Set<DependencyKind> kinds) {

    public static final EdgeFilter ALL = new EdgeFilter(EnumSet.allOf(DependencyKind.class));

    public EdgeFilter {
        kinds = Set.copyOf(kinds);
    }

    public static EdgeFilter parse(String text) {
        EnumSet<DependencyKind> included = EnumSet.noneOf(DependencyKind.class);
        EnumSet<DependencyKind> excluded = EnumSet.noneOf(DependencyKind.class);
        for (String part : text.split(",")) {
            String word = part.trim();
            switch (word) {
                case "all" -> included.addAll(EnumSet.allOf(DependencyKind.class));
                case "normal", "build", "dev" -> included.add(DependencyKind.parse(word));
                case "no-normal", "no-build", "no-dev" -> excluded.add(DependencyKind.parse(word.substring(3)));
                default -> throw new WardenException("unknown edge kind '" + word
                        + "' (expected normal, build, dev, all, no-normal, no-build or no-dev)");
            }
        }
        if (included.isEmpty()) {
            included.addAll(EnumSet.allOf(DependencyKind.class));
        }
        included.removeAll(excluded);
        return new EdgeFilter(included);
    }

    /** The kinds under which this edge is shown; unknown edges appear as normal ones. */
    public Set<DependencyKind> sections(DependencyGraph.Edge edge) {
        if (!edge.kindKnown()) {
            return kinds.contains(DependencyKind.NORMAL) || kinds.contains(DependencyKind.BUILD)
                    ? EnumSet.of(DependencyKind.NORMAL) : Set.of();
        }
        EnumSet<DependencyKind> shown = EnumSet.noneOf(DependencyKind.class);
        for (DependencyKind kind : edge.kinds()) {
            if (kinds.contains(kind)) {
                shown.add(kind);
            }
        }
        return shown;
    }
}
