package org.imagepipeline.jobs.bench;

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
import org.imagepipeline.restore.EnsembleModel;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.restoration.RestorationTrainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Denoising quality on real photos after a fixed training budget: grayscale, top-left 512x512
 * crop, Gaussian noise of sigma 25 on [0,255], clipped; PSNR/SSIM of the noisy input and of the
 * model, mean over the images, beside scikit-image's classical denoisers measured under the same
 * protocol on its 14 sample photos (coffee, rocket, motorcycle_left, grass, gravel, brick, coins,
 * moon, page, horse, hubble_deep_field, ihc, retina, color): the reference is meaningful for that
 * set of photos only.
 *
 * <p>With {@code folds = 0} one model trains on generated images only and scores every photo.
 * With {@code folds = k >= 2} the photos are split into k folds (by sorted name); for each fold a
 * model trains on the generated images plus non-overlapping tiles of the other folds' photos and
 * scores only the photos of its fold, so no photo is ever scored by a model that saw it. Each
 * model trains for pipeline.train.time-budget-seconds. Each model is scored as one pass and as the
 * restore job's x8 self-ensemble (restore.self-ensemble).
 */
public final class DenoiseBench {
    /** scikit-image's noisy input, NL-means, TV and wavelet PSNR / SSIM on its 14 sample photos, same protocol. */
    private static final double[][] REFERENCE = {{20.78, 0.332}, {30.11, 0.818}, {29.83, 0.814}, {28.13, 0.723}};
    private static final String[] REFERENCE_NAMES = {"noisy_input", "nl_means", "total_variation", "wavelet"};

    private DenoiseBench() {}

    /** A run trained by {@link #trainOnGenerated}: its directory, the trainer's result and the wall time. */
    public record Trained(RunDir run, RestorationTrainer.Result result, double seconds) {}

