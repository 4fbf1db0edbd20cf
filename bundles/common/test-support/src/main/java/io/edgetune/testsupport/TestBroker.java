package io.edgetune.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT broker on a free loopback port, with persistence so queued
 * messages of persistent sessions survive a restart: Moquette in-process or
 * Debian's mosquitto as a child process (installed with apt-get if missing).
 * Kinds for {@link #create}: "moquette", "embedded-moquette" (the gateway's
 * broker configuration) and "mosquitto".
 */
public abstract class TestBroker implements AutoCloseable {

    protected final Path dataDir;
    protected final int port;

    protected TestBroker(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
    }

    public abstract String name();

    public abstract void start() throws Exception;

    public abstract void stop() throws Exception;

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    @Override
    public String toString() {
        return name();
    }

    /** Path of a tool of Debian's mosquitto package (e.g. mosquitto_passwd), installed with apt-get if missing. */
    public static String mosquittoTool(String tool) throws Exception {
        return Mosquitto.installed(tool);
    }

    /** Mosquitto with extra configuration lines (TLS files, password file...) for its listener. */
    public static TestBroker mosquitto(Path dataDir, List<String> extraConfig) throws IOException {
        return new Mosquitto(dataDir, extraConfig);
    }

    /**
     * Parameters {broker kind, dispatcher} for tests that run against both brokers, each with the
     * standalone cloud connection's request dispatcher and with one that behaves like Kura's.
     */
    public static List<Object[]> brokersAndDispatchers() {
        return List.of(new Object[] {"moquette", "standalone"}, new Object[] {"mosquitto", "standalone"},
                new Object[] {"moquette", "kura-like"}, new Object[] {"mosquitto", "kura-like"});
    }

    /** A broker of the given kind, started. */
    public static TestBroker started(String kind, Path dataDir) throws Exception {
        TestBroker b = create(kind, dataDir);
        b.start();
        return b;
    }

    public static TestBroker create(String kind, Path dataDir) throws IOException {
        return switch (kind) {
            case "moquette" -> new Moquette(dataDir, false);
            case "embedded-moquette" -> new Moquette(dataDir, true);
            case "mosquitto" -> new Mosquitto(dataDir, List.of());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** A port free on the loopback address right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    protected void awaitPort(boolean open) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            boolean isOpen;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                isOpen = true;
            } catch (IOException e) {
                isOpen = false;
            }
            if (isOpen == open) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name() + " port " + port + " did not " + (open ? "open" : "close"));
    }

    /** Moquette 0.17 embedded in the test JVM; {@code asGateway}: configured as bundles/common/broker's EmbeddedBroker does. */
    static final class Moquette extends TestBroker {
        private io.moquette.broker.Server server;
        private final boolean asGateway;

        Moquette(Path dataDir, boolean asGateway) throws IOException {
            super(dataDir);
            this.asGateway = asGateway;
        }

        @Override
        public String name() {
            return asGateway ? "embedded-moquette" : "moquette";
        }

        @Override
        public synchronized void start() throws Exception {
            Files.createDirectories(dataDir);
            Properties p = new Properties();
            p.setProperty("host", "127.0.0.1");
            p.setProperty("port", Integer.toString(port));
            p.setProperty("websocket_port", "disabled");
            p.setProperty("allow_anonymous", "true");
            p.setProperty("persistence_enabled", "true");
            p.setProperty("data_path", dataDir.toString());
            p.setProperty("telemetry_enabled", "false");
            p.setProperty("netty.mqtt.message_size", Integer.toString(16 * 1024 * 1024));
            if (asGateway) {
                // as io.edgetune.broker.internal.EmbeddedBroker#moquetteProperties
                p.setProperty("allow_zero_byte_client_id", "true");
                p.setProperty("use_bugsnag", "false");
                p.setProperty("use_metrics", "false");
                p.setProperty("netty.epoll", "false");
            }
            server = new io.moquette.broker.Server();
            server.startServer(new io.moquette.broker.config.MemoryConfig(p));
            awaitPort(true);
        }

        @Override
        public synchronized void stop() throws Exception {
            if (server != null) {
                server.stopServer();
                server = null;
                awaitPort(false);
            }
        }
    }

    /** Debian's mosquitto, run as a child process with a generated configuration. */
    static final class Mosquitto extends TestBroker {
        private Process process;
        private final List<String> extraConfig;

        Mosquitto(Path dataDir, List<String> extraConfig) throws IOException {
            super(dataDir);
            this.extraConfig = extraConfig;
        }

        @Override
        public String name() {
            return "mosquitto";
        }

        static synchronized String executable() throws Exception {
            return installed("mosquitto");
        }

        /** Debian's mosquitto tool (mosquitto_passwd, mosquitto_pub ...), installing the package if missing. */
        static synchronized String installed(String tool) throws Exception {
            for (String candidate : new String[] {"/usr/sbin/" + tool, "/usr/bin/" + tool}) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            Process apt = new ProcessBuilder("apt-get", "install", "-y", "-q", "mosquitto").inheritIO().start();
            if (!apt.waitFor(300, TimeUnit.SECONDS) || apt.exitValue() != 0) {
                throw new IllegalStateException("mosquitto is not installed and 'apt-get install -y mosquitto' failed;"
                        + " install it (Debian package mosquitto) to run the broker tests");
            }
            for (String candidate : new String[] {"/usr/sbin/" + tool, "/usr/bin/" + tool}) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            throw new IllegalStateException("apt-get installed mosquitto but " + tool + " was found in neither /usr/sbin nor /usr/bin");
        }

        @Override
        public synchronized void start() throws Exception {
            Files.createDirectories(dataDir);
            Path conf = dataDir.resolve("mosquitto.conf");
            List<String> lines = new java.util.ArrayList<>(List.of("listener " + port + " 127.0.0.1"));
            lines.addAll(extraConfig);
            if (extraConfig.stream().noneMatch(l -> l.startsWith("allow_anonymous"))) {
                lines.add("allow_anonymous true");
            }
            Files.writeString(conf, String.join("\n", lines) + "\n" + String.join("\n",
                    "persistence true",
                    "persistence_location " + dataDir + "/",
                    "autosave_interval 1",
                    "max_queued_messages 100000",
                    "user root",
                    "log_dest file " + dataDir.resolve("mosquitto.log"),
                    ""));
            process = new ProcessBuilder(executable(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("mosquitto.out").toFile())
                    .start();
            try {
                awaitPort(true);
            } catch (IllegalStateException e) {
                String log = Files.exists(dataDir.resolve("mosquitto.out")) ? Files.readString(dataDir.resolve("mosquitto.out")) : "";
                throw new IllegalStateException(e.getMessage() + "; mosquitto said: " + log, e);
            }
        }

        @Override
        public synchronized void stop() throws Exception {
            if (process != null) {
                process.destroy(); // SIGTERM: mosquitto saves its persistence file
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                process = null;
                awaitPort(false);
            }
        }
    }
}
