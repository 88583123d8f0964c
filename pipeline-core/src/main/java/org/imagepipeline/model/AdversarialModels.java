package org.imagepipeline.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.imagepipeline.model.AdversarialSettings;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

import java.util.function.UnaryOperator;

/**
 * The networks of restoration training with an adversarial term ({@link AdversarialSettings}).
 *
 * <ul>
 *   <li>Discriminator: input {@value #D_INPUT}, an image of any size [batch, channels, h, w] in
 *   [0,1] → L strided 4×4 convolutions with LeakyReLU(0.2) (F, 2F, ... maps, no batch norm) →
 *   global average pooling → a dense logit → {@value #D_OUT}, sigmoid binary cross-entropy: the
 *   probability that the image is a clean one.</li>
 *   <li>Combined: the restoration network of a {@link ModelSpec} (its {@link RestorationModels#OUTPUT}
 *   with the usual pixel loss) whose restored image also feeds the discriminator, every layer of
 *   which is wrapped in {@link FrozenLayerWithBackprop}; its {@value #D_OUT} output's
 *   cross-entropy is weighted (DL4J's per-column loss weights). Fitting it with clean targets
 *   and label 1 trains the restorer on pixel loss + weight × adversarial loss without changing the
 *   discriminator. It has the restorer's optimiser.</li>
 * </ul>
 * Discriminator layer names start with {@value #PREFIX} in both graphs; the restorer's layers keep
 * their names, so parameters move between the graphs by name
 * ({@link LayerParams#copy}).
 */
public final class AdversarialModels {
    public static final String PREFIX = "adv_";
    public static final String D_INPUT = "adv_image";
    public static final String D_OUT = "adv_out";
    private static final int KERNEL = 4;

    private AdversarialModels() {}

    public static ComputationGraph discriminator(ModelSpec spec, AdversarialSettings a) {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(spec.seed() + 1)
                .dataType(spec.dataType())
                .updater(Adam.builder().learningRate(a.learningRate()).beta1(a.beta1()).beta2(a.beta2())
                        .epsilon(Adam.DEFAULT_ADAM_EPSILON).build())
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs(D_INPUT);
        int side = RestorationModels.nominalSide(spec);
        g.setInputTypes(InputType.convolutional(side, side, spec.channels(), CNN2DFormat.NCHW));
        discriminatorLayers(g, a, D_INPUT, UnaryOperator.identity(), new LossBinaryXENT());
        g.setOutputs(D_OUT);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /**
     * The restorer of {@code spec} followed by the frozen discriminator, whose cross-entropy is
     * weighted so that it stands to the pixel loss as {@code a.weight()} to the per-pixel mean: the
     * pixel loss of a {@code patchSize}² patch is a sum over its pixels, so the weight is
     * multiplied by patchSize². Its parameters are fresh: copy the restorer's and discriminator's in.
     */
    public static ComputationGraph combined(ModelSpec spec, AdversarialSettings a, int patchSize) {
        GraphBuilder g = RestorationModels.restorer(spec, WorkspaceMode.ENABLED);
        double weight = a.weight() * patchSize * patchSize;
        discriminatorLayers(g, a, RestorationModels.RESTORED, FrozenLayerWithBackprop::new,
                new LossBinaryXENT(Nd4j.create(new double[] {weight}, new long[] {1, 1}).castTo(spec.dataType())));
        g.setOutputs(RestorationModels.OUTPUT, D_OUT);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** Adds the discriminator from {@code input}, passing each layer with parameters through {@code wrap}. */
    private static void discriminatorLayers(GraphBuilder g, AdversarialSettings a, String input, UnaryOperator<Layer> wrap,
                                            LossBinaryXENT loss) {
        String prev = input;
        for (int level = 0; level < a.discriminatorLevels(); level++) {
            String conv = PREFIX + "conv" + level;
            g.addLayer(conv, wrap.apply(new ConvolutionLayer.Builder(KERNEL, KERNEL).stride(2, 2)
                    .nOut((long) a.discriminatorFeatures() << level).weightInit(WeightInit.RELU)
                    .activation(new ActivationLReLU(0.2)).build()), prev);
            prev = conv;
        }
        g.addLayer(PREFIX + "pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev);
        g.addLayer(PREFIX + "logit", wrap.apply(new DenseLayer.Builder().nOut(1).weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY).build()), PREFIX + "pool");
        g.addLayer(D_OUT, new LossLayer.Builder(loss).activation(Activation.SIGMOID).build(), PREFIX + "logit");
    }
}
