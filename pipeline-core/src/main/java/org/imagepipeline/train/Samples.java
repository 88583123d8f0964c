package org.imagepipeline.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.store.RunDir;

import java.util.ArrayList;
import java.util.List;

/** Sample grids: one row per image, columns degraded | restored | ground truth, 2 px gaps. */
public final class Samples {
    private static final int GAP = 2;

    private Samples() {}

    /** Restores the first {@code rows} pairs and writes the grid as {@code samples/<name>}. */
    static void writeGrid(RunDir run, String name, ComputationGraph graph, List<TrainingPair> pairs, ModelSpec spec, int rows) {
        List<Image[]> triples = new ArrayList<>();
        for (TrainingPair p : pairs.subList(0, Math.min(rows, pairs.size()))) {
            triples.add(new Image[] {p.degraded(), Inference.restore(graph, spec, p.degraded()), p.clean()});
        }
        if (!triples.isEmpty()) run.writeBytes("samples/" + name, ImageCodec.encodePng(grid(triples), 8));
    }

    /** Lays out rows of images side by side on a white background; mixed gray/RGB becomes RGB. */
    public static Image grid(List<Image[]> rows) {
        int channels = 1;
        int width = 0;
        int height = 0;
        for (Image[] row : rows) {
            int w = 0;
            int h = 0;
            for (Image im : row) {
                channels = Math.max(channels, im.channels());
                w += im.width() + GAP;
                h = Math.max(h, im.height());
            }
            width = Math.max(width, w - GAP);
            height += h + GAP;
        }
        Image out = new Image(channels, Math.max(1, height - GAP), Math.max(1, width));
        java.util.Arrays.fill(out.data(), 1f);
        int y0 = 0;
        for (Image[] row : rows) {
            int x0 = 0;
            int h = 0;
            for (Image im : row) {
                Image src = im.withChannels(channels);
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < src.height(); y++) {
                        System.arraycopy(src.data(), src.index(c, y, 0), out.data(), out.index(c, y0 + y, x0), src.width());
                    }
                }
                x0 += im.width() + GAP;
                h = Math.max(h, im.height());
            }
            y0 += h + GAP;
        }
        return out;
    }
}
