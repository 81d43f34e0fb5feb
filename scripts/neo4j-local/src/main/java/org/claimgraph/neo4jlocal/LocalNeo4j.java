package org.claimgraph.neo4jlocal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * A real Neo4j 5 (community) DBMS, run embedded in this JVM, reachable over Bolt on
 * 127.0.0.1. For development and tests on machines without Docker.
 *
 * <p>Usage: {@code LocalNeo4j --home DIR --port N [--pagecache 128m] [--parent-pid PID]
 * [--password-stdin]}. The password (optional) is read from standard input with
 * {@code --password-stdin} (what neo4j_local.py does: it shows neither in {@code ps} nor in the
 * process's environment, which {@code /proc/PID/environ} would give away), else from the
 * environment variable {@code NEO4J_LOCAL_PASSWORD}; with no password, auth is disabled. It is
 * written nowhere.
 *
 * <p>{@code LOAD CSV FROM 'file:///...'} reads only below {@code HOME/import}
 * ({@code server.directories.import}): a query cannot read the server's own files (its state,
 * its logs) or any other file of the machine.
 *
 * <p>Prints {@code LOCALNEO4J READY bolt://127.0.0.1:N} on stdout once Bolt is up, then
 * blocks until SIGTERM/SIGINT (or until the parent process given by --parent-pid is gone),
 * and shuts the DBMS down cleanly.
 *
 * <p>Driven by claimgraph/neo4j_local.py, which downloads the jars with Maven and compiles
 * this single file with javac.
 */
public final class LocalNeo4j {
    private static final String SYSTEM_DB = "system";

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 7687;
        String pagecache = "128m";
        long parentPid = -1;
        boolean passwordStdin = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home" -> home = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--pagecache" -> pagecache = args[++i];
                case "--parent-pid" -> parentPid = Long.parseLong(args[++i]);
                case "--password-stdin" -> passwordStdin = true;
                default -> {
                    System.err.println("unknown argument: " + a);
                    System.err.println("usage: LocalNeo4j --home DIR --port N [--pagecache 128m] [--parent-pid PID] [--password-stdin]");
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            System.err.println("--home is required");
            System.exit(2);
        }
        String password = passwordStdin ? readPassword() : System.getenv("NEO4J_LOCAL_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        Files.createDirectories(home);
        // LOAD CSV reads file:/// URLs only below this folder (empty unless someone puts files there)
        Path importDir = home.toAbsolutePath().resolve("import");
        Files.createDirectories(importDir);
        SocketAddress addr = new SocketAddress("127.0.0.1", port);
        long started = System.nanoTime();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, addr)
                .setConfig(BoltConnector.advertised_address, addr)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseSettings.allow_file_urls, true)
                // dev/test server: allow short passwords such as "test"
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                // loopback-only dev/test server: a run of wrong-password checks (tests, scripts)
                // must get "wrong password", not a 5 s AuthenticationRateLimit lock-out
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pagecache))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt otherwise waits 5 s + 5 s on shutdown even with no connections open
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500));
        DatabaseManagementService dbms = builder.build();

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("LOCALNEO4J STOPPING");
            System.out.flush();
            stop.countDown();
            try {
                dbms.shutdown();
            } finally {
                System.out.println("LOCALNEO4J STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "localneo4j-shutdown"));

        if (auth) {
            setPassword(dbms, password);
        }

        double secs = (System.nanoTime() - started) / 1e9;
        System.out.printf("LOCALNEO4J READY bolt://127.0.0.1:%d auth=%s startup=%.1fs%n", port, auth, secs);
        System.out.flush();

        if (parentPid > 0) {
            Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
            Thread watcher = new Thread(() -> {
                while (stop.getCount() > 0) {
                    if (parent.isEmpty() || !parent.get().isAlive()) {
                        System.out.println("LOCALNEO4J parent process " + "is gone, exiting");
                        System.out.flush();
                        System.exit(0); // runs the shutdown hook
                    }
                    try {
                        Thread.sleep(Duration.ofSeconds(1).toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "localneo4j-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        stop.await();
        stopped.await();
    }

    /**
     * In embedded mode the kernel runs transactions with full access, so the initial user
     * (neo4j, initial password "neo4j", change required) can be altered directly on the
     * system database.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(SYSTEM_DB);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Restart on an existing home with the same password: Neo4j refuses to "change"
            // a password to its current value. Anything else is a real error.
            String msg = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
            if (!msg.toLowerCase().contains("same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    /** The password: standard input up to its end (or its first line break). */
    private static String readPassword() throws java.io.IOException {
        String text = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return nl >= 0 ? text.substring(0, nl) : text;
    }

    private static long parseBytes(String s) {
        String t = s.trim().toLowerCase();
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            mult = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
