package org.imagepipeline.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Builds the restoration networks of a {@link ModelSpec} as DL4J {@link ComputationGraph}s.
 *
 * <p>Every graph has one input named {@value #INPUT} and one output named {@value #OUTPUT}, both
 * [batch, channels, height, width] (NCHW) with samples in [0,1], and the output has the input's
 * shape. The output is not clamped: callers clamp to [0,1] when they write images. Both networks
 * are residual: DnCNN predicts the noise and outputs input − noise; the U-Net predicts a
 * correction and outputs input + correction, so a freshly initialised network starts near the
 * identity. DnCNN accepts any size; the U-Net needs heights and widths that are multiples of
 * {@link ModelSpec#sizeMultiple()} (pad with {@link ReflectPad}).
 *
 * <p>DL4J's score (loss) for these graphs is per image: the sum over pixels of the loss averaged
 * over channels, i.e. height × width times the per-pixel MSE (or L1). Divide by the pixel count
 * to compare with per-pixel numbers; Adam's steps do not depend on that scale.
 */
public final class RestorationModels {

    /** Name of the graph's only input. */
    public static final String INPUT = "input";
    /** Name of the graph's only output (a loss layer during training). */
    public static final String OUTPUT = "output";

    private RestorationModels() {
    }

    /**
     * Performance knobs that do not change what the network computes.
     *
     * @param workspaceMode DL4J memory workspaces for training and inference; ENABLED reuses
     *                      buffers between iterations, NONE allocates afresh (slower, simpler)
     * @param format        the layout of the input and of every activation; NCHW is the
     *                      pipeline's layout, NHWC needs NHWC input and is here for measuring
     */
    public record Tuning(WorkspaceMode workspaceMode, CNN2DFormat format) {
        /** What the pipeline uses: workspaces on, NCHW. */
        public static final Tuning DEFAULT = new Tuning(WorkspaceMode.ENABLED, CNN2DFormat.NCHW);

        public Tuning {
            if (workspaceMode == null || format == null) {
                throw new IllegalArgumentException("The tuning needs a workspace mode and a data format, but one of them was null.");
            }
        }
    }

    /** The initialised network for {@code spec}, with the pipeline's default tuning. */
    public static ComputationGraph build(ModelSpec spec) {
        return build(spec, Tuning.DEFAULT);
    }

    /** The initialised network for {@code spec} with explicit performance {@code tuning}. */
    public static ComputationGraph build(ModelSpec spec, Tuning tuning) {
        ComputationGraph graph = new ComputationGraph(configuration(spec, tuning));
        graph.init();
        return graph;
    }

    /** The network's configuration, uninitialised (for inspection, JSON, or a Spark master). */
    public static ComputationGraphConfiguration configuration(ModelSpec spec, Tuning tuning) {
        GraphBuilder g = base(spec, tuning).graphBuilder().addInputs(INPUT);
        // The nominal size only drives shape inference; the graph accepts any valid size.
        int nominal = Math.max(8, 2 * spec.sizeMultiple());
        g.setInputTypes(InputType.convolutional(nominal, nominal, spec.channels(), tuning.format()));
        String result = spec.isDncnn() ? dncnn(g, spec, tuning.format()) : unet(g, spec, tuning.format());
        g.addLayer(OUTPUT, new CnnLossLayer.Builder(lossFunction(spec))
                .activation(Activation.IDENTITY).format(tuning.format()).build(), result);
        g.setOutputs(OUTPUT);
        return g.build();
    }

    private static NeuralNetConfiguration.Builder base(ModelSpec spec, Tuning tuning) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(spec.dataType())
                .updater(adam(spec))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(tuning.workspaceMode())
                .inferenceWorkspaceMode(tuning.workspaceMode());
        if (spec.weightDecay() > 0) {
            // WeightDecay (applied after the updater, scaled by the learning rate) = AdamW-style
            // decoupled decay; L2 would be added to the gradient before Adam rescales it.
            b.weightDecay(spec.weightDecay(), true);
        }
        return b;
    }

    private static Adam adam(ModelSpec spec) {
        Adam.Builder adam = Adam.builder().learningRate(spec.learningRate())
                .beta1(spec.adamBeta1()).beta2(spec.adamBeta2()).epsilon(Adam.DEFAULT_ADAM_EPSILON);
        switch (spec.lrSchedule()) {
            // DL4J counts epochs only in fit(iterator) or through incrementEpochCount(); a trainer
            // that fits minibatch by minibatch must advance the epoch itself for "step" to act.
            case "step" -> adam.learningRateSchedule(
                    new StepSchedule(ScheduleType.EPOCH, spec.learningRate(), spec.lrGamma(), spec.lrStepEpochs()));
            case "cosine" -> adam.learningRateSchedule(
                    new CosineSchedule(spec.learningRate(), spec.lrMinimum(), spec.lrCosineIterations()));
            default -> { }
        }
        return adam.build();
    }

    private static LossFunction lossFunction(ModelSpec spec) {
        return "l1".equals(spec.loss()) ? LossFunction.L1 : LossFunction.MSE;
    }

    private static String dncnn(GraphBuilder g, ModelSpec spec, CNN2DFormat format) {
        int f = spec.dncnnFeatures();
        g.addLayer("conv1", conv(f, Activation.RELU, true, format), INPUT);
        String prev = "conv1";
        for (int i = 2; i < spec.dncnnDepth(); i++) {
            String conv = "conv" + i;
            if (spec.batchNorm()) {
                // Conv bias is redundant before batch norm's beta.
                g.addLayer(conv, conv(f, Activation.IDENTITY, false, format), prev);
                g.addLayer("bn" + i, new BatchNormalization.Builder().dataFormat(format).build(), conv);
                // DL4J's BatchNormalization layer ignores its activation, hence a separate ReLU.
                g.addLayer("relu" + i, new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn" + i);
                prev = "relu" + i;
            } else {
                g.addLayer(conv, conv(f, Activation.RELU, true, format), prev);
                prev = conv;
            }
        }
        g.addLayer("residual", conv(spec.channels(), Activation.IDENTITY, true, format), prev);
        g.addVertex("restored", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), INPUT, "residual");
        return "restored";
    }

    private static String unet(GraphBuilder g, ModelSpec spec, CNN2DFormat format) {
        int levels = spec.unetLevels();
        String[] skips = new String[levels];
        String prev = INPUT;
        for (int level = 0; level < levels; level++) {
            int f = spec.unetBaseFeatures() << level;
            prev = block(g, "enc" + level, f, prev, format);
            skips[level] = prev;
            String down = "down" + level;
            if ("strided".equals(spec.unetDownsample())) {
                g.addLayer(down, new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(f)
                        .activation(Activation.RELU).dataFormat(format).build(), prev);
            } else {
                g.addLayer(down, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build(), prev);
            }
            prev = down;
        }
        prev = block(g, "bottleneck", spec.unetBaseFeatures() << levels, prev, format);
        for (int level = levels - 1; level >= 0; level--) {
            int f = spec.unetBaseFeatures() << level;
            String up = "up" + level;
            if ("deconv".equals(spec.unetUpsample())) {
                g.addLayer(up, new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(f)
                        .activation(Activation.RELU).dataFormat(format).build(), prev);
            } else {
                g.addLayer(up + "_resize", new Upsampling2D.Builder(2).dataFormat(format).build(), prev);
                g.addLayer(up, conv(f, Activation.RELU, true, format), up + "_resize");
            }
            g.addVertex("merge" + level, new MergeVertex(), up, skips[level]);
            prev = block(g, "dec" + level, f, "merge" + level, format);
        }
        g.addLayer("correction", new ConvolutionLayer.Builder(1, 1).nOut(spec.channels())
                .activation(Activation.IDENTITY).dataFormat(format).build(), prev);
        g.addVertex("restored", new ElementWiseVertex(ElementWiseVertex.Op.Add), INPUT, "correction");
        return "restored";
    }

    /** Two 3×3 conv + ReLU; returns the name of the second. */
    private static String block(GraphBuilder g, String name, int features, String input, CNN2DFormat format) {
        g.addLayer(name + "_a", conv(features, Activation.RELU, true, format), input);
        g.addLayer(name + "_b", conv(features, Activation.RELU, true, format), name + "_a");
        return name + "_b";
    }

    private static ConvolutionLayer conv(int nOut, Activation activation, boolean bias, CNN2DFormat format) {
        return new ConvolutionLayer.Builder(3, 3).nOut(nOut).activation(activation).hasBias(bias)
                .dataFormat(format).build();
    }
}
