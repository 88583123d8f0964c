package org.imagepipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.augment.Noise;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Ingest;
import org.imagepipeline.data.IngestSettings;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.eval.Evaluator;
import org.imagepipeline.eval.MetricAccumulator;
import org.imagepipeline.eval.MetricSet;
import org.imagepipeline.eval.Metrics;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.model.Inference;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.train.RestorationTrainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Denoising quality on real photos after a fixed training budget, under the protocol of
 * ARCHITECTURE.md: grayscale, top-left 512x512 crop, Gaussian noise of sigma 25 on [0,255],
 * clipped; PSNR/SSIM of the noisy input and of the model, mean over the images, beside the
 * scikit-image reference numbers measured on ../shared/data/photos. The model trains only on
 * generated images (never on the photos it is scored on), with the run's settings and
 * pipeline.train.time-budget-seconds set to the budget.
 */
public final class DenoiseBench {
    /** scikit-image numbers on ../shared/data/photos under the same protocol (ARCHITECTURE.md). */
    private static final double[][] REFERENCE = {{20.78, 0.332}, {30.11, 0.818}, {29.83, 0.814}, {28.13, 0.723}};
    private static final String[] REFERENCE_NAMES = {"noisy_input", "nl_means", "total_variation", "wavelet"};

    private DenoiseBench() {}

    /** A run trained by {@link #trainOnGenerated}: its directory, the trainer's result and the wall time. */
    public record Trained(RunDir run, RestorationTrainer.Result result, double seconds) {}

    /**
     * Trains {@code s}'s model (for train.time-budget-seconds / train.epochs) on {@code trainImages}
     * generated gray images of {@code imageSize}², ingested under {@code dir}; the run is {@code dir}/runs/bench.
     */
    public static Trained trainOnGenerated(SparkSession spark, PipelineSettings s, Path dir, int trainImages, int imageSize) {
        Path gen = dir.resolve("train-images");
        SyntheticImages.writePngs(gen, trainImages, imageSize, 1, s.run().seed());
        String root = dir.toUri().toString();
        String catalog = root + "/catalog";
        Ingest.run(spark, s.ingest().withPaths(gen.toUri().toString(), catalog));
        RunDir run = new RunDir(root, "bench", spark.sparkContext().hadoopConfiguration());
        run.writeText("config.conf", s.rendered());
        long t0 = System.nanoTime();
        RestorationTrainer.Result trained = new RestorationTrainer(s).train(spark, run, catalog);
        return new Trained(run, trained, (System.nanoTime() - t0) / 1e9);
    }

    public static ObjectNode run(SparkSession spark, PipelineSettings s, Path workDir, Path photos, int trainImages,
                                 int imageSize) {
        if (!Files.isDirectory(photos)) {
            throw new IllegalArgumentException("The photo folder " + photos + " does not exist; pass one as the bench's "
                    + "second argument (the project's benchmark photos are in ../shared/data/photos)");
        }
        IngestSettings is = s.ingest();
        Trained t = trainOnGenerated(spark, s, workDir.resolve("denoise-bench"), trainImages, imageSize);
        RunDir run = t.run();
        RestorationTrainer.Result trained = t.result();
        double trainSeconds = t.seconds();
        var graph = CheckpointStore.load(new org.apache.hadoop.fs.Path(trained.bestCheckpoint()), run.hadoopConf()).graph();

        List<Path> files;
        try (Stream<Path> st = Files.list(photos)) {
            files = st.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MetricAccumulator noisyAcc = new MetricAccumulator();
        MetricAccumulator modelAcc = new MetricAccumulator();
        ArrayNode perImage = new ObjectMapper().createArrayNode();
        for (Path f : files) {
            Image clean;
            try {
                clean = ImageCodec.decode(Files.readAllBytes(f), f.toString(), is.maxPixels()).image().toGray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            clean = clean.crop(0, 0, Math.min(512, clean.height()), Math.min(512, clean.width()));
            Image noisy = Noise.gaussian(clean, 25, new SplittableRandom(f.getFileName().toString().hashCode())).clamp01();
            Image restored = Inference.restore(graph, s.model(), noisy);
            MetricSet n = Metrics.all(noisy, clean);
            MetricSet m = Metrics.all(restored, clean);
            noisyAcc.add(n);
            modelAcc.add(m);
            ObjectNode row = perImage.addObject();
            row.put("image", f.getFileName().toString());
            row.put("noisy_psnr", n.psnr());
            row.put("model_psnr", m.psnr());
            row.put("model_ssim", m.ssim());
        }
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("protocol", "gray (BT.601 luma), top-left 512x512 crop, Gaussian sigma 25 on [0,255], clipped; mean over images");
        out.put("photos", photos.toString());
        out.put("images", files.size());
        out.put("network", String.valueOf(s.model()));
        out.put("train_images", trainImages + " generated, " + imageSize + "x" + imageSize + " gray");
        out.put("budget_seconds", s.train().timeBudgetSeconds());
        out.put("train_seconds", trainSeconds);
        out.put("epochs", trained.epochsDone());
        out.put("stop_reason", trained.stopReason());
        Evaluator.put(out.putObject("noisy_input"), noisyAcc.mean());
        Evaluator.put(out.putObject("model"), modelAcc.mean());
        ObjectNode ref = out.putObject("scikit_image_reference");
        for (int i = 0; i < REFERENCE.length; i++) {
            ObjectNode r = ref.putObject(REFERENCE_NAMES[i]);
            r.put("psnr", REFERENCE[i][0]);
            r.put("ssim", REFERENCE[i][1]);
        }
        out.put("model_minus_nl_means_db", modelAcc.mean().psnr() - REFERENCE[1][0]);
        out.set("per_image", perImage);
        out.put("run", run.toString());
        return out;
    }
}
