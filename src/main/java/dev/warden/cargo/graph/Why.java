package dev.warden.cargo.graph;

import dev.warden.core.WardenException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Answers {@code why NAME[@VERSION]}: every matching package with its path count and shortest paths. */
public final class Why {

    /** One matching package and the paths found to it. */
    public record Answer(DependencyGraph.Node node, int depth, PathFinder.PathCount count,
                         List<List<DependencyGraph.Node>> paths) {

        public Answer {
            paths = List.copyOf(paths);
        }

        public boolean truncated() {
            return count.value().compareTo(BigInteger.valueOf(paths.size())) > 0;
        }
    }

    private Why() {
    }

    /** {@code limit} caps the listed paths per package; the count is always exact. */
    public static List<Answer> ask(DependencyGraph graph, String spec, int limit) {
        List<DependencyGraph.Node> matches = graph.find(spec);
        if (matches.isEmpty()) {
            throw new WardenException("no package matching '" + spec + "' is in the lockfile");
        }
        PathFinder finder = new PathFinder(graph);
        List<Answer> answers = new ArrayList<>(matches.size());
        for (DependencyGraph.Node node : matches) {
            answers.add(new Answer(node, graph.depth(node), finder.count(node), finder.paths(node, limit)));
        }
        return answers;
    }
}
