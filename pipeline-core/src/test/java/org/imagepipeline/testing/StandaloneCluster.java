package org.imagepipeline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imagepipeline.spark.Sessions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1 made of separate JVMs: one Master and
 * {@code workers} Workers, started as child processes of the test JVM with the test class path;
 * each Worker launches its executors as JVMs of their own (Spark's ExecutorRunner), exactly as on
 * a cluster. Applications run on it by pointing {@code spark.master} at {@link #masterUrl()} with
 * {@link #applicationConf(String)}.
 *
 * <p>What the Worker needs to launch executors without a Spark distribution: {@code SPARK_HOME}
 * naming a folder with a {@code jars/} directory (empty here: the executors' classes come from
 * {@code spark.executor.extraClassPath}, the test class path) and {@code SPARK_SCALA_VERSION=2.12},
 * without which Spark's launcher looks for build directories under {@code SPARK_HOME}.
 * The Java 17 flags reach the executors through {@code spark.executor.extraJavaOptions}, which
 * {@link Sessions#create} sets for every job.
 *
 * <p>{@link #close()} ends every process it started, executors included; a shutdown hook does the
 * same if the test JVM ends first.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int webUiPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<Path> workDirs = new ArrayList<>();
    private final Thread hook = new Thread(this::destroyAll, "standalone-cluster-teardown");
    private String masterUrl;

    private StandaloneCluster(Path dir, int webUiPort) {
        this.dir = dir;
        this.webUiPort = webUiPort;
    }

    /**
     * Starts a Master and {@code workers} Workers, each offering {@code coresPerWorker} cores and
     * {@code memoryPerWorker} (Spark's size syntax, e.g. {@code 1g}), and returns once the Master
     * lists them all as alive. Logs and the Workers' executor folders go under {@code dir}.
     */
    public static StandaloneCluster start(Path dir, int workers, int coresPerWorker, String memoryPerWorker) {
        try {
            Files.createDirectories(dir.resolve("spark-home/jars"));
            StandaloneCluster cluster = new StandaloneCluster(dir, freePort());
            Runtime.getRuntime().addShutdownHook(cluster.hook);
            try {
                cluster.launch("master", "org.apache.spark.deploy.master.Master",
                        "--host", "127.0.0.1", "--port", "0", "--webui-port", String.valueOf(cluster.webUiPort));
                cluster.masterUrl = cluster.awaitMaster(s -> s.path("url").asText().startsWith("spark://"), 60,
                        "the Master to start").path("url").asText();
                for (int i = 0; i < workers; i++) {
                    Path work = Files.createDirectories(dir.resolve("worker-" + i));
                    cluster.workDirs.add(work);
                    cluster.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                            "--cores", String.valueOf(coresPerWorker), "--memory", memoryPerWorker,
                            "--work-dir", work.toString(), "--webui-port", "0", cluster.masterUrl);
                }
                cluster.awaitMaster(s -> s.path("aliveworkers").asInt() == workers, 90, workers + " workers to register");
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL applications use as {@code spark.master}. */
    public String masterUrl() {
        return masterUrl;
    }

    /**
     * The Spark settings an application on this cluster needs: executors of one core and
     * {@code executorMemory} with the test class path (so a Worker of N cores runs N executor
     * JVMs), the driver on loopback, and no task before all of them have registered (so work
     * spreads over every executor JVM, with no waiting for data locality).
     */
    public Map<String, String> applicationConf(String executorMemory) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        conf.put("spark.executor.memory", executorMemory);
        // Short-lived test executors spend most of their CPU compiling Spark's code; the work
        // itself runs in ND4J's native code. Sessions.create appends the JVM flags every executor needs.
        conf.put("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        conf.put("spark.executor.cores", "1");
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        conf.put("spark.locality.wait", "0s"); // a task goes to whichever executor is free, not where its input was made
        conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
        return conf;
    }

    /** The Master's view of the cluster (its web UI's JSON: workers, cores, active applications, ...). */
    private JsonNode masterState() throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + webUiPort + "/json/").openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            return JSON.readTree(in);
        } finally {
            c.disconnect();
        }
    }

    /** A running executor JVM: its process, and the executor and application ids Spark gave it. */
    public record Executor(ProcessHandle process, String executorId, String appId) {}

    /** The executor JVMs running now: the Workers' child processes running Spark's executor backend. */
    public List<Executor> executors() {
        List<Executor> out = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().filter(ProcessHandle::isAlive).forEach(h -> {
                List<String> args = arguments(h);
                if (args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")) {
                    out.add(new Executor(h, after(args, "--executor-id"), after(args, "--app-id")));
                }
            });
        }
        return out;
    }

    /**
     * A process's command line. ProcessHandle.Info gives none for these: the JDK reads only the
     * first 4 KiB of /proc/PID/cmdline and drops the arguments when the class path makes it longer.
     */
    private static List<String> arguments(ProcessHandle h) {
        try {
            String raw = Files.readString(Path.of("/proc", String.valueOf(h.pid()), "cmdline"), StandardCharsets.UTF_8);
            return List.of(raw.split("\u0000"));
        } catch (IOException notLinuxOrGone) {
            return h.info().arguments().map(List::of).orElse(List.of());
        }
    }

    private static String after(List<String> args, String flag) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "";
    }

    /** The ends of the Master's, Workers' and every executor's (dead ones too) logs, for failure messages. */
    public String logText() {
        List<Path> all = new ArrayList<>(logs);
        for (Path work : workDirs) {
            try (var s = Files.walk(work)) {
                s.filter(f -> f.getFileName().toString().equals("stderr")).sorted().forEach(all::add);
            } catch (IOException | UncheckedIOException e) {
                // a folder of an executor that is being cleaned up; the others still help
            }
        }
        StringBuilder b = new StringBuilder();
        for (Path log : all) {
            b.append("---- ").append(dir.relativize(log)).append('\n');
            try {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                b.append(text, Math.max(0, text.length() - 3000), text.length());
            } catch (IOException e) {
                b.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return b.toString();
    }

    private void launch(String name, String mainClass, String... args) throws IOException {
        // Master and Workers only exchange messages and start processes: a small heap, one GC
        // thread and no optimising JIT make them start faster on a small machine.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(Arrays.asList(Sessions.jvmOptions().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        for (String inherited : List.of("SPARK_CLASSPATH", "SPARK_DIST_CLASSPATH", "SPARK_CONF_DIR", "HADOOP_CONF_DIR")) {
            env.remove(inherited);
        }
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        logs.add(log);
        processes.add(pb.start());
    }

    /** Polls the Master's JSON until {@code ready} holds; fails at once when a cluster process has died. */
    private JsonNode awaitMaster(java.util.function.Predicate<JsonNode> ready, int seconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) throw new IllegalStateException("A cluster process exited with " + p.exitValue()
                        + " while waiting for " + what + ":\n" + logText());
            }
            try {
                last = masterState();
                if (ready.test(last)) return last;
            } catch (IOException notYet) {
                // the Master's web UI is not up yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("Timed out after " + seconds + " s waiting for " + what + "; Master state: " + last
                + "\n" + logText());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Kills the executors first (a Worker stopped first would orphan them), then Workers and Master. */
    private void destroyAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) p.descendants().forEach(all::add);
        for (Process p : processes) all.add(p.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // SIGKILL cannot be refused; a process still listed after 30 s is the kernel's business
            }
        }
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
