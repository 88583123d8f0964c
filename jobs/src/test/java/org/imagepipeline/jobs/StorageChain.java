package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.report.RunReport;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs as a user runs them through the dispatcher, with every path on one Hadoop filesystem
 * (HDFS or S3): generated images written there, then ingest, prepare, train-restoration for two
 * epochs, evaluate, and a resume to a third epoch; each step's output checked on that filesystem.
 */
final class StorageChain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private final Map<String, String> storage;
    private final Configuration conf;

    /**
     * @param root    the pipeline root, e.g. hdfs://127.0.0.1:port/pipeline or s3a://bucket/pipeline
     * @param storage pipeline.storage.* (and spark.conf) settings every job gets
     * @param conf    Hadoop configuration of the test's own checks, with the servers' settings
     */
    StorageChain(String root, Map<String, String> storage, Configuration conf) {
        this.root = root;
        this.storage = storage;
        this.conf = conf;
    }

    /** The command line of a job, with this chain's paths and the tiny model of JobsChainTest. */
    String[] args(String job, String... extra) {
        List<String> a = new ArrayList<>(List.of(job,
                "run.root=" + root,
                "ingest.input=" + root + "/images",
                "spark.master=local[2]",
                "spark.conf.\"spark.driver.host\"=127.0.0.1",
                "spark.conf.\"spark.driver.bindAddress\"=127.0.0.1",
                "spark.conf.\"spark.ui.enabled\"=false",
                "spark.conf.\"spark.sql.shuffle.partitions\"=2",
                "ingest.val-fraction=0.2", "ingest.test-fraction=0.2",
                "model.dncnn.depth=3", "model.dncnn.features=8", "model.dncnn.batch-norm=false",
                "prepare.patch-size=16", "prepare.patches-per-image=4", "prepare.preview-pairs=4",
                "train.batch-size-per-worker=4", "train.val-max-images=2", "train.val-crop=32",
                "eval.crop=32", "eval.max-images=4", "eval.samples=1"));
        storage.forEach((k, v) -> a.add(k + "=" + v));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** The settings a job of this chain runs with, as typed values. */
    PipelineSettings settings() {
        Map<String, String> o = new LinkedHashMap<>(storage);
        o.put("run.root", root);
        return PipelineSettings.load(List.of(), o);
    }

    /** Writes {@code n} generated PNGs and one file that is not an image under {@code <root>/images}. */
    void writeImages(int n, int size) {
        Path dir = new Path(root + "/images");
        for (int i = 0; i < n; i++) {
            byte[] png = ImageCodec.encodePng(SyntheticImages.generate(3, i, size, 1), 8);
            HadoopIO.writeAtomically(new Path(dir, String.format("img-%03d.png", i)), png, conf);
        }
        HadoopIO.writeAtomically(new Path(dir, "notes.png"), "not an image".getBytes(StandardCharsets.UTF_8), conf);
    }

    /** Runs the chain; {@code scheme} is what every path the jobs record must start with. */
    void runAndCheck(String scheme) throws IOException {
        FileSystem fs = new Path(root).getFileSystem(conf);

        assertEquals(0, Main.run(args("ingest")));
        for (String part : List.of("images", "rejects")) {
            Path dir = new Path(root + "/catalog/" + part);
            assertTrue(fs.exists(new Path(dir, "_SUCCESS")), dir + " is committed");
            long parquetBytes = Arrays.stream(fs.listStatus(dir)).filter(s -> s.getPath().getName().endsWith(".parquet"))
                    .mapToLong(FileStatus::getLen).sum();
            assertTrue(parquetBytes > 0, dir + " holds Parquet");
        }

        assertEquals(0, Main.run(args("prepare", "run.id=r1")));
        JsonNode prep = json(root + "/runs/r1/prepare/summary.json");
        assertTrue(prep.get("patches").asLong() >= 4 * 6, "4 patches for each of the train images: " + prep);
        assertTrue(fs.getFileStatus(new Path(root + "/runs/r1/prepare/preview.png")).getLen() > 0);

        assertEquals(0, Main.run(args("train-restoration", "run.id=r1", "train.epochs=2")));
        RunDir run = new RunDir(root, "r1", conf);
        assertTrue(run.path().toString().startsWith(scheme), run.path().toString());
        assertEquals(List.of(1, 2), epochs(run));
        assertEquals(List.of(1, 2), new CheckpointStore(run.checkpoints(), conf).committedEpochs());
        String saved = text(root + "/runs/r1/config.conf");
        assertTrue(saved.contains(root), "config.conf records the root: " + saved);

        assertEquals(0, Main.run(args("evaluate", "run.id=r1")));
        JsonNode eval = json(root + "/runs/r1/eval/metrics.json");
        assertTrue(eval.get("images").asInt() > 0, eval.toString());
        assertTrue(eval.get("checkpoint").asText().startsWith(scheme + "://"), eval.toString());
        assertTrue(eval.get("checkpoint").asText().contains("runs/r1/checkpoints/epoch-000"), eval.toString());
        assertTrue(eval.get("output").get("psnr").asDouble() > 0, eval.toString());
        assertEquals(3, fs.listStatus(run.resolve("eval/samples")).length, "degraded, restored, truth");

        assertEquals(0, Main.run(args("train-restoration", "run.id=r1", "train.epochs=3", "train.resume=true")));
        assertEquals(List.of(1, 2, 3), epochs(run), "the resumed epoch is appended, none repeated");
        CheckpointStore store = new CheckpointStore(run.checkpoints(), conf);
        assertEquals(List.of(1, 2, 3), store.committedEpochs());
        var newest = store.loadNewest().orElseThrow(() -> new AssertionError("no verified checkpoint under " + run));
        assertEquals(3, newest.state().epochsDone());
        assertTrue(newest.dir().toString().endsWith("epoch-0003"), newest.dir().toString());
        assertTrue(fs.getFileStatus(run.resolve("samples/epoch-0003.png")).getLen() > 0);

        Path report = RunReport.write(run);
        assertTrue(report.toString().startsWith(scheme + "://"), report.toString());
        assertTrue(text(report.toString()).contains("epoch-0003.png"));

        // restore the images with the run's best checkpoint: listing, atomic writes and manifest on this filesystem
        assertEquals(0, Main.run(args("restore", "restore.input=" + root + "/images", "restore.output=" + root + "/restored",
                "restore.model=" + run.path(), "restore.tile-size=16", "restore.tile-overlap=8")));
        List<org.imagepipeline.restore.ManifestRow> rows = new ArrayList<>();
        for (String line : text(root + "/restored/_manifest/manifest.jsonl").split("\n")) {
            rows.add(org.imagepipeline.restore.ManifestRow.fromJson(line));
        }
        long inputs = fs.listStatus(new Path(root + "/images")).length;
        assertEquals(inputs, rows.size(), "one manifest line per input");
        for (var r : rows) {
            assertEquals(r.input().equals("notes.png") ? "failed" : "restored", r.status(), r.toString());
            if (r.status().equals("restored")) {
                assertTrue(r.outputUri().startsWith(scheme + "://"), r.outputUri());
                assertTrue(fs.getFileStatus(new Path(root + "/restored/" + r.output())).getLen() > 0, r.output());
            }
        }
        assertTrue(fs.exists(new Path(root + "/restored/_manifest/manifest.parquet/_SUCCESS")));
    }

    /**
     * Trains run {@code id} for {@code epochs} in another thread and calls {@code fault} as soon as
     * {@code <run>/checkpoints/<trigger>} exists (or the job ended first); returns the job's outcome.
     */
    Outcome trainWithFault(String id, int epochs, String trigger, Fault fault) throws Exception {
        Path watched = new Path(root + "/runs/" + id + "/checkpoints/" + trigger);
        FileSystem fs = watched.getFileSystem(conf);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Outcome> job = pool.submit(() -> runCapturing(args("train-restoration", "run.id=" + id,
                    "train.epochs=" + epochs, "train.keep-checkpoints=" + epochs)));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
            while (!job.isDone() && !fs.exists(watched)) {
                assertTrue(System.nanoTime() < deadline, watched + " did not appear within 3 minutes");
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll interval of the condition above
            }
            assertFalse(job.isDone(), "the run ended before the fault: " + (job.isDone() ? job.get().stderr() : ""));
            fault.inject();
            return job.get(5, java.util.concurrent.TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A fault injected into a running job. */
    interface Fault {
        void inject() throws Exception;
    }

    /**
     * Resumes run {@code id} to {@code epochs} and checks that it completed them: every epoch once
     * in metrics.jsonl, and the newest checkpoint verified and at the last epoch.
     */
    void resumeAndCheck(String id, int epochs) throws IOException {
        Outcome resumed = runCapturing(args("train-restoration", "run.id=" + id, "train.epochs=" + epochs, "train.resume=true",
                "train.keep-checkpoints=" + epochs));
        assertEquals(0, resumed.status(), resumed.stderr());
        RunDir run = new RunDir(root, id, conf);
        List<Integer> expected = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) expected.add(e);
        assertEquals(expected, epochs(run), "each epoch once, none lost or repeated");
        var newest = new CheckpointStore(run.checkpoints(), conf).loadNewest()
                .orElseThrow(() -> new AssertionError("no verified checkpoint under " + run));
        assertEquals(epochs, newest.state().epochsDone());
    }

    private List<Integer> epochs(RunDir run) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (String line : text(run.metrics().toString()).split("\n")) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.get("train_loss").asDouble() > 0, line);
            assertTrue(n.get("val").get("psnr").asDouble() > 0, line);
            out.add(n.get("epoch").asInt());
        }
        return out;
    }

    String text(String path) {
        return new String(HadoopIO.read(new Path(path), conf), StandardCharsets.UTF_8);
    }

    private JsonNode json(String path) throws IOException {
        return JSON.readTree(text(path));
    }

    /** A job's exit status, what it printed on stdout and stderr, and how long it took. */
    record Outcome(int status, String stdout, String stderr, double seconds) {}

    /** Runs a job through the dispatcher, capturing its stdout and stderr (still echoed). */
    static Outcome runCapturing(String[] args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int status;
        System.setOut(tee(out, originalOut));
        System.setErr(tee(err, originalErr));
        try {
            status = Main.run(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - t0) / 1e9);
    }

    private static PrintStream tee(ByteArrayOutputStream captured, PrintStream original) {
        return new PrintStream(new java.io.OutputStream() {
            @Override public void write(int b) {
                captured.write(b);
                original.write(b);
            }

            @Override public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** Two committed checkpoints (epochs 1 and 2) of a tiny DnCNN under {@code dir}, for the fault tests. */
    static CheckpointStore twoCheckpoints(String dir, Configuration conf) {
        CheckpointStore store = new CheckpointStore(new Path(dir), conf);
        org.deeplearning4j.nn.graph.ComputationGraph graph = org.imagepipeline.model.RestorationModels.build(
                PipelineSettings.load(List.of(), Map.of("model.dncnn.depth", "3", "model.dncnn.features", "4")).model());
        for (int e = 1; e <= 2; e++) {
            graph.params().addi(0.1);
            store.write(graph, new org.imagepipeline.store.TrainingState(e, e, 42, 20 + e, e, 0, "cfg", e));
        }
        return store;
    }

    /** Flips every bit of the byte in the middle of a file on the local disk (a server's storage). */
    static void flipMiddleByte(java.nio.file.Path file) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int v = f.read();
            f.seek(f.length() / 2);
            f.write(v ^ 0xFF);
        }
    }

    static void assertNoSecret(String text, String secret) {
        assertFalse(text.contains(secret), "a secret leaked: " + text);
    }
}
