package org.imagepipeline.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.image.Image;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a restoration graph on whole images: converts to the model's channel count, pads by
 * reflection to the size multiple the architecture needs, and crops and clamps the result back
 * to the input's size, so callers never see the padding.
 */
public final class Inference {
    private Inference() {}

    public static Image restore(ComputationGraph graph, ModelSpec spec, Image input) {
        return restoreAll(graph, spec, List.of(input)).get(0);
    }

    /** Restores images one forward pass per group of equal shapes, in input order. */
    public static List<Image> restoreAll(ComputationGraph graph, ModelSpec spec, List<Image> inputs) {
        List<Image> out = new ArrayList<>(inputs.size());
        int i = 0;
        while (i < inputs.size()) {
            Image first = inputs.get(i);
            int j = i + 1;
            while (j < inputs.size() && inputs.get(j).height() == first.height() && inputs.get(j).width() == first.width()) j++;
            List<Image> padded = new ArrayList<>(j - i);
            for (int k = i; k < j; k++) {
                padded.add(ReflectPad.pad(inputs.get(k).withChannels(spec.channels()), spec.sizeMultiple()));
            }
            List<Image> restored = Batches.unstack(graph.outputSingle(false, Batches.stack(padded)));
            for (Image r : restored) out.add(ReflectPad.crop(r, first.height(), first.width()).clamp01());
            i = j;
        }
        return out;
    }
}
