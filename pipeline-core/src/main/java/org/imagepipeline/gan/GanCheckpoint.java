package org.imagepipeline.gan;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.HadoopIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A GAN checkpoint, {@code checkpoints/step-NNNN/}, committed with {@link CheckpointStore}'s
 * marker protocol: {@value #GENERATOR} (generator weights and batch-norm statistics),
 * {@value #EMA} (their moving average), {@value #DISCRIMINATOR} (with its Adam state),
 * {@value #COMBINED} (generator + frozen discriminator with the generator's Adam state),
 * {@value #FIXED_Z} (the latent batch of the sample grids) and {@value #STATE} ({@link GanState}).
 */
public final class GanCheckpoint {
    public static final String PREFIX = "step";
    public static final String GENERATOR = "generator.zip";
    public static final String EMA = "generator-ema.zip";
    public static final String DISCRIMINATOR = "discriminator.zip";
    public static final String COMBINED = "combined.zip";
    public static final String FIXED_Z = "fixed-z.bin";
    public static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GanCheckpoint() {}

    /** Everything training needs to continue. */
    public record Loaded(Path dir, ComputationGraph generator, ComputationGraph ema, ComputationGraph discriminator,
                         ComputationGraph combined, INDArray fixedZ, GanState state) {}

    public static CheckpointStore store(Path checkpoints, Configuration conf) {
        return new CheckpointStore(checkpoints, conf, PREFIX);
    }

    public static Path write(CheckpointStore store, ComputationGraph generator, ComputationGraph ema,
                             ComputationGraph discriminator, ComputationGraph combined, INDArray fixedZ, GanState state) {
        Map<String, CheckpointStore.FileWriter> files = new TreeMap<>();
        files.put(GENERATOR, out -> ModelSerializer.writeModel(generator, out, false));
        files.put(EMA, out -> ModelSerializer.writeModel(ema, out, false));
        files.put(DISCRIMINATOR, out -> ModelSerializer.writeModel(discriminator, out, true));
        files.put(COMBINED, out -> ModelSerializer.writeModel(combined, out, true));
        files.put(FIXED_Z, out -> Nd4j.write(fixedZ, new DataOutputStream(out)));
        files.put(STATE, out -> out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state)));
        return store.writeFiles(state.step(), files);
    }

    /** The newest verified checkpoint of a store, loaded in full. */
    public static Optional<Loaded> loadNewest(CheckpointStore store, Configuration conf) {
        return store.newestVerified().map(dir -> load(dir, conf));
    }

    /** Loads a checkpoint that {@link CheckpointStore#verified} accepted. */
    static Loaded load(Path dir, Configuration conf) {
        return new Loaded(dir, graph(dir, GENERATOR, conf, false), graph(dir, EMA, conf, false),
                graph(dir, DISCRIMINATOR, conf, true), graph(dir, COMBINED, conf, true), fixedZ(dir, conf),
                state(dir, conf));
    }

    /**
     * The generator of a checkpoint directory (its moving average when {@code ema}), after
     * verifying the checkpoint; a clear exception when it is not a usable GAN checkpoint.
     */
    public static ComputationGraph generator(Path dir, Configuration conf, boolean ema) {
        if (!store(dir.getParent(), conf).verified(dir) || !HadoopIO.exists(new Path(dir, GENERATOR), conf)) {
            throw new IllegalStateException("Checkpoint " + dir + " is not a usable GAN checkpoint: it has no commit marker, "
                    + "its files do not match it, or it has no " + GENERATOR + " (see the log)");
        }
        return graph(dir, ema ? EMA : GENERATOR, conf, false);
    }

    static GanState state(Path dir, Configuration conf) {
        try {
            return JSON.readValue(HadoopIO.read(new Path(dir, STATE), conf), GanState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + new Path(dir, STATE) + ": " + e.getMessage(), e);
        }
    }

    private static INDArray fixedZ(Path dir, Configuration conf) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(HadoopIO.read(new Path(dir, FIXED_Z), conf)))) {
            return Nd4j.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + new Path(dir, FIXED_Z) + ": " + e.getMessage(), e);
        }
    }

    private static ComputationGraph graph(Path dir, String name, Configuration conf, boolean updater) {
        return CheckpointStore.readGraph(new Path(dir, name), conf, updater);
    }
}
