package org.imagepipeline.gan;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.augment.Seeds;
import org.imagepipeline.config.GanSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.data.ContentHash;
import org.imagepipeline.data.Splits;
import org.imagepipeline.image.Image;
import org.imagepipeline.store.HadoopIO;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * FD-classifier and classifier score of a generator, in the feature space of a small CNN
 * (two 3x3 conv + 2x2 max-pool stages, a dense "features" layer, softmax) that this class trains
 * on the catalog's labelled images, labels being parent folder names. Real-image statistics are
 * those of the train split's features; the classifier's accuracy on the val and test splits is
 * reported so a reader can judge the feature space. Classifier and statistics are cached under
 * {@code <catalog>/fd-classifier/<key>/}, the key hashing the catalog's images, labels and the
 * settings that shape them.
 */
public final class GanQuality {
    private static final Logger LOG = LoggerFactory.getLogger(GanQuality.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FEATURES = "features";
    static final String CLASSIFIER = "classifier.zip";
    static final String STATS = "real-stats.json";
    private static final int BATCH = 64;
    private static final int TRAIN_BATCH = 32;

    /**
     * What the cache holds besides the classifier. heldOutFd and heldOutScore are the FD-classifier
     * and classifier score of the held-out (val and test) real images themselves: what a generator
     * that drew real digits would reach. heldOutAccuracy, heldOutFd and heldOutScore are -1 without
     * val/test images.
     */
    public record Reference(List<String> classes, FrechetDistance.Stats real, double heldOutAccuracy, double heldOutFd,
                            double heldOutScore, int trainImages, int heldOutImages, String key) {}

    /** One measurement. */
    public record Measurement(double fd, double score) {}

    /** The classifier and real statistics, or why there are none. */
    public record Prepared(GanQuality quality, String skipped) {}

    private final ComputationGraph classifier;
    private final Reference reference;

    GanQuality(ComputationGraph classifier, Reference reference) {
        this.classifier = classifier;
        this.reference = reference;
    }

    public Reference reference() {
        return reference;
    }

    /**
     * Loads the cached classifier for this catalog and these settings, or trains it and caches it.
     * Returns a {@link Prepared} with a reason instead when the catalog has fewer than two labels.
     */
    public static Prepared prepare(SparkSession spark, String catalogDir, GanSettings s, long seed) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Map<String, String[]> rows = new TreeMap<>();
        for (Row r : Catalog.load(spark, catalogDir).select(Catalog.HASH, Catalog.PATH, Catalog.SPLIT).collectAsList()) {
            rows.put(r.getString(0), new String[] {label(r.getString(1)), r.getString(2)});
        }
        TreeSet<String> labels = new TreeSet<>();
        rows.values().forEach(v -> labels.add(v[0]));
        if (labels.size() < 2) {
            return new Prepared(null, "no labels: the catalog's images lie in " + labels.size() + " folder(s) "
                    + labels + "; FD-classifier and classifier score need images in at least two class folders "
                    + "(<class>/<image>), so they are skipped");
        }
        StringBuilder keySource = new StringBuilder(String.join("|", "fd-classifier-v2", String.valueOf(s.resolution()),
                String.valueOf(s.channels()), String.valueOf(s.quality().maxImages()),
                String.valueOf(s.quality().classifierEpochs()), String.valueOf(seed)));
        rows.forEach((h, v) -> keySource.append('\n').append(h).append(' ').append(v[0]).append(' ').append(v[1]));
        String key = ContentHash.sha256Hex(keySource.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path dir = new Path(catalogDir, "fd-classifier/" + key);
        if (HadoopIO.exists(new Path(dir, STATS), conf)) {
            try {
                Reference ref = JSON.readValue(HadoopIO.read(new Path(dir, STATS), conf), Reference.class);
                ComputationGraph c = ModelSerializer.restoreComputationGraph(
                        new ByteArrayInputStream(HadoopIO.read(new Path(dir, CLASSIFIER), conf)), false);
                LOG.info("FD-classifier: using the cached classifier {} (held-out accuracy {})", dir, ref.heldOutAccuracy());
                return new Prepared(new GanQuality(c, ref), null);
            } catch (IOException | RuntimeException e) {
                LOG.warn("FD-classifier: the cache {} cannot be read ({}); training again", dir, e.toString());
            }
        }
        List<String> classes = new ArrayList<>(labels);
        int res = s.resolution();
        int channels = s.channels();
        List<Tuple2<String, Image>> images = Catalog.images(spark, catalogDir, null, channels, Long.MAX_VALUE)
                .mapValues(im -> GanImages.toTraining(im, res, channels)).take(s.quality().maxImages());
        List<Image> trainX = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        List<Image> heldX = new ArrayList<>();
        List<Integer> heldY = new ArrayList<>();
        for (Tuple2<String, Image> t : images) {
            String[] v = rows.get(t._1());
            boolean train = Splits.TRAIN.equals(v[1]);
            (train ? trainX : heldX).add(t._2());
            (train ? trainY : heldY).add(classes.indexOf(v[0]));
        }
        if (trainX.size() < 2) throw new IllegalStateException("FD-classifier: the catalog " + catalogDir
                + " has " + trainX.size() + " labelled train images; at least 2 are needed");
        long t0 = System.nanoTime();
        ComputationGraph c = train(trainX, trainY, classes.size(), s, seed);
        double accuracy = heldX.isEmpty() ? -1 : accuracy(c, heldX, heldY);
        FrechetDistance.Stats real = FrechetDistance.stats(features(c, GanImages.toTanh(trainX)).features());
        Measurement held = heldX.isEmpty() ? new Measurement(-1, -1) : measure(c, real, List.of(GanImages.toTanh(heldX)));
        Reference ref = new Reference(classes, real, accuracy, held.fd(), held.score(), trainX.size(), heldX.size(), key);
        LOG.info("FD-classifier: trained on {} images of {} classes in {} s; on {} held-out real images: accuracy {}, "
                + "FD-classifier {}, classifier score {}", trainX.size(), classes.size(),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9), heldX.size(), accuracy, held.fd(), held.score());
        try {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModelSerializer.writeModel(c, zip, false);
            HadoopIO.writeAtomically(new Path(dir, CLASSIFIER), zip.toByteArray(), conf);
            // The statistics file is written last: its presence marks a complete cache entry.
            HadoopIO.writeAtomically(new Path(dir, STATS), JSON.writeValueAsBytes(ref), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the FD-classifier cache " + dir + ": " + e.getMessage(), e);
        }
        return new Prepared(new GanQuality(c, ref), null);
    }

    /** FD-classifier and classifier score of {@code samples} images of {@code generator}, latent vectors from {@code seed}. */
    public Measurement measure(ComputationGraph generator, int samples, long seed) {
        int latent = GanGenerator.latentSize(generator);
        List<INDArray> batches = new ArrayList<>();
        for (int start = 0, b = 0; start < samples; start += BATCH, b++) {
            int n = Math.min(BATCH, samples - start);
            batches.add(generator.outputSingle(false, GanImages.latent(Seeds.derive(seed, b, "quality", 0), n, latent)));
        }
        return measureImages(batches);
    }

    /** FD-classifier and classifier score of images in [-1,1], given as [N, C, H, W] batches. */
    Measurement measureImages(List<INDArray> batches) {
        return measure(classifier, reference.real(), batches);
    }

    /** FD-classifier against {@code real} and classifier score of {@code batches} in {@code classifier}'s features. */
    private static Measurement measure(ComputationGraph classifier, FrechetDistance.Stats real, List<INDArray> batches) {
        List<double[]> feats = new ArrayList<>();
        List<double[]> probs = new ArrayList<>();
        for (INDArray images : batches) {
            Outputs o = features(classifier, images);
            feats.addAll(List.of(o.features()));
            probs.addAll(List.of(o.probabilities()));
        }
        FrechetDistance.Stats fake = FrechetDistance.stats(feats.toArray(double[][]::new));
        return new Measurement(FrechetDistance.distance(real, fake), ClassifierScore.score(probs.toArray(double[][]::new)));
    }

    /** A path's parent folder name. */
    static String label(String path) {
        Path parent = new Path(path).getParent();
        return parent == null ? "" : parent.getName();
    }

    static ComputationGraph classifier(GanSettings s, int classes, long seed) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("image")
                .setInputTypes(InputType.convolutional(s.resolution(), s.resolution(), s.channels(), CNN2DFormat.NCHW));
        g.addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build(), "image");
        g.addLayer("pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "conv1");
        g.addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build(), "pool1");
        g.addLayer("pool2", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "conv2");
        g.addLayer(FEATURES, new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(), "pool2");
        g.addLayer("probabilities", new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).build(), FEATURES);
        g.setOutputs("probabilities");
        ComputationGraph c = new ComputationGraph(g.build());
        c.init();
        return c;
    }

    private static ComputationGraph train(List<Image> x, List<Integer> y, int classes, GanSettings s, long seed) {
        ComputationGraph c = classifier(s, classes, seed);
        int n = x.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int epoch = 0; epoch < s.quality().classifierEpochs(); epoch++) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch, "fd-classifier", 0));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += TRAIN_BATCH) {
                int m = Math.min(TRAIN_BATCH, n - start);
                List<Image> batch = new ArrayList<>(m);
                INDArray labels = Nd4j.zeros(DataType.FLOAT, m, classes);
                for (int k = 0; k < m; k++) {
                    batch.add(x.get(order[start + k]));
                    labels.putScalar(k, y.get(order[start + k]), 1);
                }
                c.fit(new DataSet(GanImages.toTanh(batch), labels));
            }
        }
        return c;
    }

    private static double accuracy(ComputationGraph c, List<Image> x, List<Integer> y) {
        int right = 0;
        for (int start = 0; start < x.size(); start += BATCH) {
            int m = Math.min(BATCH, x.size() - start);
            INDArray p = c.outputSingle(false, GanImages.toTanh(x.subList(start, start + m)));
            INDArray arg = p.argMax(1);
            for (int k = 0; k < m; k++) if (arg.getInt(k) == y.get(start + k)) right++;
        }
        return (double) right / x.size();
    }

    private record Outputs(double[][] features, double[][] probabilities) {}

    private static Outputs features(ComputationGraph c, INDArray images) {
        List<double[]> f = new ArrayList<>();
        List<double[]> p = new ArrayList<>();
        for (long start = 0; start < images.size(0); start += BATCH) {
            long end = Math.min(images.size(0), start + BATCH);
            Map<String, INDArray> acts = c.feedForward(images.get(NDArrayIndex.interval(start, end)), false);
            f.addAll(List.of(acts.get(FEATURES).castTo(DataType.DOUBLE).toDoubleMatrix()));
            p.addAll(List.of(acts.get("probabilities").castTo(DataType.DOUBLE).toDoubleMatrix()));
        }
        return new Outputs(f.toArray(double[][]::new), p.toArray(double[][]::new));
    }
}
