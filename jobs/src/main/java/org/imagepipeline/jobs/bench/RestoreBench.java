package org.imagepipeline.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.augment.Noise;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.RestoreSettings;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.eval.MetricAccumulator;
import org.imagepipeline.eval.Metrics;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.Loss;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.restore.BulkRestore;
import org.imagepipeline.restore.EnsembleModel;
import org.imagepipeline.restore.InputListing;
import org.imagepipeline.restore.ManifestRow;
import org.imagepipeline.restore.ModelRefs;
import org.imagepipeline.restore.PartitionRestorer;
import org.imagepipeline.restore.ResolvedModel;
import org.imagepipeline.restore.TiledRestorer;
import org.imagepipeline.store.CheckpointStore;
import org.nd4j.linalg.api.buffer.DataType;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * {@code bench restore}: (1) megapixels/s of the whole restore job (listing, decode, tiles,
 * encode, atomic writes, manifest) against the raw forward pass over the same images in this JVM;
 * (2) the peak Java heap of restoring one large image in a child JVM capped at 2 GB;
 * (3) PSNR on real photos (gray, σ 25) of one pass, the ×8 self-ensemble, and the fusion of the
 * run's last two checkpoints.
 */
public final class RestoreBench {
    private RestoreBench() {}

    /**
     * @param checkpoint a checkpoint or run directory to use, or null to train {@code s}'s model on
     *                   generated images for train.time-budget-seconds
     * @param images     generated gray 512x512 images for the throughput part
     * @param largeSide  side of the large RGB image for the heap part; 0 skips it
     */
    public static ObjectNode run(SparkSession spark, PipelineSettings s, Path work, Path photos, String checkpoint, int images,
                                 int largeSide) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        List<ResolvedModel> models = new ArrayList<>();
        if (checkpoint == null) {
            DenoiseBench.Trained t = DenoiseBench.trainOnGenerated(spark, s, work.resolve("train"), 200, 96);
            out.put("train_seconds", t.seconds());
            out.put("train_epochs", t.result().epochsDone());
            models.add(ModelRefs.resolve(t.run().path().toString(), hadoop, s));
            List<Integer> epochs = new CheckpointStore(t.run().checkpoints(), hadoop).committedEpochs();
            if (epochs.size() >= 2) {
                for (int e : epochs.subList(epochs.size() - 2, epochs.size())) {
                    String dir = new CheckpointStore(t.run().checkpoints(), hadoop).dirFor(e).toString();
                    if (!dir.equals(models.get(0).checkpoint())) models.add(ModelRefs.resolve(dir, hadoop, s));
                }
            }
        } else {
            models.add(ModelRefs.resolve(checkpoint, hadoop, s));
        }
        ResolvedModel model = models.get(0);
        ModelSpec spec = model.spec();
        ComputationGraph graph = load(model, hadoop);
        out.put("model", model.checkpoint());
        out.put("network", String.valueOf(spec));
        RestoreSettings rs = s.restore();
        int margin = rs.resolvedTileMargin(TiledRestorer.receptiveRadius(spec));

        // (1) The whole job vs the raw forward pass, same images, same JVM.
        Path in = work.resolve("throughput-in");
        SyntheticImages.writePngs(in, images, 512, spec.channels(), 11);
        RestoreSettings jobSettings = new RestoreSettings(in.toUri().toString(), work.resolve("throughput-out").toUri().toString(),
                List.of(model.checkpoint()), List.of("*"), List.of(), RestoreSettings.Format.SAME, rs.jpegQuality(), rs.tileSize(), rs.tileOverlap(),
                rs.tileMargin(), rs.batchSize(), false, rs.maxPixels(), rs.filesPerPartition(), false, 0, 1, "");
        PipelineSettings js = withRestore(s, jobSettings);
        BulkRestore.run(spark, js); // warm-up: JIT, native libraries, Spark's first job
        jobSettings = new RestoreSettings(jobSettings.input(), work.resolve("throughput-out-2").toUri().toString(), jobSettings.models(),
                jobSettings.include(), jobSettings.exclude(), RestoreSettings.Format.SAME, rs.jpegQuality(), rs.tileSize(), rs.tileOverlap(),
                rs.tileMargin(), rs.batchSize(), false, rs.maxPixels(), rs.filesPerPartition(), false, 0, 1, "");
        BulkRestore.Summary job = BulkRestore.run(spark, withRestore(s, jobSettings));
        List<Image> decoded = new ArrayList<>();
        try (Stream<Path> files = Files.list(in)) {
            for (Path f : files.sorted().toList()) decoded.add(ImageCodec.decode(Files.readAllBytes(f), f.toString(), rs.maxPixels()).image());
        }
        double pixels = decoded.size() * 512.0 * 512.0;
        // Warm-up, as the job had one: the first forward passes of a new shape allocate and JIT.
        Inference.restoreAll(graph, spec, decoded.subList(0, Math.min(decoded.size(), rs.batchSize())));
        long t0 = System.nanoTime();
        for (int i = 0; i < decoded.size(); i += rs.batchSize()) {
            Inference.restoreAll(graph, spec, decoded.subList(i, Math.min(decoded.size(), i + rs.batchSize())));
        }
        double rawSeconds = (System.nanoTime() - t0) / 1e9;
        TiledRestorer tiled = new TiledRestorer(new EnsembleModel(List.of(graph), spec, false), rs.tileSize(), rs.tileOverlap(), margin,
                rs.batchSize());
        t0 = System.nanoTime();
        for (Image im : decoded) tiled.restore(im);
        double tiledSeconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode tp = out.putObject("throughput");
        tp.put("images", decoded.size());
        tp.put("image_size", "512x512x" + spec.channels());
        tp.put("tile", rs.tileSize() + " overlap " + rs.tileOverlap() + " margin " + margin + " batch " + rs.batchSize());
        tp.put("job_megapixels_per_second", job.megapixelsPerSecond());
        tp.put("job_seconds", job.seconds());
        tp.put("raw_forward_megapixels_per_second", pixels / 1e6 / rawSeconds);
        tp.put("tiled_forward_megapixels_per_second", pixels / 1e6 / tiledSeconds);
        tp.put("overhead_ratio_job_vs_raw", (pixels / 1e6 / rawSeconds) / job.megapixelsPerSecond());
        tp.put("overhead_ratio_job_vs_tiled_forward", (pixels / 1e6 / tiledSeconds) / job.megapixelsPerSecond());
        tp.put("target_ratio", 1.15);

