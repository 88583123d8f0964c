package org.imagepipeline.restore;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.augment.Dihedral;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.ModelSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link TileModel} over one or more trained graphs of the same architecture: the mean of
 * their outputs (multi-model fusion), each optionally the mean over the eight flips and rotations
 * of the input, each undone on the output (test-time self-ensemble, ×8 the work).
 *
 * <p>Channels: a gray tile given to an RGB model is replicated to RGB and the output taken back to
 * gray (BT.601), so gray stays gray; an RGB tile given to a gray model is restored one channel at a
 * time. Tiles of equal size share a forward pass (see {@link Inference#restoreAll}).
 */
public final class EnsembleModel implements TileModel {
    private final List<ComputationGraph> graphs;
    private final ModelSpec spec;
    private final List<Dihedral> transforms;

    public EnsembleModel(List<ComputationGraph> graphs, ModelSpec spec, boolean selfEnsemble) {
        if (graphs.isEmpty()) throw new IllegalArgumentException("An ensemble needs at least one graph");
        this.graphs = List.copyOf(graphs);
        this.spec = spec;
        this.transforms = selfEnsemble ? List.of(Dihedral.values()) : List.of(Dihedral.IDENTITY);
    }

    /** Forward passes per tile: graphs × transforms. */
    public int passesPerTile() {
        return graphs.size() * transforms.size();
    }

    @Override
    public List<Image> restore(List<Image> tiles) {
        // Split RGB tiles into planes for a gray model; keep a map back.
        List<Image> inputs = new ArrayList<>();
        for (Image t : tiles) {
            if (spec.channels() == 1 && t.channels() == 3) {
                for (int c = 0; c < 3; c++) inputs.add(t.plane(c));
            } else {
                inputs.add(t);
            }
        }
        List<Image> sums = null;
        for (ComputationGraph graph : graphs) {
            for (Dihedral d : transforms) {
                List<Image> transformed = new ArrayList<>(inputs.size());
                for (Image in : inputs) transformed.add(d == Dihedral.IDENTITY ? in : d.apply(in));
                List<Image> out = restoreSorted(graph, transformed);
                if (sums == null) {
                    sums = new ArrayList<>(out.size());
                    for (Image o : out) sums.add(d == Dihedral.IDENTITY ? o : d.inverse().apply(o));
                } else {
                    for (int i = 0; i < out.size(); i++) {
                        Image back = d == Dihedral.IDENTITY ? out.get(i) : d.inverse().apply(out.get(i));
                        float[] s = sums.get(i).data();
                        float[] b = back.data();
                        for (int k = 0; k < s.length; k++) s[k] += b[k];
                    }
                }
            }
        }
        float scale = 1f / passesPerTile();
        if (scale != 1f) {
            for (Image s : sums) {
                float[] d = s.data();
                for (int k = 0; k < d.length; k++) d[k] *= scale;
            }
        }
        List<Image> result = new ArrayList<>(tiles.size());
        int k = 0;
        for (Image t : tiles) {
            if (spec.channels() == 1 && t.channels() == 3) {
                result.add(Image.stackPlanes(List.of(sums.get(k), sums.get(k + 1), sums.get(k + 2))));
                k += 3;
            } else {
                result.add(sums.get(k++).withChannels(t.channels()));
            }
        }
        return result;
    }

    /** Restores in one pass per size, grouping equal sizes, and returns outputs in input order. */
    private List<Image> restoreSorted(ComputationGraph graph, List<Image> inputs) {
        List<Integer> order = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) order.add(i);
        order.sort(Comparator.comparingInt((Integer i) -> inputs.get(i).height()).thenComparingInt(i -> inputs.get(i).width()));
        List<Image> sorted = new ArrayList<>(inputs.size());
        for (int i : order) sorted.add(inputs.get(i));
        List<Image> out = Inference.restoreAll(graph, spec, sorted);
        Image[] back = new Image[inputs.size()];
        for (int j = 0; j < order.size(); j++) back[order.get(j)] = out.get(j);
        return List.of(back);
    }
}
