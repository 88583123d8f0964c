package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.restore.ManifestRow;
import org.imagepipeline.testing.StandaloneCluster;
import org.imagepipeline.testing.TaskRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs on a real standalone cluster of separate JVMs on loopback (a Master, two Workers and
 * their executor JVMs, see {@link StandaloneCluster}), through the dispatcher as a user runs them
 * with {@code spark.master=spark://...}: parameter averaging across executor JVMs (restoration
 * and GAN training), ingest on executors, and a restore that loses an executor JVM (SIGKILL)
 * while its tasks run.
 */
class StandaloneClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path tmp;
    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start(tmp.resolve("cluster"), 1, 2, "2g");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @BeforeEach
    void forgetEarlierTasks() {
        TaskRecorder.clear();
    }

    /** A job's arguments for this cluster: the master, the cluster's application settings, the task recorder. */
    private static String[] args(String job, Path root, String... extra) throws IOException {
        List<String> a = new ArrayList<>(List.of(job, "spark.master=" + cluster.masterUrl(), "run.root=" + root.toUri()));
        Map<String, String> conf = new HashMap<>(cluster.applicationConf("768m"));
        conf.put("spark.extraListeners", TaskRecorder.class.getName());
        for (Map.Entry<String, String> e : conf.entrySet()) {
            a.add("spark.conf.\"" + e.getKey() + "\"=" + JSON.writeValueAsString(e.getValue()));
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void parameterAveragingTrainsAcrossTwoExecutorJvms() throws Exception {
        Path root = tmp.resolve("train");
        SyntheticImages.writePngs(root.resolve("images"), 16, 40, 1, 3);
        String[] common = {"ingest.input=" + root.resolve("images").toUri(), "ingest.val-fraction=0.25", "ingest.test-fraction=0",
                "model.dncnn.depth=3", "model.dncnn.features=8", "model.dncnn.batch-norm=false",
                "prepare.patch-size=16", "prepare.patches-per-image=4", "train.batch-size-per-worker=4", "train.val-crop=32",
                "train.workers=2"};

        // The catalog comes from embedded Spark (the restore test covers executors reading files); the training from the cluster.
        assertEquals(0, Main.run(concat(new String[] {"ingest", "spark.master=local[2]", "run.root=" + root.toUri(),
                "spark.conf.\"spark.driver.host\"=127.0.0.1", "spark.conf.\"spark.ui.enabled\"=false"}, common)));
        TaskRecorder.clear();
        assertEquals(0, Main.run(args("train-restoration", root, concat(common, "run.id=pa", "train.epochs=2"))));

        List<String> lines = Files.readAllLines(root.resolve("runs/pa/metrics.jsonl"));
        assertEquals(2, lines.size(), String.join("\n", lines));
        for (int epoch = 1; epoch <= 2; epoch++) {
            JsonNode m = JSON.readTree(lines.get(epoch - 1));
            assertEquals(epoch, m.get("epoch").asInt());
            assertTrue(m.get("samples").asLong() > 0 && Double.isFinite(m.get("train_loss").asDouble()), lines.get(epoch - 1));
            assertTrue(m.path("val").path("psnr").asDouble() > 0, lines.get(epoch - 1));
        }
        assertTrue(Files.exists(root.resolve("runs/pa/checkpoints/epoch-0002/_COMMITTED")), "the last epoch's checkpoint is committed");
        // Each epoch's parameter-averaging fit ran in both executor JVMs.
        List<TaskRecorder.Task> tasks = TaskRecorder.tasks();
        assertTrue(fitStagesOnBothExecutors(tasks) >= 2, "executors of the fit stages (one or more per epoch): " + tasks);
        assertFalse(tasks.stream().anyMatch(t -> t.executor().equals("driver")), "nothing ran in the driver");
    }

    @Test
    void aRestoreThatLosesAnExecutorJvmMidwayStillAccountsForEveryInputOnce() throws Exception {
        Path root = tmp.resolve("restore");
        Path in = root.resolve("in");
        Path out = root.resolve("out");
        int n = 40;
        SyntheticImages.writePngs(in, n, 128, 3, 11);
        Path model = RestoreJobTest.checkpointRun(root, "m", 5);

        String victimId;
        int exitCode;
        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> {
            try {
                return Main.run(args("restore", root, "restore.input=" + in.toUri(), "restore.output=" + out.toUri(),
                        "restore.model=" + model.toUri(), "restore.tile-size=32", "restore.tile-overlap=8",
                        "restore.files-per-partition=1", "run.id=killed"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            // As soon as a task has finished, kill (SIGKILL) the executor JVM it ran on: one that has
            // done work, recorded in its manifest part, and is on to its next task.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String first;
            while ((first = firstRestoreTaskExecutor()) == null) {
                assertFalse(job.isDone(), "the job ended before an executor could be killed: " + (job.isDone() ? job.join() : ""));
                assertTrue(System.nanoTime() < deadline, "no task finished within 120 s\n" + cluster.logText());
                Thread.sleep(20);
            }
            List<StandaloneCluster.Executor> executors = cluster.executors();
            assertEquals(2, executors.size(), "two executor JVMs: " + executors);
            String id = first;
            StandaloneCluster.Executor victim = executors.stream().filter(e -> e.executorId().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no executor JVM with id " + id + " among " + executors));
            assertTrue(victim.process().destroyForcibly());
            victim.process().onExit().get(30, TimeUnit.SECONDS);
            int recorded = partCount(out.resolve("_manifest/runs/killed"));
            assertFalse(job.isDone(), "the job was still running when its executor died");
            assertTrue(recorded < n, "the kill came mid-way: " + recorded + " of " + n + " tasks had finished");
            victimId = victim.executorId();
        } finally {
            // Never leave the job running into the next test: it would stop the session that test shares.
            exitCode = job.get(180, TimeUnit.SECONDS);
        }
        assertEquals(0, exitCode, "the restore finishes without the killed executor\n" + cluster.logText());

        assertTrue(TaskRecorder.removedExecutors().stream().anyMatch(r -> r.startsWith(victimId + ":")),
                "the driver saw executor " + victimId + " go: " + TaskRecorder.removedExecutors());
        // Every input once in the manifest, restored.
        Map<String, ManifestRow> rows = RestoreJobTest.manifest(out);
        assertEquals(n, rows.size());
        assertTrue(rows.values().stream().allMatch(r -> r.status().equals(ManifestRow.RESTORED)), rows.toString());
        // Over all the task parts of the run, each input restored exactly once: no lost and no repeated work recorded.
        Map<String, Integer> restoredCount = RestoreJobTest.restoredCounts(out);
        assertEquals(rows.keySet(), restoredCount.keySet());
        assertTrue(restoredCount.values().stream().allMatch(c -> c == 1), restoredCount.toString());
        // Every file at a final name is a whole image; anything a killed task left is under a hidden temporary name.
        try (Stream<Path> files = Files.walk(out)) {
            List<Path> outputs = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(out.resolve("_manifest")))
                    .filter(f -> !f.getFileName().toString().startsWith(".")).toList();
            assertEquals(n, outputs.size(), outputs.toString());
            for (Path f : outputs) {
                BufferedImage img = ImageIO.read(f.toFile());
                assertTrue(img != null && img.getWidth() == 128 && img.getHeight() == 128, "a complete output: " + f);
            }
        }
    }

    @Test
    void aFileThatKillsItsExecutorEveryTimeIsFailedAloneAndTheRestoreFinishes() throws Exception {
        Path root = tmp.resolve("poison");
        Path in = root.resolve("in");
        Path out = root.resolve("out");
        int n = 20;
        SyntheticImages.writePngs(in, n, 40, 3, 13);
        String poisoned = "synthetic-00007.png";
        Path model = RestoreJobTest.checkpointRun(root, "m", 5);

        // The hook ends the executor JVM (exit 137, no shutdown hooks) each time it is about to decode the poisoned file.
        int exitCode = Main.run(args("restore", root, "restore.input=" + in.toUri(), "restore.output=" + out.toUri(),
                "restore.model=" + model.toUri(), "restore.tile-size=32", "restore.tile-overlap=8",
                "restore.files-per-partition=5", "testing.restore.halt-on=" + poisoned, "run.id=poison"));
        assertEquals(0, exitCode, "one file never aborts the job\n" + cluster.logText());

        // Attempt 0 died (recording nothing), attempt 1 marked the file and died, attempt 2 failed it.
        assertTrue(TaskRecorder.removedExecutors().size() >= 2, "two executor JVMs died: " + TaskRecorder.removedExecutors());
        Map<String, ManifestRow> rows = RestoreJobTest.manifest(out);
        assertEquals(n, rows.size(), rows.keySet().toString());
        ManifestRow bad = rows.get(poisoned);
        assertEquals(ManifestRow.FAILED, bad.status(), bad.toString());
        assertTrue(bad.reason().startsWith("the executor died while restoring this file (1 attempt of task "), bad.reason());
        assertFalse(Files.exists(out.resolve(poisoned)), "no output for the poisoned file");
        for (ManifestRow r : rows.values()) {
            if (r.input().equals(poisoned)) continue;
            assertEquals(ManifestRow.RESTORED, r.status(), r.toString());
            BufferedImage img = ImageIO.read(out.resolve(r.output()).toFile());
            assertTrue(img != null && img.getWidth() == 40 && img.getHeight() == 40, "a complete output: " + r.output());
        }
        Map<String, Integer> restoredCount = RestoreJobTest.restoredCounts(out);
        assertTrue(restoredCount.values().stream().allMatch(c -> c == 1), "each input restored by one successful task: " + restoredCount);
        assertFalse(Files.exists(out.resolve("_manifest/attempts")), "the markers of the lost attempts are removed");
    }

    /** The executor on which the restore's first task succeeded, or null while none has. */
    private static String firstRestoreTaskExecutor() {
        return TaskRecorder.tasks().stream().filter(t -> t.successful() && t.stageName().contains("BulkRestore"))
                .map(TaskRecorder.Task::executor).findFirst().orElse(null);
    }

    private static int partCount(Path parts) throws IOException {
        if (!Files.isDirectory(parts)) return 0;
        try (Stream<Path> s = Files.list(parts)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
    }

    @Test
    void ingestOnExecutorsThenGanTrainingAcrossTwoExecutorJvmsThenGenerate() throws Exception {
        Path root = tmp.resolve("gan");
        SyntheticImages.writePngs(root.resolve("images"), 16, 28, 1, 5);
        String[] common = {"ingest.input=" + root.resolve("images").toUri(), "train.workers=2",
                "gan.resolution=28", "gan.latent-size=6", "gan.generator-features=4", "gan.discriminator-features=4",
                "gan.batch-size=8", "gan.sample-grid=2", "gan.sample-every=3", "gan.checkpoint-every=3", "gan.log-every=1"};

        // Ingest on the executors: each reads its files through the broadcast Hadoop configuration.
        assertEquals(0, Main.run(args("ingest", root, common)));
        assertEquals(16, parquetRows(root.resolve("catalog/images")), "every generated image is catalogued");
        assertEquals(0, parquetRows(root.resolve("catalog/rejects")), "none is rejected");

        TaskRecorder.clear();
        assertEquals(0, Main.run(args("train-gan", root, concat(common, "run.id=g", "gan.steps=3"))));
        List<String> lines = Files.readAllLines(root.resolve("runs/g/metrics.jsonl"));
        assertEquals(3, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            JsonNode m = JSON.readTree(line);
            for (String key : List.of("d_loss", "g_loss", "d_real", "d_fake")) {
                assertTrue(Double.isFinite(m.path(key).asDouble(Double.NaN)), key + " in " + line);
            }
        }
        assertTrue(Files.exists(root.resolve("runs/g/checkpoints/step-0003/_COMMITTED")), "the step-3 checkpoint is committed");
        assertTrue(Files.exists(root.resolve("runs/g/samples/step-000003.png")), "the sample grid of step 3");
        // The discriminator and generator phases are parameter-averaged fits in both executor JVMs.
        List<TaskRecorder.Task> tasks = TaskRecorder.tasks();
        assertTrue(fitStagesOnBothExecutors(tasks) >= 6,
                "3 rounds of a discriminator and a generator phase, each on both executors: " + tasks);
        assertFalse(tasks.stream().anyMatch(t -> t.executor().equals("driver")), "nothing ran in the driver");

        Path out = root.resolve("generated");
        assertEquals(0, Main.run(args("generate", root, concat(common, "run.id=g", "gan.generate.count=3",
                "gan.generate.output=" + out.toUri()))));
        for (int i = 0; i < 3; i++) {
            BufferedImage image = ImageIO.read(out.resolve(String.format("generated-%05d.png", i)).toFile());
            assertEquals(28, image.getWidth());
            assertEquals(28, image.getHeight());
        }
    }

    /** Stages of parameter-averaging fits in which tasks succeeded on two executors. */
    private static long fitStagesOnBothExecutors(List<TaskRecorder.Task> tasks) {
        Map<Integer, Set<String>> executors = tasks.stream()
                .filter(t -> t.successful() && t.stageName().contains("ParameterAveragingTrainingMaster"))
                .collect(Collectors.groupingBy(TaskRecorder.Task::stage, Collectors.mapping(TaskRecorder.Task::executor, Collectors.toSet())));
        return executors.values().stream().filter(e -> e.size() == 2).count();
    }

    /** Rows of a Parquet table (a folder of part files), read from the files' footers. */
    private static long parquetRows(Path table) throws IOException {
        Configuration conf = new Configuration();
        long rows = 0;
        try (Stream<Path> files = Files.list(table)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                try (var reader = ParquetFileReader.open(
                        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf))) {
                    rows += reader.getRecordCount();
                }
            }
        }
        return rows;
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
