package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.expose.EventStore;
import dev.warden.testing.ReportSchema;
import dev.warden.testing.TestEnv;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** One in-process run of the CLI: exit status and everything it printed. */
record Run(int status, String out, String err) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@code warden args} in {@code dir}, with home {@code dir/home} and the given environment variables. */
    static Run in(Path dir, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err),
                TestEnv.at(dir, dir.resolve("home"), env));
        return new Run(status, out.toString(), err.toString());
    }

    /** A run on another day than {@link TestEnv#NOW}, with the same home and store. */
    static Run on(Instant when, Path dir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err),
                TestEnv.at(dir, dir.resolve("home"), Map.of(), when));
        return new Run(status, out.toString(), err.toString());
    }

    static Run in(Path dir, String... args) {
        return in(dir, Map.of(), args);
    }

    /** Where {@link #in} runs keep {@code project}'s store by default: in the state directory under dir/home. */
    static Path store(Path dir, Path project) {
        return EventStore.defaultFile(TestEnv.at(dir, dir.resolve("home"), Map.of()), project);
    }

    /** The output as JSON; a Warden report must match the published schema, whichever test asked for it. */
    JsonNode json() {
        JsonNode document;
        try {
            document = JSON.readTree(out);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + out, e);
        }
        if (!ReportSchema.isForeign(document)) {
            ReportSchema.assertValid(document);
        }
        return document;
    }
}
