package org.imagepipeline.gan;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.imagepipeline.config.GanSettings;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The DCGAN networks of a {@link GanSettings} as DL4J {@link ComputationGraph}s.
 *
 * <ul>
 *   <li>Generator: input {@value #Z} [batch, latent] → dense → batch norm → ReLU → reshaped to
 *   [F·2^(L-1), s, s] → gan.generator-base-convs 3×3 convolutions at s×s (batch norm + ReLU
 *   after each) → L transposed 4×4 stride-2 convolutions (batch norm + ReLU between, no bias
 *   before batch norm) → tanh output {@value #G_OUT} [batch, channels, resolution, resolution] in
 *   [-1,1]. s = 7 for 28 px (L = 2), 4 for 32 (L = 3) and 64 (L = 4).</li>
 *   <li>Discriminator: input {@value #IMAGE} → L strided 4×4 convolutions with LeakyReLU(0.2)
 *   (F, 2F, ... maps; no batch norm, so its frozen copy behaves the same in training and
 *   inference) → a dense logit → {@value #D_OUT}, a sigmoid binary cross-entropy loss layer.</li>
 *   <li>Combined: the generator followed by the discriminator, every discriminator layer with
 *   parameters wrapped in {@link FrozenLayerWithBackprop}: fitting it with target 1 ("real")
 *   trains the generator through the discriminator without changing the discriminator.</li>
 * </ul>
 * Layer names start with {@code g_} or {@code d_} and are the same in the combined graph, which is
 * how {@link org.imagepipeline.model.LayerParams#copy} moves weights between the graphs. The generator's weights start from
 * N(0, 0.02) as in DCGAN (its batch norms rescale every level). The discriminator has no batch
 * norm, so it starts from He initialisation (Xavier for the logit): with N(0, 0.02) its logit was
 * about 50 times too small and it learned so slowly that after 300 rounds on MNIST the generator
 * still drew blobs.
 */
public final class GanModels {
    public static final String Z = "z";
    public static final String IMAGE = "image";
    public static final String G_OUT = "g_out";
    public static final String D_OUT = "d_out";
    public static final String G_PREFIX = "g_";
    public static final String D_PREFIX = "d_";
    private static final int KERNEL = 4;

    private GanModels() {}

    public static ComputationGraph generator(GanSettings s, long seed) {
        GraphBuilder g = base(seed, s.learningRateG(), s).graphBuilder().addInputs(Z);
        g.setInputTypes(InputType.feedForward(s.latentSize()));
        generatorLayers(g, s, Z);
        g.setOutputs(G_OUT);
        return init(g.build());
    }

    public static ComputationGraph discriminator(GanSettings s, long seed) {
        GraphBuilder g = base(seed, s.learningRateD(), s).graphBuilder().addInputs(IMAGE);
        g.setInputTypes(InputType.convolutional(s.resolution(), s.resolution(), s.channels(), CNN2DFormat.NCHW));
        discriminatorLayers(g, s, IMAGE, UnaryOperator.identity());
        g.setOutputs(D_OUT);
        return init(g.build());
    }

    /**
     * Generator then frozen discriminator, with the generator's updater (Adam at
     * learning-rate-g). Its parameters are fresh: copy the generator's and discriminator's in
     * with {@link org.imagepipeline.model.LayerParams#copy} before fitting.
     */
    public static ComputationGraph combined(GanSettings s, long seed) {
        GraphBuilder g = base(seed, s.learningRateG(), s).graphBuilder().addInputs(Z);
        g.setInputTypes(InputType.feedForward(s.latentSize()));
        String image = generatorLayers(g, s, Z);
        discriminatorLayers(g, s, image, FrozenLayerWithBackprop::new);
        g.setOutputs(D_OUT);
        return init(g.build());
    }

    /**
     * Sets every batch norm's running mean and deviation to the statistics of its input over the
     * latent batch {@code z} in training mode ("standing statistics"), so that inference on that
     * batch gives what training mode gives. Needed for the generator's weight average: the
     * running statistics averaged alongside the weights do not match the averaged weights' own
     * activations, and inference with them drew flat grey images.
     */
    public static void recalibrateBatchNorm(ComputationGraph graph, INDArray z) {
        Map<String, INDArray> acts = graph.feedForward(z, true);
        for (GraphVertex v : graph.getVertices()) {
            if (!v.hasLayer() || !(v.getLayer().conf().getLayer() instanceof BatchNormalization bn)) continue;
            List<String> inputs = graph.getConfiguration().getVertexInputs().get(v.getVertexName());
            INDArray x = acts.get(inputs.get(0));
            int[] axes = x.rank() == 2 ? new int[] {0} : new int[] {0, 2, 3};
            INDArray mean = x.mean(axes);
            INDArray var = x.var(false, axes);
            Map<String, INDArray> p = v.getLayer().paramTable();
            p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(mean.reshape(p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).shape()));
            if (bn.isUseLogStd()) {
                INDArray log10Std = Transforms.log(Transforms.sqrt(var.add(bn.getEps()), false), 10, false);
                p.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).assign(log10Std.reshape(p.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).shape()));
            } else {
                p.get(BatchNormalizationParamInitializer.GLOBAL_VAR).assign(var.reshape(p.get(BatchNormalizationParamInitializer.GLOBAL_VAR).shape()));
            }
        }
    }

    /** How many parameters the layers of {@code graph} whose names start with {@code prefix} hold. */
    public static long paramCount(ComputationGraph graph, String prefix) {
        long n = 0;
        for (GraphVertex v : graph.getVertices()) {
            if (v.hasLayer() && v.getVertexName().startsWith(prefix)) n += v.getLayer().numParams();
        }
        return n;
    }

    private static NeuralNetConfiguration.Builder base(long seed, double lr, GanSettings s) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(Adam.builder().learningRate(lr).beta1(s.beta1()).beta2(s.beta2()).epsilon(Adam.DEFAULT_ADAM_EPSILON).build())
                .weightInit(new NormalDistribution(0, 0.02))
                .convolutionMode(ConvolutionMode.Same);
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Adds the generator from {@code input}; returns the name of its image output. */
    private static String generatorLayers(GraphBuilder g, GanSettings s, String input) {
        int side = s.baseSide();
        int levels = s.levels();
        int top = s.generatorFeatures() << (levels - 1);
        g.addLayer("g_dense", new DenseLayer.Builder().nOut((long) top * side * side).hasBias(false)
                .activation(Activation.IDENTITY).build(), input);
        g.addLayer("g_dense_bn", new BatchNormalization.Builder().build(), "g_dense");
        g.addLayer("g_dense_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "g_dense_bn");
        String dense = "g_dense_relu";
        // Whichever layer reads the dense layer's output sees it as [top, side, side] maps.
        FeedForwardToCnnPreProcessor reshape = new FeedForwardToCnnPreProcessor(side, side, top);
        String prev = dense;
        for (int i = 1; i <= s.generatorBaseConvs(); i++) {
            String conv = "g_base" + i;
            g.addLayer(conv, new ConvolutionLayer.Builder(3, 3).nOut(top).hasBias(false).activation(Activation.IDENTITY).build(), prev);
            if (prev.equals(dense)) g.inputPreProcessor(conv, reshape);
            g.addLayer(conv + "_bn", new BatchNormalization.Builder().build(), conv);
            g.addLayer(conv + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), conv + "_bn");
            prev = conv + "_relu";
        }
        boolean resize = s.upsampling() == GanSettings.Upsampling.RESIZE;
        for (int level = 1; level <= levels; level++) {
            boolean last = level == levels;
            String up = last ? G_OUT : "g_up" + level;
            String from = prev;
            if (resize) {
                g.addLayer(up + "_resize", new Upsampling2D.Builder(2).build(), prev);
                from = up + "_resize";
            }
            int nOut = last ? s.channels() : s.generatorFeatures() << (levels - 1 - level);
            Activation act = last ? Activation.TANH : Activation.IDENTITY;
            // No bias before a batch norm: its shift does the bias's work.
            g.addLayer(up, resize
                    ? new ConvolutionLayer.Builder(3, 3).nOut(nOut).hasBias(last).activation(act).build()
                    : new Deconvolution2D.Builder(KERNEL, KERNEL).stride(2, 2).nOut(nOut).hasBias(last).activation(act).build(), from);
            if (prev.equals(dense)) g.inputPreProcessor(resize ? up + "_resize" : up, reshape);
            if (last) break;
            g.addLayer(up + "_bn", new BatchNormalization.Builder().build(), up);
            g.addLayer(up + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), up + "_bn");
            prev = up + "_relu";
        }
        return G_OUT;
    }

    /** Adds the discriminator from {@code input}, passing each layer with parameters through {@code wrap}. */
    private static void discriminatorLayers(GraphBuilder g, GanSettings s, String input,
                                            UnaryOperator<Layer> wrap) {
        String prev = input;
        for (int level = 0; level < s.levels(); level++) {
            String conv = "d_conv" + level;
            g.addLayer(conv, wrap.apply(new ConvolutionLayer.Builder(KERNEL, KERNEL).stride(2, 2)
                    .nOut(s.discriminatorFeatures() << level).weightInit(WeightInit.RELU).activation(new ActivationLReLU(0.2)).build()), prev);
            prev = conv;
        }
        g.addLayer("d_logit", wrap.apply(new DenseLayer.Builder().nOut(1).weightInit(WeightInit.XAVIER).activation(Activation.IDENTITY).build()), prev);
        g.addLayer(D_OUT, new LossLayer.Builder(LossFunction.XENT).activation(Activation.SIGMOID).build(), "d_logit");
    }
}
