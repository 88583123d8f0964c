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

    /** What a job printed on stderr, its exit status and how long it took. */
    record Outcome(int status, String stderr, double seconds) {}

    /** Runs a job through the dispatcher, capturing its stderr (still echoed). */
    static Outcome runCapturing(String[] args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override public void write(int b) {
                captured.write(b);
                original.write(b);
            }

            @Override public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        int status;
        System.setErr(tee);
        try {
            status = Main.run(args);
        } finally {
            System.setErr(original);
        }
        return new Outcome(status, captured.toString(StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
    }

    static void assertNoSecret(String text, String secret) {
        assertFalse(text.contains(secret), "a secret leaked: " + text);
    }
}
