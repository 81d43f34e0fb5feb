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
 * <p>Usage: {@code LocalNeo4j --home DIR --port N [--pagecache 128m] [--parent-pid PID]}.
 * The password (optional) comes from the environment variable {@code NEO4J_LOCAL_PASSWORD}
 * so that it does not show in {@code ps}; with no password, auth is disabled.
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
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home" -> home = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--pagecache" -> pagecache = args[++i];
                case "--parent-pid" -> parentPid = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("unknown argument: " + a);
                    System.err.println("usage: LocalNeo4j --home DIR --port N [--pagecache 128m] [--parent-pid PID]");
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            System.err.println("--home is required");
            System.exit(2);
        }
        String password = System.getenv("NEO4J_LOCAL_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        Files.createDirectories(home);
        SocketAddress addr = new SocketAddress("127.0.0.1", port);
        long started = System.nanoTime();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, addr)
                .setConfig(BoltConnector.advertised_address, addr)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
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
