package dev.warden.exercise;

import dev.warden.core.store.Database;
import dev.warden.core.store.StoreLocation;
import dev.warden.core.WardenException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tabletop exercise: the team talks through "a malicious crate is in our main application" question by question.
 * Each participant's answers are checked against the response playbook (contain, scope, rotate, eradicate, hunt,
 * communicate) to show which steps nobody named, and each gives a 1–5 confidence score — the seed's team-confidence
 * metric. Sessions are kept in the project's store so the scores can be compared across exercises.
 */
public final class Tabletop {

    /** The playbook steps answers are checked for, with the words that show a step was named. */
    public enum Step {
        CONTAIN("contain: stop builds and merges, revert or pin the crate out",
                "block|stop|freeze|halt|disable|pause|revert|remove|pin|quarantine|lock"),
        SCOPE("scope: find which projects, builds and machines resolved or ran it",
                "which (project|build|machine|repo)|find|identify|inventory|scope|cargo tree|warden ir|search"),
        ROTATE("rotate: revoke every secret its code could have read",
                "rotate|revoke|reset|invalidate|new (key|token)|credential|secret"),
        ERADICATE("eradicate: purge caches and rebuild runners from clean images",
                "purge|cache|clean|wipe|reimage|re-image|rebuild|cargo clean"),
        HUNT("hunt: search DNS, proxy and CI logs for its egress",
                "dns|egress|firewall|network|domain|proxy|logs"),
        COMMUNICATE("communicate: tell the security team, users, RustSec and crates.io",
                "notify|tell|report|rustsec|crates\\.io|security team|disclose|advisory|incident|escalate");

        private final String description;
        private final Pattern words;

        Step(String description, String words) {
            this.description = description;
            this.words = Pattern.compile("\\b(" + words + ")", Pattern.CASE_INSENSITIVE);
        }

        public String description() {
            return description;
        }

        static Set<Step> named(String text) {
            Set<Step> steps = EnumSet.noneOf(Step.class);
            for (Step step : values()) {
                if (step.words.matcher(text).find()) {
                    steps.add(step);
                }
            }
            return steps;
        }
    }

    /** The questions, in the order the facilitator asks them. */
    public static final List<String> QUESTIONS = List.of(
            "We just received a credible report that a malicious crate is in our main application. "
                    + "What are our first five steps?",
            "How do we find out which projects, CI runs and laptops resolved it or ran its build script?",
            "Which secrets could its code have read, and who rotates each of them?",
            "How do we get it out everywhere and make sure it cannot come back?",
            "Who do we tell, inside and outside the company, and when?");

    /** One participant's answers and confidence. */
    public record Participant(String name, List<String> answers, int confidence) {

        public Participant {
            answers = List.copyOf(answers);
            if (confidence < 1 || confidence > 5) {
                throw new WardenException(name + ": confidence must be 1 to 5, found " + confidence);
            }
        }

        /** The playbook steps this participant named in any answer. */
        public Set<Step> covered() {
            Set<Step> steps = EnumSet.noneOf(Step.class);
            answers.forEach(a -> steps.addAll(Step.named(a)));
            return steps;
        }
    }

    /**
     * A recorded session.
     *
     * @param teamConfidence the mean of the participants' scores
     */
    public record Session(long id, Instant time, String scenario, List<Participant> participants,
                          double teamConfidence) {

        /** Steps no participant named: the gaps to work on before the next exercise. */
        public Set<Step> gaps() {
            Set<Step> gaps = EnumSet.allOf(Step.class);
            participants.forEach(p -> gaps.removeAll(p.covered()));
            return gaps;
        }
    }

    private Tabletop() {
    }

    /**
     * Asks one participant every question on {@code out}, reading answers from {@code in}: an answer is the lines up
     * to an empty line, and the last line is the 1–5 confidence score.
     */
    public static Participant interview(String name, BufferedReader in, PrintWriter out) {
        List<String> answers = new ArrayList<>();
        try {
            for (int i = 0; i < QUESTIONS.size(); i++) {
                out.println();
                out.println((i + 1) + ". " + QUESTIONS.get(i));
                out.println("   (answer, then an empty line)");
                out.flush();
                StringBuilder answer = new StringBuilder();
                for (String line = in.readLine(); line != null && !line.isBlank(); line = in.readLine()) {
                    answer.append(answer.isEmpty() ? "" : "\n").append(line.strip());
                }
                answers.add(answer.toString());
            }
            out.println();
            out.println(name + ", how confident are you that the team would handle this well? (1-5)");
            out.flush();
            String score = in.readLine();
            if (score == null || !score.strip().matches("[1-5]")) {
                throw new WardenException(name + ": confidence must be a number from 1 to 5, found '"
                        + (score == null ? "end of input" : score.strip()) + "'");
            }
            return new Participant(name, answers, Integer.parseInt(score.strip()));
        } catch (IOException e) {
            throw new WardenException("tabletop: cannot read answers: " + e.getMessage());
        }
    }

