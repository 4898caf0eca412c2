package dev.warden.core.store;

import dev.warden.core.Environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The password file libpq reads ({@code $PGPASSFILE}, else {@code ~/.pgpass}): lines of
 * {@code host:port:database:user:password}, {@code *} matching anything, {@code \:} and {@code \\} escaped. Read
 * here rather than by the JDBC driver because the driver reads the process environment directly, past Warden's
 * {@link Environment} seam; like libpq, a file others can read is ignored.
 */
final class PgPass {

    private PgPass() {
    }

    static Optional<String> password(Environment env, String host, int port, String database, String user) {
        Path file = env.variable("PGPASSFILE").map(env::resolve).orElse(env.homeDirectory().resolve(".pgpass"));
        List<String> lines;
        try {
            if (!Files.isRegularFile(file) || readableByOthers(file)) {
                return Optional.empty();
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // as libpq: an unreadable file is no password, not an error
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields.size() == 5 && matches(fields.get(0), host) && matches(fields.get(1), String.valueOf(port))
                    && matches(fields.get(2), database) && matches(fields.get(3), user)) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    private static boolean readableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    /** Splits on unescaped colons; the last field (the password) takes the rest of the line. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
