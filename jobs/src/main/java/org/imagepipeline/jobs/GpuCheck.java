package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Batches;
import org.imagepipeline.runtime.FastPath;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.Loss;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.RestorationModels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * The pieces of the {@code gpu-check} job: a fixed CPU reference (a small restoration model, an
 * input batch, an image, and what the CPU build computes for them), the comparison of another
 * backend's results with it, and a short training throughput measurement. Kept apart from the
 * job so that tests run the reference and the comparison on the CPU build.
 */
final class GpuCheck {
    /** The saved model (ModelSerializer, with updater). */
    static final String MODEL = "model.zip";
    /** The input batch, [batch, channels, height, width], as .npy. */
    static final String INPUT = "input.npy";
    /** The CPU build's output for {@link #INPUT}. */
    static final String EXPECTED = "expected.npy";
    /** One image for {@link Inference#restore}, [channels, height, width], as .npy. */
    static final String IMAGE = "image.npy";
    /** The CPU build's restoration of {@link #IMAGE}. */
    static final String EXPECTED_RESTORED = "expected-restored.npy";
    /** What made the reference: backend, spec, shapes. */
    static final String INFO = "reference.json";

    /**
     * Largest absolute difference allowed between the CPU reference and another backend, on
     * outputs of order 1. cuDNN and oneDNN sum in other orders (and cuDNN may pick TF32-free but
     * differently blocked algorithms), which moves float32 results by about 1e-6 to 1e-5 here.
     */
    static final double TOLERANCE = 1e-3;

    /** The fixed reference network: DnCNN, 6 layers of 16 features with batch norm, gray, seed 20261126. */
    static final ModelSpec REFERENCE_SPEC = ModelSpec.builder(ModelType.DNCNN, 1).dncnnDepth(6).dncnnFeatures(16).batchNorm(true)
            .loss(Loss.MSE).learningRate(1e-3).weightDecay(0).lrSchedule(LrSchedule.NONE).adamBeta1(0.9).adamBeta2(0.999)
            .seed(20261126L).dataType(DataType.FLOAT).build();

    private static final long DATA_SEED = 7;

    private GpuCheck() {
    }

    /** The outcome of {@link #compare}. */
    record Comparison(double forwardMaxAbsDiff, double forwardMeanAbsDiff, double restoreMaxAbsDiff, double tolerance) {
        /** Whether both differences are within the tolerance (and are numbers). */
        boolean pass() {
            return forwardMaxAbsDiff <= tolerance && restoreMaxAbsDiff <= tolerance;
        }
    }

    /**
     * Builds the reference model from {@link #REFERENCE_SPEC}, runs it on a fixed batch and
     * image, and writes the model, the inputs and the outputs to {@code dir} (created if needed).
     * Run on the CPU build; {@link #compare} reads it on the CUDA build.
     */
    static void writeReference(Path dir) throws IOException {
        Files.createDirectories(dir);
        ComputationGraph graph = RestorationModels.build(REFERENCE_SPEC);
        // A few training steps move batch norm's running statistics and the weights away from
        // their initial values, so the comparison exercises trained-looking parameters.
        DataSet train = noisyPairs(4, 24, DATA_SEED + 1);
        for (int i = 0; i < 3; i++) graph.fit(train);
        ModelSerializer.writeModel(graph, dir.resolve(MODEL).toFile(), true);

        INDArray input = noisyPairs(4, 32, DATA_SEED).getFeatures();
        Nd4j.writeAsNumpy(input, dir.resolve(INPUT).toFile());
        Nd4j.writeAsNumpy(graph.outputSingle(false, input), dir.resolve(EXPECTED).toFile());

        Image image = referenceImage();
        Nd4j.writeAsNumpy(Batches.stack(List.of(image)), dir.resolve(IMAGE).toFile());
        Image restored = Inference.restore(graph, REFERENCE_SPEC, image);
        Nd4j.writeAsNumpy(Batches.stack(List.of(restored)), dir.resolve(EXPECTED_RESTORED).toFile());

        ObjectNode info = new ObjectMapper().createObjectNode();
        info.put("backend", backend());
        info.put("spec", REFERENCE_SPEC.toString());
        info.put("input_shape", Arrays.toString(input.shape()));
        info.put("image", image.toString());
        Files.writeString(dir.resolve(INFO), info.toPrettyString());
    }

