package dev.warden.check;

import dev.warden.core.Finding;
import dev.warden.core.Severity;

import java.util.AbstractList;
import java.util.HashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Findings together with the policy's decision about them: {@code blocking} are those at or above the fail level
 * (or of a kind the policy denies). The CLI turns a non-empty blocking list into exit status 1.
 */
public record Verdict(List<Finding> findings, List<Finding> blocking, List<String> notes) {

    public Verdict {
        findings = List.copyOf(findings);
        blocking = new Blocking(List.copyOf(blocking));
        notes = List.copyOf(notes);
    }

    /**
     * The blocking findings, answering {@code contains} from a hash set: reports ask it of every finding, and a
     * list scan comparing whole findings made rendering quadratic (300 CI findings: a fifth of the run).
     */
    private static final class Blocking extends AbstractList<Finding> implements RandomAccess {
        private final List<Finding> list;
        private final Set<Finding> set;

        Blocking(List<Finding> list) {
            this.list = list;
            this.set = new HashSet<>(list);
        }

        @Override
        public Finding get(int index) {
            return list.get(index);
        }

        @Override
        public int size() {
            return list.size();
        }

        @Override
        public boolean contains(Object o) {
            return set.contains(o);
        }
    }

    /** The plain policy: findings at or above {@code failLevel} block. */
    public static Verdict atOrAbove(List<Finding> findings, Severity failLevel) {
        return new Verdict(findings, findings.stream().filter(f -> f.severity().atLeast(failLevel)).toList(), List.of());
    }

    public boolean blocked() {
        return !blocking.isEmpty();
    }

    public boolean isBlocking(Finding finding) {
        return blocking.contains(finding);
    }
}
