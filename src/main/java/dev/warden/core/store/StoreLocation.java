package dev.warden.core.store;

import dev.warden.core.Environment;
import dev.warden.core.Printable;
import dev.warden.core.WardenException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Warden's store lives: a SQLite file (one per project, the default) or a PostgreSQL database shared by an
 * organisation's projects and machines, named by a libpq-style URL ({@code postgresql://user@host:port/db}).
 * Credentials never come from the URL — a command line ends up in CI logs and process listings — but from the
 * environment ({@code PGUSER}, {@code PGPASSWORD}) or a pgpass file.
 */
public sealed interface StoreLocation {

    /** What error messages and reports call this store: the file, or the URL without credentials. */
    String display();

    /** Whether the store holds anything yet: a file is created by the first run that writes; a server exists. */
    boolean exists();

    /** The metrics journal of read-only commands (a file beside a SQLite store; in the state directory otherwise). */
    Path journal(Environment env);

    /** A SQLite file. */
    record Sqlite(Path file) implements StoreLocation {

        @Override
        public String display() {
            return file.toString();
        }

        @Override
        public boolean exists() {
            return Files.isRegularFile(file);
        }

        @Override
        public Path journal(Environment env) {
            return file;
        }
    }

    /**
     * A PostgreSQL database.
     *
     * @param password the password found for this server and user, if any (see {@link #parse})
     */
    record Postgres(String host, int port, String database, String user, String query, Password password)
            implements StoreLocation {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                    + database + (query == null ? "" : "?" + query);
        }

        @Override
        public String display() {
            return "postgresql://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                    + database;
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public Path journal(Environment env) {
            return env.stateDirectory().resolve("postgresql")
                    .resolve((host + "-" + port + "-" + database).replaceAll("[^A-Za-z0-9._-]", "_"))
                    .resolve("store");
        }
    }

    /** A password, never shown: {@code toString} and records holding it print a mask. */
    final class Password {
        private final String value;

        Password(String value) {
            this.value = value;
        }

        String value() {
            return value;
        }

        @Override
        public String toString() {
            return "****";
        }
    }

    /**
     * A {@code --store} value, a {@code WARDEN_STORE} variable or a {@code [store] url}: a PostgreSQL URL, else a
     * file path resolved against the working directory.
     *
     * @param trustedSource whether the value came from the person running Warden (command line, environment) rather
     *                      than from the project's {@code warden.toml}, which arrives with the change being gated:
     *                      {@code PGPASSWORD} is sent only to a server the runner named; a server the project names
     *                      gets only a password pgpass holds for exactly that host, port, database and user
     */
    static StoreLocation parse(String value, Environment env, boolean trustedSource) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
            return postgres(value, env, trustedSource);
        }
        if (lower.startsWith("jdbc:") || lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw new WardenException("store '" + Printable.of(value) + "': expected a file or a postgresql:// URL");
        }
        return new Sqlite(env.resolve(value));
    }

    private static Postgres postgres(String value, Environment env, boolean trustedSource) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new WardenException("store '" + Printable.of(value) + "': not a URL: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            throw new WardenException("store URL: a password does not go in the URL (it would show in CI logs and "
                    + "process lists); set PGPASSWORD or add it to a pgpass file");
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                String key = parameter.split("=", 2)[0].toLowerCase(Locale.ROOT);
                if (key.equals("password") || key.equals("user")) {
                    throw new WardenException("store URL: '" + key + "' does not go in the URL; set PG"
                            + key.toUpperCase(Locale.ROOT) + " (or the user before '@') and a pgpass file");
                }
            }
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new WardenException("store '" + Printable.of(display(uri)) + "': name the server "
                    + "(postgresql://host:port/database); Unix sockets are not supported");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = Optional.ofNullable(uri.getRawUserInfo()).map(u -> URLDecoder.decode(u, StandardCharsets.UTF_8))
                .or(() -> env.variable("PGUSER")).or(() -> env.variable("USER"))
                .orElseThrow(() -> new WardenException("store '" + Printable.of(display(uri))
                        + "': no user; write postgresql://USER@host/database or set PGUSER"));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String database = path.isEmpty() ? env.variable("PGDATABASE").orElse(user) : path;
        if (database.contains("/")) {
            throw new WardenException("store '" + Printable.of(display(uri)) + "': '" + Printable.of(database)
                    + "' is not a database name");
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String server = host;
        Optional<String> password = trustedSource ? env.variable("PGPASSWORD") : Optional.empty();
        password = password.or(() -> PgPass.password(env, server, port, database, user));
        return new Postgres(host, port, database, user, query, password.map(Password::new).orElse(null));
    }

    private static String display(URI uri) {
        return uri.getScheme() + "://" + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