    /**
     * Trains {@code s}'s model (for train.time-budget-seconds / train.epochs) on {@code trainImages}
     * generated gray images of {@code imageSize}² (a share demo.dead-leaves-share of them dead leaves,
     * a share demo.clipped-share with a clipped exposure)
     * plus any images already in {@code dir}/train-images,
     * ingested under {@code dir}; the run is {@code dir}/runs/bench.
     */
    public static Trained trainOnGenerated(SparkSession spark, PipelineSettings s, Path dir, int trainImages, int imageSize) {
        Path gen = dir.resolve("train-images");
        SyntheticImages.writePngs(gen, trainImages, imageSize, 1, s.run().seed(), s.demo().deadLeavesShare(),
                s.demo().clippedShare());
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
                                 int imageSize, int folds) {
        if (!Files.isDirectory(photos)) {
            throw new IllegalArgumentException("The photo folder " + photos + " does not exist; pass a folder of photos as "
                    + "the bench's first argument");
        }
        List<Path> files;
        try (Stream<Path> st = Files.list(photos)) {
            files = st.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (folds == 1 || folds < 0 || folds > files.size()) {
            throw new IllegalArgumentException("folds must be 0 (train on generated images only) or between 2 and the "
                    + "number of photos (" + files.size() + "), got " + folds);
        }
        IngestSettings is = s.ingest();
        List<Image> grays = files.stream().map(f -> {
            try {
                return ImageCodec.decode(Files.readAllBytes(f), f.toString(), is.maxPixels()).image().toGray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
        int models = Math.max(folds, 1);
        MetricAccumulator noisyAcc = new MetricAccumulator();
        MetricAccumulator modelAcc = new MetricAccumulator();
        MetricAccumulator ensembleAcc = new MetricAccumulator();
        ObjectMapper json = new ObjectMapper();
        ArrayNode perImage = json.createArrayNode();
        ArrayNode trainings = json.createArrayNode();
        for (int fold = 0; fold < models; fold++) {
            Path foldDir = workDir.resolve("fold-" + fold);
            Path trainDir = foldDir.resolve("train-images");
            int tiles = 0;
            for (int i = 0; i < files.size() && folds > 0; i++) {
                if (i % folds != fold) tiles += writeTiles(grays.get(i), imageSize, trainDir, "photo-" + i);
            }
            Trained tr = trainOnGenerated(spark, s, foldDir, trainImages, imageSize);
            RunDir run = tr.run();
            RestorationTrainer.Result trained = tr.result();
            ObjectNode t = trainings.addObject();
            t.put("fold", fold);
            t.put("train_images", trainImages + " generated " + imageSize + "x" + imageSize + " gray + " + tiles
                    + " tiles of " + imageSize + "x" + imageSize + " from the other folds' photos");
            t.put("dead_leaves_share", s.demo().deadLeavesShare());
            t.put("clipped_share", s.demo().clippedShare());
            t.put("train_seconds", tr.seconds());
            t.put("epochs", trained.epochsDone());
            t.put("best_val_psnr", trained.bestValPsnr());
            t.put("stop_reason", trained.stopReason());
            t.put("run", run.toString());
            var graph = CheckpointStore.load(new org.apache.hadoop.fs.Path(trained.bestCheckpoint()), run.hadoopConf())
                    .graph();
            EnsembleModel x8 = new EnsembleModel(List.of(graph), s.model(), true);
            for (int i = 0; i < files.size(); i++) {
                if (folds > 0 && i % folds != fold) continue;
                Image full = grays.get(i);
                Image clean = full.crop(0, 0, Math.min(512, full.height()), Math.min(512, full.width()));
                String name = files.get(i).getFileName().toString();
                Image noisy = Noise.gaussian(clean, 25, new SplittableRandom(name.hashCode())).clamp01();
                Image restored = Inference.restore(graph, s.model(), noisy);
                MetricSet n = Metrics.all(noisy, clean);
                MetricSet m = Metrics.all(restored, clean);
                MetricSet e = Metrics.all(x8.restore(List.of(noisy)).get(0), clean);
                noisyAcc.add(n);
                modelAcc.add(m);
                ensembleAcc.add(e);
                ObjectNode row = perImage.addObject();
                row.put("image", name);
                row.put("fold", fold);
                row.put("noisy_psnr", n.psnr());
                row.put("model_psnr", m.psnr());
                row.put("model_ssim", m.ssim());
                row.put("model_x8_psnr", e.psnr());
            }
        }
        ObjectNode out = json.createObjectNode();
        out.put("protocol", "gray (BT.601 luma), top-left 512x512 crop, Gaussian sigma 25 on [0,255], clipped; mean over images");
        out.put("photos", photos.toString());
        out.put("images", files.size());
        out.put("network", String.valueOf(s.model()));
        out.put("folds", folds == 0 ? "none: one model trained on generated images only"
                : folds + " (each photo scored by a model that never saw it)");
        out.put("budget_seconds_per_model", s.train().timeBudgetSeconds());
        out.set("trainings", trainings);
        Evaluator.put(out.putObject("noisy_input"), noisyAcc.mean());
        Evaluator.put(out.putObject("model"), modelAcc.mean());
        // The restore job's restore.self-ensemble: the mean over the 8 flips/rotations, 8x the work.
        Evaluator.put(out.putObject("model_self_ensemble_x8"), ensembleAcc.mean());
        ObjectNode ref = out.putObject("scikit_image_reference");
        for (int i = 0; i < REFERENCE.length; i++) {
            ObjectNode r = ref.putObject(REFERENCE_NAMES[i]);
            r.put("psnr", REFERENCE[i][0]);
            r.put("ssim", REFERENCE[i][1]);
        }
        out.put("model_minus_nl_means_db", modelAcc.mean().psnr() - REFERENCE[1][0]);
        out.put("model_x8_minus_nl_means_db", ensembleAcc.mean().psnr() - REFERENCE[1][0]);
        out.set("per_image", perImage);
        return out;
    }

    /** Writes the non-overlapping size x size tiles of a gray image as 8-bit PNGs; returns how many. */
    private static int writeTiles(Image gray, int size, Path dir, String prefix) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Creating " + dir + " failed.", e);
        }
        int n = 0;
        for (int y = 0; y + size <= gray.height(); y += size) {
            for (int x = 0; x + size <= gray.width(); x += size) {
                Path file = dir.resolve(String.format(Locale.ROOT, "%s-%04d-%04d.png", prefix, y, x));
                try {
                    Files.write(file, ImageCodec.encodePng(gray.crop(y, x, size, size), 8));
                } catch (IOException e) {
                    throw new UncheckedIOException("Writing the training tile " + file + " failed.", e);
                }
                n++;
            }
        }
        return n;
    }
}