        // (2) Peak heap restoring one large image with a 2 GB heap, in a child JVM.
        if (largeSide > 0) out.set("large_image", largeImage(work, largeSide, rs));

        // (3) Quality: one pass vs x8 self-ensemble vs fusion, gray sigma 25, as the denoise bench.
        out.set("quality", quality(photos, models, hadoop, rs, margin));
        return out;
    }

    private static PipelineSettings withRestore(PipelineSettings s, RestoreSettings r) {
        return new PipelineSettings(s.run(), s.spark(), s.storage(), s.ingest(), s.prepare(), s.model(), s.train(), s.eval(), s.demo(),
                r, s.registry(), s.gan(), s.rendered());
    }

    private static ComputationGraph load(ResolvedModel m, Configuration conf) {
        try {
            return ModelSerializer.restoreComputationGraph(
                    new ByteArrayInputStream(ModelRefs.verifiedBytes(m, conf)), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode quality(Path photos, List<ResolvedModel> models, Configuration conf, RestoreSettings rs, int margin)
            throws IOException {
        ObjectNode q = new ObjectMapper().createObjectNode();
        if (!Files.isDirectory(photos)) {
            q.put("skipped", "no photo folder at " + photos);
            return q;
        }
        ModelSpec spec = models.get(0).spec();
        List<ComputationGraph> graphs = new ArrayList<>();
        for (ResolvedModel m : models) graphs.add(load(m, conf));
        Map<String, TiledRestorer> variants = new LinkedHashMap<>();
        variants.put("one_pass", new TiledRestorer(new EnsembleModel(graphs.subList(0, 1), spec, false), rs.tileSize(), rs.tileOverlap(), margin, rs.batchSize()));
        variants.put("self_ensemble_x8", new TiledRestorer(new EnsembleModel(graphs.subList(0, 1), spec, true), rs.tileSize(), rs.tileOverlap(), margin, rs.batchSize()));
        if (graphs.size() > 1) {
            variants.put("fusion_of_" + graphs.size(), new TiledRestorer(new EnsembleModel(graphs, spec, false), rs.tileSize(), rs.tileOverlap(), margin, rs.batchSize()));
        }
        Map<String, MetricAccumulator> acc = new LinkedHashMap<>();
        acc.put("noisy_input", new MetricAccumulator());
        variants.keySet().forEach(k -> acc.put(k, new MetricAccumulator()));
        Map<String, Double> seconds = new HashMap<>();
        List<Path> files;
        try (Stream<Path> st = Files.list(photos)) {
            files = st.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            Image clean = ImageCodec.decode(Files.readAllBytes(f), f.toString(), rs.maxPixels()).image().toGray();
            clean = clean.crop(0, 0, Math.min(512, clean.height()), Math.min(512, clean.width()));
            Image noisy = Noise.gaussian(clean, 25, new SplittableRandom(f.getFileName().toString().hashCode())).clamp01();
            acc.get("noisy_input").add(Metrics.all(noisy, clean));
            for (var v : variants.entrySet()) {
                long t0 = System.nanoTime();
                Image restored = v.getValue().restore(noisy);
                seconds.merge(v.getKey(), (System.nanoTime() - t0) / 1e9, Double::sum);
                acc.get(v.getKey()).add(Metrics.all(restored, clean));
            }
        }
        q.put("protocol", "gray (BT.601 luma), top-left 512x512 crop, Gaussian sigma 25 on [0,255], clipped; mean over images; tiled as the job");
        q.put("photos", photos.toString());
        q.put("images", files.size());
        for (var e : acc.entrySet()) {
            ObjectNode n = q.putObject(e.getKey());
            n.put("psnr", e.getValue().mean().psnr());
            n.put("ssim", e.getValue().mean().ssim());
            if (seconds.containsKey(e.getKey())) n.put("seconds", seconds.get(e.getKey()));
        }
        if (variants.containsKey("self_ensemble_x8")) {
            q.put("self_ensemble_gain_db", acc.get("self_ensemble_x8").mean().psnr() - acc.get("one_pass").mean().psnr());
        }
        return q;
    }

    /** Writes a large RGB PNG and restores it in a child JVM with -Xmx2g; that JVM's report. */
    private static ObjectNode largeImage(Path work, int side, RestoreSettings rs) throws IOException {
        Path dir = work.resolve("large");
        Files.createDirectories(dir);
        Path file = dir.resolve("large.png");
        BufferedImage big = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage tile = SyntheticImages.render(3, 0, 500);
        var g = big.createGraphics();
        for (int y = 0; y < side; y += 500) for (int x = 0; x < side; x += 500) g.drawImage(tile, x, y, null);
        g.dispose();
        try (var os = Files.newOutputStream(file)) {
            ImageIO.write(big, "png", os);
        }
        big = null;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Dorg.eclipse") || a.startsWith("-Djava.awt")) cmd.add(a);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LargeImage.class.getName(), file.toUri().toString(),
                dir.resolve("out").toUri().toString(), String.valueOf(rs.tileSize()), String.valueOf(rs.tileOverlap()),
                String.valueOf(rs.batchSize())));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String last = stdout.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
        ObjectNode r = (ObjectNode) new ObjectMapper().readTree(last);
        r.put("exit_code", rc);
        r.put("file_bytes", Files.size(file));
        return r;
    }

    /**
     * Child-JVM entry: restores one image as an executor task would (no Spark), with a small random
     * RGB DnCNN (the heap does not depend on the network: its activations live off-heap in ND4J),
     * and prints one JSON line: status, seconds, peak heap: the sum of the heap pools' peaks (an upper
     * bound that a lazy collector pushes towards -Xmx) and the largest heap left after a collection
     * (what the work keeps alive, with non-heap memory, i.e. ND4J's, uncounted).
     */
    public static final class LargeImage {
        private LargeImage() {}

        public static void main(String[] args) throws Exception {
            String input = args[0];
            String output = args[1];
            int tile = Integer.parseInt(args[2]);
            int overlap = Integer.parseInt(args[3]);
            int batch = Integer.parseInt(args[4]);
            ModelSpec spec = ModelSpec.builder(ModelType.DNCNN, 3).dncnnDepth(3).dncnnFeatures(4).batchNorm(false).loss(Loss.MSE)
                    .learningRate(1e-3).weightDecay(0).lrSchedule(LrSchedule.NONE).adamBeta1(0.9).adamBeta2(0.999).seed(1)
                    .dataType(DataType.FLOAT).build();
            ComputationGraph graph = RestorationModels.build(spec);
            RestoreSettings rs = new RestoreSettings(input, output, List.of("random"), List.of("*"), List.of(), RestoreSettings.Format.SAME, 95, tile,
                    overlap, -1, batch, false, Long.MAX_VALUE, 1, false, 0, 1, "");
            int margin = rs.resolvedTileMargin(TiledRestorer.receptiveRadius(spec));
            org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(URI.create(input));
            Configuration conf = new Configuration();
            long size = in.getFileSystem(conf).getFileStatus(in).getLen();
            var planned = new PartitionRestorer.Planned(new InputListing.Entry(in.getName(), input, size, null), in.getName(), "png", null);
            long[] liveAfterGc = {0};
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // After each collection, what survived: the peak of that is the heap the work really needs.
                ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (var u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
                    synchronized (liveAfterGc) {
                        liveAfterGc[0] = Math.max(liveAfterGc[0], used);
                    }
                }, null, null);
            }
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
            long t0 = System.nanoTime();
            List<ManifestRow> rows = new PartitionRestorer(conf, rs, new EnsembleModel(List.of(graph), spec, false), margin, "random",
                    "random", new org.apache.hadoop.fs.Path(URI.create(output)), "bench", Map.of())
                    .run(List.of(planned).iterator());
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
            }
            ManifestRow r = rows.get(0);
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("status", r.status());
            o.put("reason", r.reason());
            o.put("size", r.width() + "x" + r.height() + " RGB 8-bit");
            o.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
            o.put("peak_heap_mb_sum_of_pool_peaks", peak / (1 << 20));
            synchronized (liveAfterGc) {
                o.put("peak_live_heap_mb_after_gc", liveAfterGc[0] / (1 << 20));
            }
            o.put("seconds", seconds);
            o.put("megapixels_per_second", (double) r.width() * r.height() / 1e6 / seconds);
            o.put("decode_ms", r.decodeMs());
            o.put("restore_ms", r.restoreMs());
            o.put("write_ms", r.writeMs());
            System.out.println(o);
        }
    }
}
