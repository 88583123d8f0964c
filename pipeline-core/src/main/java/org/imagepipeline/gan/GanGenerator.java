package org.imagepipeline.gan;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.augment.Seeds;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.store.HadoopIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Samples a trained generator: {@code count} PNGs ({@code generated-00000.png}, ...) and an
 * interpolation strip ({@code interpolation.png}) under any Hadoop path. Image i's latent vector
 * is a pure function of (seed, i), so the same seed gives the same images whatever the count; the
 * strip walks in equal steps on the straight line between two latent points drawn from the seed.
 */
public final class GanGenerator {
    static final int BATCH = 64;

    private GanGenerator() {}

    /** What was written. */
    public record Result(List<Path> images, Path interpolation) {}

    public static Result generate(ComputationGraph generator, Path output, int count, long seed, int interpolationSteps,
                                  Configuration conf) {
        int latent = latentSize(generator);
        List<Path> written = new ArrayList<>();
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            INDArray z = Nd4j.vstack(IntStream.range(start, start + n)
                    .mapToObj(i -> latentFor(seed, i, latent)).toArray(INDArray[]::new));
            List<Image> images = GanImages.fromTanh(generator.outputSingle(false, z));
            for (int i = 0; i < n; i++) {
                Path p = new Path(output, String.format("generated-%05d.png", start + i));
                HadoopIO.writeAtomically(p, ImageCodec.encodePng(images.get(i), 8), conf);
                written.add(p);
            }
        }
        Path strip = null;
        if (interpolationSteps > 0) {
            INDArray a = GanImages.latent(Seeds.derive(seed, 0, "interpolation-a", 0), 1, latent);
            INDArray b = GanImages.latent(Seeds.derive(seed, 0, "interpolation-b", 0), 1, latent);
            INDArray z = Nd4j.vstack(IntStream.range(0, interpolationSteps).mapToObj(k -> {
                double t = interpolationSteps == 1 ? 0 : (double) k / (interpolationSteps - 1);
                return a.mul(1 - t).addi(b.mul(t));
            }).toArray(INDArray[]::new));
            List<Image> images = GanImages.fromTanh(generator.outputSingle(false, z));
            strip = new Path(output, "interpolation.png");
            HadoopIO.writeAtomically(strip, ImageCodec.encodePng(GanImages.grid(images, interpolationSteps), 8), conf);
        }
        return new Result(written, strip);
    }

    /** The latent vector of image {@code index} for {@code seed}, [1, latent]. */
    static INDArray latentFor(long seed, int index, int latent) {
        return GanImages.latent(Seeds.derive(seed, 0, "generate", index), 1, latent);
    }

    /** The generator's latent size: the input width of its first dense layer. */
    static int latentSize(ComputationGraph generator) {
        return (int) generator.getLayer("g_dense").getParam("W").size(0);
    }
}
