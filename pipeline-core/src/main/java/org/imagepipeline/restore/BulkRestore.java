package org.imagepipeline.restore;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.RestoreSettings;
import org.imagepipeline.data.SerializableHadoopConf;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The restore job's Spark layer: checks the roots, resolves the model, lists and plans the
 * inputs on the driver, runs {@link PartitionRestorer} over partitions on the executors, and
 * merges the manifest.
 *
 * <p>Manifest layout under {@code <output>/_manifest/} (the '_' keeps it out of any listing):
 * {@code runs/<run-id>/part-NNNNN.jsonl}, written atomically by each task as it ends, one line per
 * input of the task; then, once all tasks are done, {@code manifest.jsonl} and
 * {@code manifest.parquet}: this run's lines, exactly one per listed input. A rerun reads every
 * earlier part (also those of a run that crashed half-way) to find inputs already restored with
 * the same model version and input hash whose output still exists: those are skipped, failed ones
 * are tried again. So a crash loses at most the unfinished tasks' work, and the next run's
 * manifest still accounts for every input once. Reusing a run id (run.id) replaces that run's parts.
 *
 * <p>Outputs are written under a hidden temporary name and renamed (see {@link HadoopIO#writeAtomically});
 * an executor killed mid-write leaves such a hidden file beside the outputs, never a partial file
 * at an output's name. Listings skip hidden names, so leftovers are harmless; they are not swept.
 *
 * <p>A file that kills its executor JVM every time (a native crash, an out-of-memory the JVM cannot
 * survive) does not fail the job: a retried task marks each file before restoring it under
 * {@code attempts/<run-id>/task-NNNNN/} and fails, with that reason, a file that earlier attempts
 * started and never finished {@code max-executor-losses-per-file} times (see
 * {@link ExecutorLossMarkers}). The markers are removed once the run's manifest is whole. Those of
 * a run that failed stay until a later run ends (a trace of which files were in flight); a rerun
 * does not count them: it partitions its inputs anew, and its own retries find such a file again
 * within max-executor-losses-per-file + 1 lost attempts.
 */
public final class BulkRestore {
    private static final Logger LOG = LoggerFactory.getLogger(BulkRestore.class);
    public static final String MANIFEST_DIR = "_manifest";
    /** Under the manifest folder: the markers of retried tasks (see {@link ExecutorLossMarkers}), per run and task. */
    public static final String ATTEMPTS_DIR = "attempts";

    private BulkRestore() {}

    /** What a finished run reports. */
    public record Summary(String runId, long inputs, long restored, long skipped, long failed, double megapixels,
                          double seconds, String manifest) implements Serializable {
        public double megapixelsPerSecond() {
            return seconds > 0 ? megapixels / seconds : 0;
        }

        public String describe() {
            return String.format("restore run %s: %d inputs: %d restored, %d skipped, %d failed; %.1f megapixels in %.1f s "
                            + "(%.2f MP/s)%nmanifest: %s", runId, inputs, restored, skipped, failed, megapixels, seconds,
                    megapixelsPerSecond(), manifest);
        }
    }

    /**
     * Runs one restore over {@code settings.restore()}.
     *
     * @throws IllegalArgumentException for settings that cannot work (missing input, overlapping
     *                                  roots, no model), before any file is written
     */
    public static Summary run(SparkSession spark, PipelineSettings settings) {
        RestoreSettings s = settings.restore();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (s.input().isEmpty()) throw new IllegalArgumentException("Set pipeline.restore.input to the folder (or file) to restore");
        if (s.output().isEmpty()) throw new IllegalArgumentException("Set pipeline.restore.output to the folder the restored tree goes to");
        if (s.models().isEmpty()) {
            throw new IllegalArgumentException("Set pipeline.restore.model to a checkpoint directory or a run directory (its best checkpoint)");
        }
        Path input = qualified(new Path(s.input()), hadoop);
        Path output = qualified(new Path(s.output()), hadoop);
        if (!HadoopIO.exists(input, hadoop)) {
            throw new IllegalArgumentException("pipeline.restore.input = " + input + " does not exist");
        }
        boolean outputInside = isInside(output, input);
        if (outputInside && !s.allowOutputInsideInput()) {
            throw new IllegalArgumentException("pipeline.restore.output = " + output + (output.equals(input) ? " is" : " lies inside")
                    + " the input root " + input + ": outputs would mix with inputs. Choose another output root, or set "
                    + "pipeline.restore.allow-output-inside-input = true (the output folder is then left out of the listing)");
        }
        if (output.equals(input)) {
            throw new IllegalArgumentException("pipeline.restore.output is the input root " + input + ": outputs would replace inputs");
        }
        if (isInside(input, output)) {
            throw new IllegalArgumentException("The input root " + input + " lies inside pipeline.restore.output = " + output
                    + ": mirrored outputs could land on input files. Choose an output root outside the input");
        }

        checkExecutorLossSettings(s, spark);

        List<ResolvedModel> models = new ArrayList<>();
        for (String ref : s.models()) models.add(ModelRefs.resolve(ref, hadoop, settings));
        ModelSpec spec = models.get(0).spec();
        for (ResolvedModel m : models) {
            if (m.spec().channels() != spec.channels() || m.spec().sizeMultiple() != spec.sizeMultiple()) {
                throw new IllegalArgumentException("Models " + models.get(0).id() + " and " + m.id() + " cannot be fused: they differ in "
                        + "channels or size multiple (" + spec.channels() + "/" + spec.sizeMultiple() + " vs "
                        + m.spec().channels() + "/" + m.spec().sizeMultiple() + ")");
            }
        }
        int radius = 0;
        for (ResolvedModel m : models) radius = Math.max(radius, TiledRestorer.receptiveRadius(m.spec()));
        int margin = s.resolvedTileMargin(radius);
        if (margin < radius) {
            LOG.warn("Tile margin {} is below the model's receptive-field radius {}: tiles blend smoothly but differ slightly from "
                    + "restoring whole images; raise pipeline.restore.tile-overlap above {} for an exact match", margin, radius, 2 * radius);
        }
        String modelId = String.join(",", s.models());
        List<String> versions = new ArrayList<>();
        for (ResolvedModel m : models) versions.add(m.version());
        String modelVersion = String.join("+", versions) + (s.selfEnsemble() ? "+x8" : "");

        String runId = settings.run().id().isEmpty()
                ? RunDir.newId() + "-" + UUID.randomUUID().toString().substring(0, 8) : settings.run().id();
        Path manifestDir = new Path(output, MANIFEST_DIR);
        Path partsDir = new Path(manifestDir, "runs/" + runId);
        Path attemptsDir = new Path(manifestDir, ATTEMPTS_DIR);
        long start = System.nanoTime();

        List<PartitionRestorer.Planned> planned;
        try {
            FileSystem inFs = HadoopIO.fs(input, hadoop);
            planned = plan(InputListing.list(inFs, input, outputInside ? output : null, s.include(), s.exclude()), s.format());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the input root " + input + ": " + e.getMessage(), e);
        }
        Map<String, ManifestRow> done = earlierRestored(manifestDir, modelVersion, hadoop);
        try {
            // A reused run id starts its parts afresh (what they recorded is in `done` now), so the
            // merge never sees a file twice from two partitionings.
            HadoopIO.fs(partsDir, hadoop).delete(partsDir, true);
            HadoopIO.fs(attemptsDir, hadoop).delete(new Path(attemptsDir, runId), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear " + partsDir + " for the reused run id " + runId + ": " + e.getMessage(), e);
        }
        LOG.info("Restore run {}: {} inputs under {}, {} restored earlier with model {}", runId, planned.size(), input,
                done.size(), modelVersion);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<byte[]> modelBytes = new ArrayList<>();
        for (ResolvedModel m : models) {
            modelBytes.add(ModelRefs.verifiedBytes(m, hadoop));
            checkFits(m, modelBytes.get(modelBytes.size() - 1));
        }
        Broadcast<SerializableHadoopConf> conf = jsc.broadcast(new SerializableHadoopConf(hadoop));
        Broadcast<List<byte[]>> graphs = jsc.broadcast(modelBytes);
        Broadcast<Map<String, ManifestRow>> earlier = jsc.broadcast(done);
        int partitions = Math.max(1, s.filesPerPartition() > 0 ? (planned.size() + s.filesPerPartition() - 1) / s.filesPerPartition()
                : 4 * jsc.defaultParallelism());
        partitions = Math.min(partitions, Math.max(1, planned.size()));
        List<long[]> counts;
        try {
            counts = jsc.parallelize(planned, partitions)
                    .mapPartitions(new RestorePartition(conf, graphs, earlier, s, spec, margin, modelId, modelVersion,
                            output.toString(), partsDir.toString(), new Path(attemptsDir, runId).toString(), runId))
                    .collect();
        } finally {
            conf.destroy();
            graphs.destroy();
            earlier.destroy();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] total = new long[4];
        for (long[] c : counts) for (int i = 0; i < 4; i++) total[i] += c[i];

        Path manifest = new Path(manifestDir, "manifest.jsonl");
        long lines = mergeManifest(spark, partsDir, manifest, new Path(manifestDir, "manifest.parquet"), planned.size(), hadoop);
        try {
            // Every input has its line: the markers of lost attempts (this run's and those of runs that failed) are spent.
            HadoopIO.fs(attemptsDir, hadoop).delete(attemptsDir, true);
        } catch (IOException e) {
            LOG.warn("Could not remove the restore attempt markers under {} (a later run removes them): {}", attemptsDir, e.toString());
        }
        Summary summary = new Summary(runId, lines, total[0], total[1], total[2], total[3] / 1e6, seconds, manifest.toString());
        LOG.info(summary.describe());
        return summary;
    }

    /**
     * Refuses the halt-on testing hook outside a cluster of executor JVMs (it would end the driver,
     * or the test JVM running local mode), and a max-executor-losses-per-file that the task retries
     * cannot reach: the attempt that fails a file comes after that many lost attempts, so
     * spark.task.maxFailures must exceed it by 2.
     */
    static void checkExecutorLossSettings(RestoreSettings s, SparkSession spark) {
        String master = spark.sparkContext().master();
        boolean local = master.equals("local") || master.startsWith("local[");
        if (!s.haltOn().isEmpty() && !(master.startsWith("spark://") || master.startsWith("local-cluster["))) {
            throw new IllegalArgumentException("pipeline.testing.restore.halt-on = \"" + s.haltOn() + "\" ends an executor JVM "
                    + "(a testing hook); it runs only with a spark:// or local-cluster[...] master, not " + master);
        }
        int maxFailures = spark.sparkContext().conf().getInt("spark.task.maxFailures", 4);
        if (!local && maxFailures < s.maxExecutorLossesPerFile() + 2) {
            throw new IllegalArgumentException("pipeline.restore.max-executor-losses-per-file = " + s.maxExecutorLossesPerFile()
                    + " needs spark.task.maxFailures >= " + (s.maxExecutorLossesPerFile() + 2) + " (it is " + maxFailures + "): a file "
                    + "that kills its executor is failed by the attempt after that many lost ones, and the first attempt of a "
                    + "task records nothing. Raise spark.task.maxFailures or lower the setting");
        }
    }

    /** One tiny forward pass on the driver, so a checkpoint that does not fit its settings fails here, clearly, not in every task. */
    private static void checkFits(ResolvedModel m, byte[] bytes) {
        try {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
            int side = Math.max(8, m.spec().sizeMultiple());
            Inference.restore(graph, m.spec(), new Image(m.spec().channels(), side, side));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The model " + m.id() + " (" + m.checkpoint() + ") cannot run with the architecture "
                    + "its run's config.conf (or pipeline.model) describes (" + m.spec().type() + ", " + m.spec().channels()
                    + " channels): " + e.getMessage());
        }
    }

    private static Path qualified(Path p, Configuration conf) {
        return HadoopIO.fs(p, conf).makeQualified(p);
    }

    private static boolean isInside(Path candidate, Path root) {
        for (Path p = candidate; p != null; p = p.getParent()) {
            if (p.equals(root)) return true;
        }
        return false;
    }

    /** Output names for each listed input; later inputs whose output name an earlier one took fail. */
    static List<PartitionRestorer.Planned> plan(List<InputListing.Entry> entries, RestoreSettings.Format format) {
        Map<String, String> taken = new HashMap<>();
        List<PartitionRestorer.Planned> out = new ArrayList<>(entries.size());
        for (InputListing.Entry e : entries) {
            String f = OutputPlan.format(format, e.rel());
            String rel = OutputPlan.outputRel(e.rel(), f);
            String key = rel.toLowerCase(Locale.ROOT); // case-insensitive file systems would merge them
            String first = e.problem() == null ? taken.putIfAbsent(key, e.rel()) : null;
            out.add(new PartitionRestorer.Planned(e, rel, f, first == null ? null
                    : "its output name " + rel + " is already the output of " + first + "; rename one of them or choose another format"));
        }
        return out;
    }

    /** Restored lines of every earlier run with {@code modelVersion}, latest per input. */
    static Map<String, ManifestRow> earlierRestored(Path manifestDir, String modelVersion, Configuration conf) {
        Map<String, ManifestRow> done = new HashMap<>();
        FileSystem fs = HadoopIO.fs(manifestDir, conf);
        try {
            Path runs = new Path(manifestDir, "runs");
            if (!fs.exists(runs)) return done;
            FileStatus[] parts = fs.globStatus(new Path(runs, "*/part-*.jsonl"));
            if (parts == null) return done;
            for (FileStatus part : parts) {
                forEachLine(fs, part.getPath(), row -> {
                    // Restored lines, and the skipped lines that repeat one (a rerun's record of the same output).
                    boolean restored = ManifestRow.RESTORED.equals(row.status())
                            || ManifestRow.SKIPPED.equals(row.status()) && row.inputSha256() != null && row.output() != null;
                    if (restored && modelVersion.equals(row.modelVersion())) {
                        done.merge(row.input(), row, (a, b) -> a.finishedAt().compareTo(b.finishedAt()) >= 0 ? a : b);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the earlier manifests under " + manifestDir + ": " + e.getMessage(), e);
        }
        return done;
    }

    private static void forEachLine(FileSystem fs, Path file, Consumer<ManifestRow> action) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) action.accept(ManifestRow.fromJson(line));
            }
        }
    }

    /**
     * Joins this run's parts into manifest.jsonl and manifest.parquet, after checking that they
     * hold exactly one line per planned input. Returns the number of lines. Each replaces the
     * previous run's only once written whole: the JSON lines by {@link HadoopIO#writeAtomically},
     * the Parquet table by {@link HadoopIO#replaceDirectory} (see there what each file system
     * guarantees if the job dies mid-swap).
     */
    private static long mergeManifest(SparkSession spark, Path partsDir, Path jsonl, Path parquet, int expected, Configuration conf) {
        FileSystem fs = HadoopIO.fs(partsDir, conf);
        Set<String> seen = new HashSet<>();
        long[] lines = {0};
        HadoopIO.writeAtomically(jsonl, conf, out -> {
            if (!fs.exists(partsDir)) return;
            FileStatus[] parts = fs.globStatus(new Path(partsDir, "part-*.jsonl"));
            Arrays.sort(parts);
            for (FileStatus part : parts) {
                forEachLine(fs, part.getPath(), row -> {
                    if (!seen.add(row.input())) {
                        throw new IllegalStateException("The manifest parts of " + partsDir + " list " + row.input() + " twice");
                    }
                    try {
                        out.write((row.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    lines[0]++;
                });
            }
        });
        if (lines[0] != expected) {
            throw new IllegalStateException("The manifest of this run has " + lines[0] + " lines for " + expected
                    + " inputs; every input must have exactly one");
        }
        // Never Overwrite in place: that deletes the previous table before the new one exists.
        HadoopIO.replaceDirectory(parquet, conf, fresh -> spark.read().schema(ManifestRow.SCHEMA).json(jsonl.toString())
                .coalesce(1).write().parquet(fresh.toString()));
        return lines[0];
    }

    /** Executor side: restores one partition and writes its manifest part; returns {restored, skipped, failed, pixels}. */
    static final class RestorePartition implements FlatMapFunction<Iterator<PartitionRestorer.Planned>, long[]> {
        private static final long serialVersionUID = 1L;
        /** Graphs are not safe to share between threads; a task thread keeps its own across tasks. */
        private static final ThreadLocal<Map<String, TileModel>> MODELS = ThreadLocal.withInitial(HashMap::new);

        private final Broadcast<SerializableHadoopConf> conf;
        private final Broadcast<List<byte[]>> graphs;
        private final Broadcast<Map<String, ManifestRow>> done;
        private final RestoreSettings settings;
        private final ModelSpec spec;
        private final int margin;
        private final String modelId;
        private final String modelVersion;
        private final String output;
        private final String partsDir;
        private final String attemptsDir;
        private final String runId;

        RestorePartition(Broadcast<SerializableHadoopConf> conf, Broadcast<List<byte[]>> graphs, Broadcast<Map<String, ManifestRow>> done,
                         RestoreSettings settings, ModelSpec spec, int margin, String modelId, String modelVersion, String output,
                         String partsDir, String attemptsDir, String runId) {
            this.conf = conf;
            this.graphs = graphs;
            this.done = done;
            this.settings = settings;
            this.spec = spec;
            this.margin = margin;
            this.modelId = modelId;
            this.modelVersion = modelVersion;
            this.output = output;
            this.partsDir = partsDir;
            this.attemptsDir = attemptsDir;
            this.runId = runId;
        }

        @Override
        public Iterator<long[]> call(Iterator<PartitionRestorer.Planned> inputs) {
            Configuration hadoop = conf.value().get();
            if (!settings.haltOn().isEmpty() && "driver".equals(SparkEnv.get().executorId())) {
                throw new IllegalStateException("pipeline.testing.restore.halt-on is set and this task runs in the driver JVM: "
                        + "refusing to run a hook that would end it");
            }
            TileModel model = MODELS.get().computeIfAbsent(modelVersion, k -> load());
            TaskContext task = TaskContext.get();
            // A first attempt writes nothing extra; a retried one (its predecessor may have died on a file) keeps markers.
            ExecutorLossMarkers markers = task.attemptNumber() == 0 ? null : new ExecutorLossMarkers(hadoop,
                    new Path(attemptsDir, String.format("task-%05d", task.partitionId())),
                    task.partitionId() + " of stage " + task.stageId(), task.taskAttemptId());
            List<ManifestRow> rows = new PartitionRestorer(hadoop, settings, model, margin, modelId, modelVersion, new Path(output),
                    runId, done.value()).run(inputs, markers);
            StringBuilder text = new StringBuilder();
            long[] counts = new long[4];
            for (ManifestRow r : rows) {
                text.append(r.toJson()).append('\n');
                switch (r.status()) {
                    case ManifestRow.RESTORED -> {
                        counts[0]++;
                        counts[3] += (long) r.width() * r.height();
                    }
                    case ManifestRow.SKIPPED -> counts[1]++;
                    default -> counts[2]++;
                }
            }
            // Written last and atomically: a task that dies first leaves no part, and its retry rewrites the same name.
            HadoopIO.writeAtomically(new Path(partsDir, String.format("part-%05d.jsonl", TaskContext.getPartitionId())),
                    text.toString().getBytes(StandardCharsets.UTF_8), hadoop);
            return List.of(counts).iterator();
        }

        private TileModel load() {
            List<ComputationGraph> loaded = new ArrayList<>();
            for (byte[] b : graphs.value()) {
                try {
                    loaded.add(ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(b), false));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot load a verified model: " + e.getMessage(), e);
                }
            }
            return new EnsembleModel(loaded, spec, settings.selfEnsemble());
        }
    }
}
