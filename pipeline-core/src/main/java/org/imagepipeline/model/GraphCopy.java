package org.imagepipeline.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * A graph as executors rebuild it from a broadcast: its configuration JSON and parameters (no
 * updater state), for inference there: the GAN's generator making fakes, the restorer making the
 * adversarial term's fakes, the generator of a GAN mix.
 */
public final class GraphCopy implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String json;
    private final float[] params;

    public GraphCopy(ComputationGraph g) {
        this.json = g.getConfiguration().toJson();
        this.params = g.params().dup().data().asFloat();
    }

    public ComputationGraph build() {
        ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
        g.init(Nd4j.create(params, new long[] {1, params.length}, 'c'), false);
        return g;
    }
}
