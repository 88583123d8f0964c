package org.imagepipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

import java.util.function.Predicate;

/**
 * Copies parameters between graphs that share layer names: a GAN's generator and discriminator
 * into and out of their combined graph, a restorer into and out of its adversarial combined graph.
 */
public final class LayerParams {
    private LayerParams() {}

    /**
     * Copies the parameters (batch-norm statistics included) of every layer of {@code from}
     * whose name starts with {@code prefix} into the layer of the same name in {@code to}.
     */
    public static void copy(ComputationGraph from, ComputationGraph to, String prefix) {
        copy(from, to, name -> name.startsWith(prefix));
    }

    /** As {@link #copy(ComputationGraph, ComputationGraph, String)} for the layers of {@code from} whose names pass {@code names}. */
    public static void copy(ComputationGraph from, ComputationGraph to, Predicate<String> names) {
        for (GraphVertex v : from.getVertices()) {
            if (!v.hasLayer() || !names.test(v.getVertexName()) || v.getLayer().numParams() == 0) continue;
            Layer target = to.getLayer(v.getVertexName());
            if (target == null || target.numParams() != v.getLayer().numParams()) {
                throw new IllegalArgumentException("Cannot copy layer " + v.getVertexName() + ": the target graph has "
                        + (target == null ? "no such layer" : target.numParams() + " parameters there, not " + v.getLayer().numParams()));
            }
            target.params().assign(v.getLayer().params());
        }
    }
}
