package dev.warden.limit.pipeline;

import dev.warden.core.Evidence;
import dev.warden.core.FileTree;
import dev.warden.core.Finding;
import dev.warden.core.WardenException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a change does to the CI definitions, for the gate: nothing when it leaves them as they were; otherwise the
 * audit of the new ones, where only what the change introduces blocks (what the base already had is shown, and
 * fixed on the main branch). A definition that cannot be read is reported as unread, never passed.
 */
public final class PipelineChange {

    /** The gate's CI check: every current finding, those that block, and what the reader should know. */
    public record Judgement(List<Finding> findings, List<Finding> blocking, List<String> notes) {
        public Judgement {
            findings = List.copyOf(findings);
            blocking = List.copyOf(blocking);
            notes = List.copyOf(notes);
        }
    }

    private final FileTree current;
    private final FileTree base;
    private final boolean hasBase;

    /**
     * @param current the repository now
     * @param base    the repository at the base, or null
     * @param hasBase whether the change has a base at all (a lone lockfile counts: then {@code base} is null and
     *                whether the CI was edited is unknown)
     */
    public PipelineChange(FileTree current, FileTree base, boolean hasBase) {
        this.current = current;
        this.base = base;
        this.hasBase = hasBase;
    }

    /** The judgement, or empty when there is nothing to judge (no CI definitions, or the change leaves them be). */
    public Optional<Judgement> judge(PipelinePolicy policy) {
        Pipelines now;
        try {
            now = Pipelines.read(current);
        } catch (WardenException e) {
            Finding unread = new Finding(PipelineAudit.DEFINITION_UNREAD, PipelineAudit.DEFINITION_UNREAD
                    .defaultSeverity(), null, null, "the CI definitions could not be read, so they were not "
                    + "audited: " + e.getMessage(), List.of(new Evidence(current.describe(), 0, null)), Map.of());
            return Optional.of(judged(List.of(unread), List.of(unread), policy, List.of()));
        }
        if (now.isEmpty()) {
            return Optional.empty();
        }
        if (hasBase && base == null) {
            return Optional.of(new Judgement(List.of(), List.of(), List.of("ci: the base is a lockfile, so whether "
                    + "this change edits the CI definitions is unknown and they were not judged; give --base REV, "
                    + "or run `warden ci-audit`")));
        }
        List<Finding> findings = PipelineAudit.run(now, policy).findings();
        if (!hasBase) {
            return Optional.of(judged(findings, findings, policy, List.of()));
        }
        Pipelines before;
        try {
            before = Pipelines.read(base);
        } catch (WardenException e) {
            return Optional.of(judged(findings, findings, policy, List.of("ci: the base's CI definitions could not "
                    + "be read (" + e.getMessage() + "), so every CI finding counts as this change's")));
        }
        if (now.sameFilesAs(before)) {
            return Optional.empty();
        }
        Map<String, Integer> already = new HashMap<>();
        for (Finding finding : PipelineAudit.run(before, policy).findings()) {
            already.merge(key(finding), 1, Integer::sum);
        }
        List<Finding> introduced = new ArrayList<>();
        for (Finding finding : findings) {
            Integer left = already.get(key(finding));
            if (left == null || left == 0) {
                introduced.add(finding);
            } else {
                already.put(key(finding), left - 1);
            }
        }
        List<String> notes = new ArrayList<>();
        // Those that would have blocked had the change brought them: the reader should know why they do not.
        long kept = findings.stream().filter(f -> !introduced.contains(f) && f.severity().atLeast(policy.failLevel()))
                .count();
        if (kept > 0) {
            notes.add("ci: " + kept + " finding" + (kept == 1 ? "" : "s") + " the base's CI definitions already had "
                    + (kept == 1 ? "does" : "do") + " not block this change (fix them on the main branch)");
        }
        return Optional.of(judged(findings, introduced, policy, notes));
    }

    private static Judgement judged(List<Finding> findings, List<Finding> candidates, PipelinePolicy policy,
                                    List<String> notes) {
        return new Judgement(findings, candidates.stream().filter(f -> f.severity().atLeast(policy.failLevel()))
                .toList(), notes);
    }

    /** The same finding in two versions of a file: same rule, file, job and words (lines move when others change). */
    private static String key(Finding finding) {
        return finding.id() + "\u0000" + finding.attributes().get("file") + "\u0000"
                + finding.attributes().get("job") + "\u0000" + finding.message();
    }
}
