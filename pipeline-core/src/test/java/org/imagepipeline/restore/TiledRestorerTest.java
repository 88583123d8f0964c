package org.imagepipeline.restore;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.augment.Dihedral;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.model.Specs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TiledRestorerTest {
    static ModelSpec dncnn(int channels, int depth, int features) {
        return dncnn(channels, depth, features, 7);
    }

    static ModelSpec dncnn(int channels, int depth, int features, long seed) {
        return Specs.builder(ModelType.DNCNN, channels).dncnnDepth(depth).dncnnFeatures(features).batchNorm(false).seed(seed).build();
    }

    /** A photo-like image: rendered shapes and text plus Gaussian noise, so the network has work to do. */
    static Image noisyPhoto(int h, int w, int channels, long seed) {
        Image clean = SyntheticImages.generate(seed, 0, Math.max(8, Math.max(h, w)), channels).crop(0, 0, h, w);
        Random rnd = new Random(seed);
        float[] d = clean.data();
        for (int i = 0; i < d.length; i++) d[i] = Math.min(1f, Math.max(0f, d[i] + (float) (rnd.nextGaussian() * 0.1)));
        return clean;
    }

    static float maxAbsDiff(Image a, Image b) {
        float m = 0;
        for (int i = 0; i < a.data().length; i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        return m;
    }

    @Test
    void tilingCoversEveryAxisSampleWithPositiveWeight() {
        for (int length : new int[] {1, 2, 31, 32, 33, 100, 257}) {
            Tiling t = new Tiling(length, 32, 12, 4);
            assertEquals(0, t.start(0));
            assertEquals(length, t.start(t.count() - 1) + t.tile(), "last tile ends at the axis end");
            float[] total = new float[length];
            for (int i = 0; i < t.count(); i++) {
                float[] w = t.weights(i);
                for (int k = 0; k < t.tile(); k++) total[t.start(i) + k] += w[k];
            }
            for (int k = 0; k < length; k++) assertTrue(total[k] > 0, "sample " + k + " of " + length + " has weight");
        }
        assertThrows(IllegalArgumentException.class, () -> new Tiling(100, 32, 8, 4), "margin must leave a ramp");
        assertThrows(IllegalArgumentException.class, () -> new Tiling(100, 32, 32, 0), "overlap below tile");
    }

    @Test
    void tiledEqualsWholeImageWhenTheMarginCoversTheReceptiveField() {
        ModelSpec spec = dncnn(3, 4, 8);
        ComputationGraph graph = RestorationModels.build(spec);
        Image input = noisyPhoto(70, 90, 3, 1);
        Image whole = Inference.restore(graph, spec, input);
        assertTrue(maxAbsDiff(whole, input) > 0.02, "the random network changes the image (the test is not vacuous)");
        int radius = TiledRestorer.receptiveRadius(spec);
        assertEquals(4, radius);
        Image tiled = new TiledRestorer(new EnsembleModel(List.of(graph), spec, false), 32, 2 * radius + 4, radius, 5)
                .restore(input);
        assertTrue(maxAbsDiff(whole, tiled) < 1e-5, "tiled vs whole: " + maxAbsDiff(whole, tiled));
    }

    @Test
    void featheringLeavesNoSeamWhereTheMarginIsTooSmall() {
        ModelSpec spec = dncnn(1, 6, 8);
        ComputationGraph graph = RestorationModels.build(spec);
        EnsembleModel model = new EnsembleModel(List.of(graph), spec, false);
        Image input = noisyPhoto(64, 96, 1, 2);
        Image whole = Inference.restore(graph, spec, input);
        // Butt-joined tiles (no overlap): each tile sees zero padding at its edges.
        Image butted = new TiledRestorer(model, 32, 0, 0, 8).restore(input);
        Image feathered = new TiledRestorer(model, 32, 12, 2, 8).restore(input);
        double buttSeam = seamError(whole, butted, new Tiling(96, 32, 0, 0));
        double featherSeam = seamError(whole, feathered, new Tiling(96, 32, 12, 2));
        assertTrue(buttSeam > 3 * featherSeam, "butt-joined seam error " + buttSeam + " vs feathered " + featherSeam);
        assertTrue(featherSeam < 1.0 / 255, "feathered error at tile borders below one 8-bit level: " + featherSeam);
    }

    /** Mean absolute error in the columns next to each interior tile edge. */
    private static double seamError(Image a, Image b, Tiling cols) {
        double sum = 0;
        int n = 0;
        for (int i = 1; i < cols.count(); i++) {
            for (int x : new int[] {cols.start(i), cols.start(i) - 1, cols.start(i - 1) + cols.tile(), cols.start(i - 1) + cols.tile() - 1}) {
                for (int y = 0; y < a.height(); y++) {
                    sum += Math.abs(a.get(0, y, x) - b.get(0, y, x));
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void tilesOfSeveralImagesShareForwardPassesAndEachImageGetsItsOwnResult() {
        ModelSpec spec = dncnn(3, 3, 4);
        ComputationGraph graph = RestorationModels.build(spec);
        EnsembleModel model = new EnsembleModel(List.of(graph), spec, false);
        List<Integer> batchSizes = new ArrayList<>();
        TileModel counting = tiles -> {
            batchSizes.add(tiles.size());
            return model.restore(tiles);
        };
        List<Image> inputs = List.of(noisyPhoto(1, 1, 3, 3), noisyPhoto(2, 3, 3, 4), noisyPhoto(40, 50, 3, 5), noisyPhoto(16, 16, 3, 6));
        List<Image> outputs = new ArrayList<>();
        List<TiledRestorer.Work> works = new ArrayList<>();
        for (Image in : inputs) {
            Image out = new Image(in.channels(), in.height(), in.width());
            outputs.add(out);
            works.add(new TiledRestorer.Work() {
                @Override public TiledRestorer.Source source() { return TiledRestorer.imageSource(in); }
                @Override public TiledRestorer.Sink sink() { return TiledRestorer.imageSink(out); }
            });
        }
        List<TiledRestorer.Work> done = new ArrayList<>();
        new TiledRestorer(counting, 16, 6, 2, 8).restoreAll(works.iterator(), done::add);
        assertEquals(works.size(), done.size());
        // 1 + 1 + 4x5 + 1 = 23 tiles; the first pass holds both small images, the 40x50 one's first
        // tile row (5 tiles) and, while that row waits, the last image.
        assertEquals(23, batchSizes.stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of(8, 5, 5, 5), batchSizes);
        for (int i = 0; i < inputs.size(); i++) {
            Image alone = new TiledRestorer(model, 16, 6, 2, 1).restore(inputs.get(i));
            assertTrue(maxAbsDiff(alone, outputs.get(i)) < 1e-5, "image " + i);
        }
    }

    @Test
    void selfEnsembleCommutesWithFlipsAndFusionOfEqualModelsEqualsOne() {
        ModelSpec spec = dncnn(3, 3, 6);
        ComputationGraph graph = RestorationModels.build(spec);
        Image input = noisyPhoto(24, 20, 3, 8);
        EnsembleModel ensemble = new EnsembleModel(List.of(graph), spec, true);
        Image direct = ensemble.restore(List.of(input)).get(0);
        Image viaFlip = Dihedral.FLIP_ROT90.inverse().apply(ensemble.restore(List.of(Dihedral.FLIP_ROT90.apply(input))).get(0));
        assertTrue(maxAbsDiff(direct, viaFlip) < 1e-5, "the x8 mean is invariant to the symmetry: " + maxAbsDiff(direct, viaFlip));
        Image plain = Inference.restore(graph, spec, input);
        Image plainViaFlip = Dihedral.FLIP_ROT90.inverse().apply(Inference.restore(graph, spec, Dihedral.FLIP_ROT90.apply(input)));
        assertTrue(maxAbsDiff(plain, plainViaFlip) > 1e-3, "a single pass is not invariant (the check above can fail)");

        Image one = new EnsembleModel(List.of(graph), spec, false).restore(List.of(input)).get(0);
        Image two = new EnsembleModel(List.of(graph, graph.clone()), spec, false).restore(List.of(input)).get(0);
        assertTrue(maxAbsDiff(one, two) < 1e-6);
        Image other = new EnsembleModel(List.of(graph, RestorationModels.build(dncnn(3, 3, 6, 99))), spec, false)
                .restore(List.of(input)).get(0);
        assertTrue(maxAbsDiff(one, other) > 1e-3, "fusing a different model changes the result");
    }

    @Test
    void identityModelUnderSelfEnsembleReturnsTheInput() {
        ModelSpec spec = dncnn(1, 3, 4);
        ComputationGraph graph = RestorationModels.build(spec);
        graph.getLayer("residual").params().assign(0); // predicted noise is 0: output = input
        Image input = noisyPhoto(9, 13, 1, 9);
        Image out = new TiledRestorer(new EnsembleModel(List.of(graph), spec, true), 8, 4, 1, 4).restore(input);
        assertTrue(maxAbsDiff(input, out) < 1e-6);
    }

    @Test
    void grayStaysGrayWithAnRgbModelAndRgbIsRestoredPlaneByPlaneWithAGrayModel() {
        ModelSpec rgb = dncnn(3, 3, 4);
        Image gray = noisyPhoto(12, 12, 1, 10);
        assertEquals(1, new EnsembleModel(List.of(RestorationModels.build(rgb)), rgb, false).restore(List.of(gray)).get(0).channels());
        ModelSpec g = dncnn(1, 3, 4);
        ComputationGraph graph = RestorationModels.build(g);
        Image colour = noisyPhoto(12, 12, 3, 11);
        Image out = new EnsembleModel(List.of(graph), g, false).restore(List.of(colour)).get(0);
        assertEquals(3, out.channels());
        Image green = Inference.restore(graph, g, colour.plane(1));
        assertTrue(maxAbsDiff(green, out.plane(1)) < 1e-6);
    }
}
