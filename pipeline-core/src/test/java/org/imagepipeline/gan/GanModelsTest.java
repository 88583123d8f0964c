package org.imagepipeline.gan;

import org.imagepipeline.model.LayerParams;
import org.imagepipeline.config.GanSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanModelsTest {

    @Test
    void shapesFollowResolutionChannelsAndLatentSize() {
        for (String upsampling : new String[] {GanSettings.Upsampling.TRANSPOSED.toString(), GanSettings.Upsampling.RESIZE.toString()})
        for (int res : new int[] {28, 32, 64}) {
            for (int channels : new int[] {1, 3}) {
                GanSettings s = GanTestSettings.gan(Map.of("gan.resolution", String.valueOf(res),
                        "gan.channels", String.valueOf(channels), "gan.latent-size", "5", "gan.upsampling", upsampling));
                ComputationGraph g = GanModels.generator(s, 1);
                INDArray images = g.outputSingle(Nd4j.randn(DataType.FLOAT, 3, 5));
                assertArrayEquals(new long[] {3, channels, res, res}, images.shape(),
                        upsampling + ", " + res + " px, " + channels + " channels");
                assertTrue(images.amaxNumber().doubleValue() <= 1.0, "tanh output stays in [-1,1]");

                ComputationGraph d = GanModels.discriminator(s, 2);
                INDArray p = d.outputSingle(images);
                assertArrayEquals(new long[] {3, 1}, p.shape());
                assertTrue(p.minNumber().doubleValue() > 0 && p.maxNumber().doubleValue() < 1, "probabilities");

                ComputationGraph c = GanModels.combined(s, 3);
                assertArrayEquals(new long[] {3, 1}, c.outputSingle(Nd4j.randn(DataType.FLOAT, 3, 5)).shape());
            }
        }
    }

    @Test
    void parameterCountsMatchTheDcganLayout() {
        // 28 px: dense to 7x7x(2F), one 4x4 transposed conv to F maps, one to the image;
        // discriminator: 4x4 convs to F and 2F maps at 14 and 7 px, then a dense logit.
        int latent = 8, f = 4, fd = 4;
        GanSettings s = GanTestSettings.gan(Map.of());
        long top = 2L * f * 7 * 7;
        long bnParams = 4; // gamma, beta, running mean, running variance per feature
        long gen = latent * top + bnParams * top
                + 16L * (2 * f) * f + bnParams * f
                + 16L * f + 1;
        long dis = (16L * fd + fd) + (16L * fd * 2 * fd + 2 * fd) + (7L * 7 * 2 * fd + 1);
        ComputationGraph g = GanModels.generator(s, 1);
        ComputationGraph d = GanModels.discriminator(s, 1);
        assertEquals(gen, g.numParams());
        assertEquals(dis, d.numParams());
        ComputationGraph c = GanModels.combined(s, 1);
        assertEquals(gen + dis, c.numParams());
        assertEquals(gen, GanModels.paramCount(c, GanModels.G_PREFIX));
        assertEquals(dis, GanModels.paramCount(c, GanModels.D_PREFIX));
    }

    @Test
    void resizeUpsamplingUsesThreeByThreeConvolutionsAndKeepsTheDiscriminator() {
        // Nearest x2 (no parameters), then a 3x3 convolution to F maps, and again to the image.
        int latent = 8, f = 4;
        GanSettings s = GanTestSettings.gan(Map.of("gan.upsampling", "resize"));
        long top = 2L * f * 7 * 7;
        long gen = latent * top + 4 * top + 9L * (2 * f) * f + 4L * f + 9L * f + 1;
        assertEquals(gen, GanModels.generator(s, 1).numParams());
        assertEquals(GanModels.discriminator(GanTestSettings.gan(Map.of()), 1).numParams(), GanModels.discriminator(s, 1).numParams());
        ComputationGraph c = GanModels.combined(s, 1);
        assertEquals(gen, GanModels.paramCount(c, GanModels.G_PREFIX));
    }

    @Test
    void baseConvolutionsAddThreeByThreeBlocksAtTheBaseResolution() {
        // Two 3x3 convolutions from 2F to 2F maps at 7x7 (no bias, batch norm after each) before the
        // resize-convolution levels; the image keeps its shape and the discriminator is untouched.
        int latent = 8, f = 4;
        GanSettings plain = GanTestSettings.gan(Map.of("gan.upsampling", "resize"));
        GanSettings s = GanTestSettings.gan(Map.of("gan.upsampling", "resize", "gan.generator-base-convs", "2"));
        long block = 9L * (2 * f) * (2 * f) + 4L * (2 * f);
        ComputationGraph g = GanModels.generator(s, 1);
        assertEquals(GanModels.generator(plain, 1).numParams() + 2 * block, g.numParams());
        assertArrayEquals(new long[] {3, 1, 28, 28}, g.outputSingle(Nd4j.randn(DataType.FLOAT, 3, latent)).shape());
        assertEquals(GanModels.discriminator(plain, 1).numParams(), GanModels.discriminator(s, 1).numParams());
        assertEquals(g.numParams(), GanModels.paramCount(GanModels.combined(s, 1), GanModels.G_PREFIX));
        assertTrue(!s.trainingHash(1, 2).equals(plain.trainingHash(1, 2)), "a run with other base convolutions does not resume");
    }

    @Test
    void fittingTheCombinedGraphTrainsTheGeneratorAndNotTheDiscriminator() {
        GanSettings s = GanTestSettings.gan(Map.of("gan.learning-rate-g", "0.01"));
        ComputationGraph g = GanModels.generator(s, 1);
        ComputationGraph d = GanModels.discriminator(s, 2);
        ComputationGraph c = GanModels.combined(s, 3);
        LayerParams.copy(g, c, GanModels.G_PREFIX);
        LayerParams.copy(d, c, GanModels.D_PREFIX);
        INDArray z = Nd4j.randn(DataType.FLOAT, 8, 8);
        assertEquals(0, g.outputSingle(z).sub(c.feedForward(z, false).get(GanModels.G_OUT)).amaxNumber().doubleValue(), 1e-6,
                "the combined graph's generator is the generator after copying");

        INDArray dBefore = d.params().dup();
        INDArray gBefore = g.params().dup();
        for (int i = 0; i < 3; i++) c.fit(new DataSet(z, Nd4j.ones(DataType.FLOAT, 8, 1)));

        ComputationGraph dAfter = GanModels.discriminator(s, 99);
        LayerParams.copy(c, dAfter, GanModels.D_PREFIX);
        assertEquals(0.0, dAfter.params().sub(dBefore).amaxNumber().doubleValue(), 0.0, "discriminator weights unchanged");
        ComputationGraph gAfter = GanModels.generator(s, 99);
        LayerParams.copy(c, gAfter, GanModels.G_PREFIX);
        assertTrue(gAfter.params().sub(gBefore).amaxNumber().doubleValue() > 1e-4, "generator weights changed");
    }

    @Test
    void theDiscriminatorLearnsToRecogniseRealImagesWithinTenMinibatches() {
        // Real images: a bright bar on black; fakes: the untrained generator's, as in the first
        // rounds. With the discriminator's weights drawn from N(0, 0.02) (no batch norm to rescale
        // them) D(x) was still 0.50 after 10 minibatches, and a 30-minute MNIST run drew blobs.
        GanSettings s = GanTestSettings.gan(Map.of());
        ComputationGraph g = GanModels.generator(s, 1);
        ComputationGraph d = GanModels.discriminator(s, 2);
        SplittableRandom rng = new SplittableRandom(3);
        int half = 32;
        for (int k = 0; k < 10; k++) {
            INDArray fake = g.feedForward(GanImages.latent(k, half, s.latentSize()), true).get(GanModels.G_OUT).dup();
            d.fit(new DataSet(Nd4j.concat(0, bars(rng, half), fake), Nd4j.concat(0,
                    Nd4j.valueArrayOf(new long[] {half, 1}, s.realLabel(), DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, half, 1))));
        }
        double dReal = d.outputSingle(false, bars(rng, 64)).meanNumber().doubleValue();
        double dFake = d.outputSingle(false, g.feedForward(GanImages.latent(99, 64, s.latentSize()), true)
                .get(GanModels.G_OUT)).meanNumber().doubleValue();
        assertTrue(dReal > 0.7 && dReal - dFake > 0.2, "after 10 minibatches: mean D(x) " + dReal + ", mean D(G(z)) " + dFake);
    }

    @Test
    void recalibratedBatchNormsMakeInferenceMatchTrainingModeOnTheBatch() {
        GanSettings s = GanTestSettings.gan(Map.of());
        ComputationGraph g = GanModels.generator(s, 1);
        INDArray z = GanImages.latent(7, 64, s.latentSize());
        INDArray train = g.feedForward(z, true).get(GanModels.G_OUT).dup();
        double before = g.outputSingle(false, z).sub(train).amaxNumber().doubleValue();
        GanModels.recalibrateBatchNorm(g, z);
        double after = g.outputSingle(false, z).sub(train).amaxNumber().doubleValue();
        assertTrue(before > 0.05, "the initial running statistics differ from the batch's: " + before);
        assertEquals(0, after, 5e-3, "inference after recalibration vs training mode (before: " + before + ")");
    }

    /** {@code n} 28 px images in [-1,1]: a vertical bar 3 px wide at a random column on black. */
    private static INDArray bars(SplittableRandom rng, int n) {
        INDArray x = Nd4j.valueArrayOf(new long[] {n, 1, 28, 28}, -1f, DataType.FLOAT);
        for (int i = 0; i < n; i++) {
            int col = 6 + rng.nextInt(16);
            for (int y = 4; y < 24; y++) for (int dx = 0; dx < 3; dx++) x.putScalar(new long[] {i, 0, y, col + dx}, 1f);
        }
        return x;
    }
}
