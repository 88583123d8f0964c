package org.imagepipeline.restoration;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.image.ImageGrid;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.store.RunDir;

import java.util.ArrayList;
import java.util.List;

/** Sample grids of a restoration run: one row per image, columns degraded | restored | ground truth. */
public final class Samples {
    private Samples() {}

    /** Restores the first {@code rows} pairs and writes the grid as {@code samples/<name>}. */
    static void writeGrid(RunDir run, String name, ComputationGraph graph, List<TrainingPair> pairs, ModelSpec spec, int rows) {
        List<Image[]> triples = new ArrayList<>();
        for (TrainingPair p : pairs.subList(0, Math.min(rows, pairs.size()))) {
            triples.add(new Image[] {p.degraded(), Inference.restore(graph, spec, p.degraded()), p.clean()});
        }
        if (!triples.isEmpty()) run.writeBytes("samples/" + name, ImageCodec.encodePng(ImageGrid.of(triples), 8));
    }
}
