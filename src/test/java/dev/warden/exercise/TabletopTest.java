package dev.warden.exercise;

import dev.warden.core.store.StoreLocation;
import dev.warden.core.WardenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TabletopTest {

    @TempDir
    Path dir;

    @Test
    void anInterviewAsksEveryQuestionAndReadsAnswersUntilABlankLine() {
        String typed = """
                Freeze merges and pin the crate out of Cargo.lock
                then page the security team

                warden ir on every repo

                rotate the AWS and GitHub tokens

                purge the runner caches

                post in the incident channel

                4
                """;
        StringWriter prompts = new StringWriter();
        Tabletop.Participant alice = Tabletop.interview("alice", new BufferedReader(new StringReader(typed)),
                new PrintWriter(prompts));
        assertThat(alice.answers()).hasSize(Tabletop.QUESTIONS.size());
        assertThat(alice.answers().getFirst()).isEqualTo("Freeze merges and pin the crate out of Cargo.lock\n"
                + "then page the security team");
        assertThat(alice.confidence()).isEqualTo(4);
        assertThat(alice.covered()).contains(Tabletop.Step.CONTAIN, Tabletop.Step.SCOPE, Tabletop.Step.ROTATE,
                Tabletop.Step.ERADICATE, Tabletop.Step.COMMUNICATE).doesNotContain(Tabletop.Step.HUNT);
        assertThat(prompts.toString()).contains("1. We just received a credible report", "5. Who do we tell",
                "alice, how confident");
    }

    @Test
    void aConfidenceOutsideOneToFiveIsRefused() {
        String typed = "\n".repeat(Tabletop.QUESTIONS.size()) + "9\n";
        assertThatThrownBy(() -> Tabletop.interview("bob", new BufferedReader(new StringReader(typed)),
                new PrintWriter(new StringWriter()))).isInstanceOf(WardenException.class)
                .hasMessageContaining("bob: confidence must be a number from 1 to 5, found '9'");
    }

    @Test
    void sessionsAreStoredWithTeamConfidenceAndGaps() {
        StoreLocation store = new StoreLocation.Sqlite(dir.resolve("events.db"));
        List<String> blank = List.of("", "", "", "", "");
        Tabletop.Session first = Tabletop.record(store, null, Instant.parse("2026-11-01T10:00:00Z"), "drill",
                List.of(new Tabletop.Participant("alice", List.of("revert the lockfile", "", "rotate keys", "", ""), 2),
                        new Tabletop.Participant("bob", blank, 3)));
        assertThat(first.teamConfidence()).isEqualTo(2.5);
        assertThat(first.gaps()).containsExactly(Tabletop.Step.SCOPE, Tabletop.Step.ERADICATE, Tabletop.Step.HUNT,
                Tabletop.Step.COMMUNICATE);
        Tabletop.record(store, null, Instant.parse("2026-11-20T10:00:00Z"), "drill",
                List.of(new Tabletop.Participant("alice", blank, 5)));
        List<Tabletop.Session> history = Tabletop.history(store, null);
        assertThat(history).extracting(Tabletop.Session::teamConfidence).containsExactly(2.5, 5.0);
        assertThat(history.getFirst().participants()).extracting(Tabletop.Participant::name).containsExactly("alice", "bob");
        assertThat(history.getFirst().participants().getFirst().answers().get(2)).isEqualTo("rotate keys");
    }
}