    /**
     * Loads the reference of {@code dir}, runs its model on this backend and returns the
     * differences from the reference outputs.
     *
     * @throws IllegalArgumentException when a reference file is missing
     */
    static Comparison compare(Path dir, double tolerance) throws IOException {
        for (String name : List.of(MODEL, INPUT, EXPECTED, IMAGE, EXPECTED_RESTORED)) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IllegalArgumentException("The reference directory " + dir + " has no " + name
                        + "; write it first with 'pipeline gpu-check reference " + dir + "' on the CPU build.");
            }
        }
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(dir.resolve(MODEL).toFile(), true);
        INDArray input = Nd4j.createFromNpyFile(dir.resolve(INPUT).toFile());
        INDArray expected = Nd4j.createFromNpyFile(dir.resolve(EXPECTED).toFile());
        INDArray diff = Transforms.abs(graph.outputSingle(false, input).castTo(DataType.DOUBLE)
                .sub(expected.castTo(DataType.DOUBLE)), false);
        double max = diff.maxNumber().doubleValue();
        double mean = diff.meanNumber().doubleValue();

        Image image = Batches.unstack(Nd4j.createFromNpyFile(dir.resolve(IMAGE).toFile())).get(0);
        Image wanted = Batches.unstack(Nd4j.createFromNpyFile(dir.resolve(EXPECTED_RESTORED).toFile())).get(0);
        Image restored = Inference.restore(graph, REFERENCE_SPEC, image);
        double restoreMax = maxAbsDiff(restored, wanted);
        return new Comparison(nanToInfinity(max), mean, nanToInfinity(restoreMax), tolerance);
    }

    /**
     * Trains {@code spec} on random noisy/clean pairs for {@code warmup + steps} minibatches of
     * {@code batch} patches of {@code patch}×{@code patch} and returns the samples per second
     * of the last {@code steps}, with the helper that the first convolution layer got.
     */
    static ObjectNode trainThroughput(ModelSpec spec, int batch, int patch, int warmup, int steps) {
        ComputationGraph graph = RestorationModels.build(spec);
        DataSet data = noisyPairs(batch, patch, DATA_SEED + 2, spec.channels());
        for (int i = 0; i < warmup; i++) graph.fit(data);
        Nd4j.getExecutioner().commit();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) graph.fit(data);
        double score = graph.score(); // reading the score waits for the device
        Nd4j.getExecutioner().commit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("model", spec.isDncnn()
                ? "dncnn depth " + spec.dncnnDepth() + ", " + spec.dncnnFeatures() + " features, batch norm " + spec.batchNorm()
                : "unet " + spec.unetLevels() + " levels, " + spec.unetBaseFeatures() + " base features");
        n.put("channels", spec.channels());
        n.put("data_type", spec.dataType().name());
        n.put("batch", batch);
        n.put("patch", patch);
        n.put("steps", steps);
        n.put("seconds", seconds);
        n.put("samples_per_second", batch * (double) steps / seconds);
        n.put("final_loss", score);
        FastPath.Status fast = FastPath.check(graph);
        n.put("conv_helper", fast.convHelper());
        n.put("fast_path", fast.fast());
        if (!fast.fast()) {
            n.put("fast_path_problems", String.join(" ", fast.problems()));
        }
        return n;
    }

    /** ND4J's backend and, on CUDA, each device's name and compute capability as ND4J sees them. */
    static ObjectNode environment() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("backend", env.getProperty("backend", String.valueOf(env.get("backend"))));
        Object devices = env.get("cuda.devicesInformation");
        if (devices instanceof List<?> list) {
            ArrayNode arr = n.putArray("devices");
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    ObjectNode d = arr.addObject();
                    d.put("name", String.valueOf(m.get("cuda.deviceName")));
                    d.put("compute_capability", m.get("cuda.deviceMajor") + "." + m.get("cuda.deviceMinor"));
                    d.put("total_memory", String.valueOf(m.get("cuda.totalMemory")));
                }
            }
        }
        return n;
    }

    /** ND4J's backend name, e.g. "CPU" or "CUDA". */
    static String backend() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object b = env.get("backend");
        return b == null ? "unknown" : b.toString();
    }

    /** A fixed gray 40×56 synthetic image (not square, not a multiple of anything). */
    static Image referenceImage() {
        return SyntheticImages.generate(DATA_SEED, 3, 56, 1).crop(0, 0, 40, 56);
    }

    private static DataSet noisyPairs(int batch, int size, long seed) {
        return noisyPairs(batch, size, seed, REFERENCE_SPEC.channels());
    }

    /** Clean patches in [0,1] from a seeded generator and the same plus Gaussian noise (σ 0.1). */
    private static DataSet noisyPairs(int batch, int size, long seed, int channels) {
        Random rnd = new Random(seed);
        int n = batch * channels * size * size;
        float[] clean = new float[n];
        float[] noisy = new float[n];
        for (int i = 0; i < n; i++) {
            clean[i] = rnd.nextFloat();
            noisy[i] = clean[i] + (float) (0.1 * rnd.nextGaussian());
        }
        long[] shape = {batch, channels, size, size};
        return new DataSet(Nd4j.create(noisy, shape, 'c'), Nd4j.create(clean, shape, 'c'));
    }

    private static double maxAbsDiff(Image a, Image b) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs((double) x[i] - y[i]);
            if (Double.isNaN(d)) return Double.POSITIVE_INFINITY;
            max = Math.max(max, d);
        }
        return max;
    }

    private static double nanToInfinity(double v) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }
}
