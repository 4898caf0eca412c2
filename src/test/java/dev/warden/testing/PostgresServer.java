package dev.warden.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the store's tests, started once per test JVM from Debian's {@code postgresql}
 * package: a throw-away cluster on a free loopback port with password (SCRAM) authentication, stopped at exit.
 * As root it runs as the {@code postgres} account (PostgreSQL refuses to run as root). {@link #start} says why
 * it could not start, for the tests to skip with that reason.
 */
public final class PostgresServer {

    public static final String USER = "warden";
    public static final String PASSWORD = "test-" + UUID.randomUUID();

    private static PostgresServer running;
    private static String failure;

    private final int port;

    private PostgresServer(int port) {
        this.port = port;
    }

    /** The shared server, or empty with {@link #failure()} saying why there is none. */
    public static synchronized Optional<PostgresServer> start() {
        if (running == null && failure == null) {
            try {
                running = launch();
            } catch (IOException | InterruptedException | RuntimeException e) {
                failure = e.getMessage();
            }
        }
        return Optional.ofNullable(running);
    }

    public static synchronized String failure() {
        return failure;
    }

    public int port() {
        return port;
    }

    /** A new, empty database on the server; its {@code postgresql://} URL (credentials go in PGPASSWORD). */
    public String newDatabase() throws SQLException {
        String name = "store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + name;
    }

    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }

    private static PostgresServer launch() throws IOException, InterruptedException {
        Path bin;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Path::compareTo).orElseThrow(() -> new IllegalStateException("no initdb"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("warden-pg-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = dir.resolve("data");
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        if (root) {
            run(List.of("chown", "-R", "postgres", dir.toString()), false);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=scram-sha-256",
                "--pwfile=" + passwordFile, "--no-sync", "-E", "UTF8"), root);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                dir.resolve("log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 "
                        + "-c fsync=off -c max_connections=50", "start"), root);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"),
                        root);
                new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the temporary directory is left behind
            }
        }));
        return new PostgresServer(port);
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (asPostgres) {
            argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        argv.addAll(command);
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, 1)) + " failed: "
                    + output.strip().lines().reduce((a, b) -> b).orElse(""));
        }
    }
}
