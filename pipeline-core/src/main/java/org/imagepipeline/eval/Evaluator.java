package org.imagepipeline.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.EvalSettings;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.train.PairSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores a checkpoint on the catalog's test split: each test image (top-left crop) is degraded
 * with a seed fixed by the run seed and its hash, restored on the executors, and PSNR, SSIM, MSE
 * and MAE are computed for the degraded input and for the restored output against the clean
 * image. Writes {@code eval/metrics.json} and before/after/ground-truth PNGs to
 * {@code eval/samples/}.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The "epoch" test degradations derive from; apart from training and validation. */
    static final int TEST_EPOCH = -2;

    /** Means over the test images, and where the results were written. */
    public record Result(long images, MetricSet input, MetricSet output, String metricsPath, String samplesDir) {}

    /** One test image's scores; the images are kept only for the first few (samples). */
    record Row(String hash, int index, MetricSet input, MetricSet output, Image degraded, Image restored, Image clean)
            implements Serializable {}

    private Evaluator() {}

    public static Result run(SparkSession spark, PipelineSettings s, RunDir run, Path checkpointDir, String catalogDir) {
        EvalSettings e = s.eval();
        CheckpointStore.Loaded ckpt = CheckpointStore.load(checkpointDir, run.hadoopConf());
        ModelSpec spec = s.model();
        byte[] modelBytes = serialize(ckpt.graph());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> model = jsc.broadcast(modelBytes);
        MetricOptions options = e.colorSpace() == EvalSettings.ColorSpace.Y ? MetricOptions.luma(e.border()) : new MetricOptions(e.border(), MetricOptions.Space.RGB);
        int samples = e.samples();
        long max = e.maxImages();

        List<Row> rows = Catalog.images(spark, catalogDir, "test", spec.channels(), s.ingest().maxPixels())
                .zipWithIndex()
                .filter(t -> t._2() < max)
                .mapPartitions(it -> {
                    List<Row> out = new ArrayList<>();
                    if (!it.hasNext()) return out.iterator();
                    ComputationGraph graph = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(model.value()), false);
                    while (it.hasNext()) {
                        var t = it.next();
                        String hash = t._1()._1();
                        int index = t._2().intValue();
                        TrainingPair pair = PairSource.wholeImagePair(t._1()._2(), hash, s, TEST_EPOCH, e.crop());
                        Image restored = Inference.restore(graph, spec, pair.degraded());
                        boolean keep = index < samples;
                        out.add(new Row(hash, index, Metrics.all(pair.degraded(), pair.clean(), options),
                                Metrics.all(restored, pair.clean(), options),
                                keep ? pair.degraded() : null, keep ? restored : null, keep ? pair.clean() : null));
                    }
                    return out.iterator();
                })
                .collect();
        model.destroy();
        if (rows.isEmpty()) {
            throw new IllegalStateException("The catalog " + catalogDir + " has no images in its test split to evaluate on; "
                    + "ingest more images or raise pipeline.ingest.test-fraction");
        }
        rows = new ArrayList<>(rows);
        rows.sort(Comparator.comparingInt(Row::index));

        MetricAccumulator in = new MetricAccumulator();
        MetricAccumulator outAcc = new MetricAccumulator();
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode perImage = JSON.createArrayNode();
        for (Row r : rows) {
            in.add(r.input());
            outAcc.add(r.output());
            ObjectNode n = perImage.addObject();
            n.put("hash", r.hash());
            put(n.putObject("input"), r.input());
            put(n.putObject("output"), r.output());
            if (r.clean() != null) {
                String prefix = String.format("eval/samples/%02d-%s-", r.index(), r.hash().substring(0, 8));
                run.writeBytes(prefix + "degraded.png", ImageCodec.encodePng(r.degraded(), 8));
                run.writeBytes(prefix + "restored.png", ImageCodec.encodePng(r.restored(), 8));
                run.writeBytes(prefix + "truth.png", ImageCodec.encodePng(r.clean(), 8));
            }
        }
        MetricSet inputMean = in.mean();
        MetricSet outputMean = outAcc.mean();
        doc.put("checkpoint", checkpointDir.toString());
        doc.put("split", "test");
        doc.put("images", rows.size());
        ObjectNode protocol = doc.putObject("protocol");
        protocol.put("crop", e.crop());
        protocol.put("border", e.border());
        protocol.put("color_space", e.colorSpace().toString());
        protocol.put("psnr", "10*log10(MAX^2/MSE) on [0,1] samples (MAX = 255 on 8-bit), mean over images");
        protocol.put("ssim", "Wang et al. 2004, 11x11 Gaussian window sigma 1.5, K1 0.01, K2 0.03, population statistics, valid map");
        put(doc.putObject("input"), inputMean);
        put(doc.putObject("output"), outputMean);
        doc.put("psnr_gain_db", outputMean.psnr() - inputMean.psnr());
        doc.set("per_image", perImage);
        try {
            run.writeText("eval/metrics.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        LOG.info("Evaluated {} test images: input {} -> restored {}", rows.size(), inputMean, outputMean);
        return new Result(rows.size(), inputMean, outputMean, run.resolve("eval/metrics.json").toString(),
                run.resolve("eval/samples").toString());
    }

    /** Writes a metric set's fields into a JSON object. */
    public static void put(ObjectNode n, MetricSet m) {
        n.put("psnr", m.psnr());
        n.put("ssim", m.ssim());
        n.put("mse", m.mse());
        n.put("mae", m.mae());
    }

    static byte[] serialize(ComputationGraph graph) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(graph, bytes, false);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot serialize the model: " + ex.getMessage(), ex);
        }
        return bytes.toByteArray();
    }
}