    /** Stores a session, all or nothing. */
    public static Session record(StoreLocation store, Path nativeCache, Instant time, String scenario,
                                 List<Participant> participants) {
        if (participants.isEmpty()) {
            throw new WardenException("tabletop: no participants");
        }
        try (Database db = Database.open(store, "the tabletop log", nativeCache)) {
            long id = db.transaction(connection -> {
                long session;
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tabletop_sessions (time, "
                        + "scenario) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                    insert.setString(1, time.toString());
                    insert.setString(2, scenario);
                    insert.executeUpdate();
                    session = Database.key(insert);
                }
                try (PreparedStatement answer = connection.prepareStatement("INSERT INTO tabletop_answers (session, "
                        + "participant, question, answer) VALUES (?, ?, ?, ?)");
                     PreparedStatement score = connection.prepareStatement("INSERT INTO tabletop_scores (session, "
                             + "participant, confidence, covered, position) VALUES (?, ?, ?, ?, ?)")) {
                    int position = 0;
                    for (Participant participant : participants) {
                        for (int i = 0; i < participant.answers().size(); i++) {
                            answer.setLong(1, session);
                            answer.setString(2, participant.name());
                            answer.setInt(3, i + 1);
                            answer.setString(4, participant.answers().get(i));
                            answer.addBatch();
                        }
                        score.setLong(1, session);
                        score.setString(2, participant.name());
                        score.setInt(3, participant.confidence());
                        score.setString(4, String.join(",", participant.covered().stream()
                                .map(s -> s.name().toLowerCase(Locale.ROOT)).toList()));
                        score.setInt(5, position++);
                        score.addBatch();
                    }
                    answer.executeBatch();
                    score.executeBatch();
                }
                return session;
            });
            return new Session(id, time, scenario, participants, mean(participants));
        }
    }

    /** Every recorded session, oldest first, for the confidence trend. */
    public static List<Session> history(StoreLocation store, Path nativeCache) {
        try (Database db = Database.open(store, "the tabletop log", nativeCache)) {
            return db.sql(connection -> {
                List<Session> sessions = new ArrayList<>();
                try (Statement select = connection.createStatement();
                     ResultSet rows = select.executeQuery("SELECT id, time, scenario FROM tabletop_sessions ORDER BY id")) {
                    while (rows.next()) {
                        sessions.add(new Session(rows.getLong(1), Instant.parse(rows.getString(2)), rows.getString(3),
                                List.of(), 0));
                    }
                }
                List<Session> complete = new ArrayList<>();
                for (Session session : sessions) {
                    List<Participant> participants = new ArrayList<>();
                    try (PreparedStatement scores = connection.prepareStatement("SELECT participant, confidence FROM "
                            + "tabletop_scores WHERE session = ? ORDER BY position");
                         PreparedStatement answers = connection.prepareStatement("SELECT answer FROM tabletop_answers "
                                 + "WHERE session = ? AND participant = ? ORDER BY question")) {
                        scores.setLong(1, session.id());
                        try (ResultSet rows = scores.executeQuery()) {
                            while (rows.next()) {
                                List<String> given = new ArrayList<>();
                                answers.setLong(1, session.id());
                                answers.setString(2, rows.getString(1));
                                try (ResultSet text = answers.executeQuery()) {
                                    while (text.next()) {
                                        given.add(text.getString(1));
                                    }
                                }
                                participants.add(new Participant(rows.getString(1), given, rows.getInt(2)));
                            }
                        }
                    }
                    complete.add(new Session(session.id(), session.time(), session.scenario(), participants,
                            mean(participants)));
                }
                return complete;
            });
        }
    }

    private static double mean(List<Participant> participants) {
        return participants.stream().mapToInt(Participant::confidence).average().orElse(0);
    }
}
