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
import org.nd4j.linalg.schedule.ISchedule;
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
    /** Name of the vertex holding the restored image, before the loss layer. */
    public static final String RESTORED = "restored";

    private RestorationModels() {
    }

    /** The initialised network for {@code spec}, with DL4J workspaces on. */
    public static ComputationGraph build(ModelSpec spec) {
        return build(spec, WorkspaceMode.ENABLED);
    }

    /**
     * The initialised network for {@code spec}. {@code workspaceMode} applies to training and
     * inference: ENABLED reuses memory between iterations (the default), NONE allocates afresh.
     */
    public static ComputationGraph build(ModelSpec spec, WorkspaceMode workspaceMode) {
        ComputationGraph graph = new ComputationGraph(configuration(spec, workspaceMode));
        graph.init();
        return graph;
    }

    /** The network's configuration, uninitialised (for inspection, JSON, or a Spark master). */
    public static ComputationGraphConfiguration configuration(ModelSpec spec, WorkspaceMode workspaceMode) {
        GraphBuilder g = restorer(spec, workspaceMode);
        g.setOutputs(OUTPUT);
        return g.build();
    }

    /**
     * A graph builder holding the network of {@code spec} from {@value #INPUT} to its loss layer
     * {@value #OUTPUT}, whose input is the vertex {@value #RESTORED}, with the network's
     * optimiser; outputs are left to the caller (see {@link AdversarialModels#combined}).
     */
    static GraphBuilder restorer(ModelSpec spec, WorkspaceMode workspaceMode) {
        GraphBuilder g = base(spec, workspaceMode).graphBuilder().addInputs(INPUT);
        // The nominal size only drives shape inference; the graph accepts any valid size.
        g.setInputTypes(InputType.convolutional(nominalSide(spec), nominalSide(spec), spec.channels(), CNN2DFormat.NCHW));
        // NCHW throughout: DL4J M2.1's oneDNN conv helper computes wrong gradients in NHWC
        // (NaN and ~1e13 where the built-in path and NCHW agree), although NHWC looks faster.
        String correction = spec.isDncnn() ? dncnn(g, spec, INPUT) : unet(g, spec, INPUT);
        // DnCNN's body predicts the noise (subtract it); the U-Net's a correction (add it).
        g.addVertex(RESTORED, new ElementWiseVertex(spec.isDncnn() ? ElementWiseVertex.Op.Subtract : ElementWiseVertex.Op.Add),
                INPUT, correction);
        g.addLayer(OUTPUT, new CnnLossLayer.Builder(lossFunction(spec))
                .activation(Activation.IDENTITY).format(CNN2DFormat.NCHW).build(), RESTORED);
        return g;
    }

    /** The image side the graphs' shape inference assumes; any valid size runs. */
    static int nominalSide(ModelSpec spec) {
        return Math.max(8, 2 * spec.sizeMultiple());
    }

    private static NeuralNetConfiguration.Builder base(ModelSpec spec, WorkspaceMode workspaceMode) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(spec.dataType())
                .updater(adam(spec))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(workspaceMode)
                .inferenceWorkspaceMode(workspaceMode);
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
        ISchedule schedule = learningRateSchedule(spec);
        if (schedule != null) adam.learningRateSchedule(schedule);
        return adam.build();
    }

    /**
     * The learning-rate schedule of a spec, or null for a constant rate. DL4J counts epochs only in
     * fit(iterator) or through incrementEpochCount(), and parameter averaging rebuilds worker
     * networks from the driver's configuration, so a distributed trainer evaluates this itself
     * and sets the rate (see RestorationTrainer).
     */
    public static ISchedule learningRateSchedule(ModelSpec spec) {
        return switch (spec.lrSchedule()) {
            case STEP -> new StepSchedule(ScheduleType.EPOCH, spec.learningRate(), spec.lrGamma(), spec.lrStepEpochs());
            case COSINE -> new CosineSchedule(spec.learningRate(), spec.lrMinimum(), spec.lrCosineIterations());
            case NONE -> null;
        };
    }

    private static LossFunction lossFunction(ModelSpec spec) {
        return spec.loss() == Loss.L1 ? LossFunction.L1 : LossFunction.MSE;
    }

    /** DnCNN's body from {@code input}; returns the name of the predicted-noise layer. */
    private static String dncnn(GraphBuilder g, ModelSpec spec, String input) {
        int f = spec.dncnnFeatures();
        g.addLayer("conv1", conv(f, Activation.RELU, true), input);
        String prev = "conv1";
        for (int i = 2; i < spec.dncnnDepth(); i++) {
            String conv = "conv" + i;
            if (spec.batchNorm()) {
                // Conv bias is redundant before batch norm's beta.
                g.addLayer(conv, conv(f, Activation.IDENTITY, false), prev);
                g.addLayer("bn" + i, new BatchNormalization.Builder().build(), conv);
                // DL4J's BatchNormalization layer ignores its activation, hence a separate ReLU.
                g.addLayer("relu" + i, new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn" + i);
                prev = "relu" + i;
            } else {
                g.addLayer(conv, conv(f, Activation.RELU, true), prev);
                prev = conv;
            }
        }
        g.addLayer("residual", conv(spec.channels(), Activation.IDENTITY, true), prev);
        return "residual";
    }

    /** The U-Net's body from {@code input}; returns the name of the correction layer. */
    private static String unet(GraphBuilder g, ModelSpec spec, String input) {
        int levels = spec.unetLevels();
        String[] skips = new String[levels];
        String prev = input;
        for (int level = 0; level < levels; level++) {
            int f = spec.unetBaseFeatures() << level;
            prev = block(g, "enc" + level, f, prev);
            skips[level] = prev;
            String down = "down" + level;
            if (spec.unetDownsample() == UnetDownsample.STRIDED) {
                g.addLayer(down, new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(f)
                        .activation(Activation.RELU).build(), prev);
            } else {
                g.addLayer(down, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build(), prev);
            }
            prev = down;
        }
        prev = block(g, "bottleneck", spec.unetBaseFeatures() << levels, prev);
        for (int level = levels - 1; level >= 0; level--) {
            int f = spec.unetBaseFeatures() << level;
            String up = "up" + level;
            if (spec.unetUpsample() == UnetUpsample.DECONV) {
                g.addLayer(up, new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(f)
                        .activation(Activation.RELU).build(), prev);
            } else {
                g.addLayer(up + "_resize", new Upsampling2D.Builder(2).build(), prev);
                g.addLayer(up, conv(f, Activation.RELU, true), up + "_resize");
            }
            g.addVertex("merge" + level, new MergeVertex(), up, skips[level]);
            prev = block(g, "dec" + level, f, "merge" + level);
        }
        g.addLayer("correction", new ConvolutionLayer.Builder(1, 1).nOut(spec.channels())
                .activation(Activation.IDENTITY).build(), prev);
        return "correction";
    }

    /** Two 3×3 conv + ReLU; returns the name of the second. */
    private static String block(GraphBuilder g, String name, int features, String input) {
        g.addLayer(name + "_a", conv(features, Activation.RELU, true), input);
        g.addLayer(name + "_b", conv(features, Activation.RELU, true), name + "_a");
        return name + "_b";
    }

    private static ConvolutionLayer conv(int nOut, Activation activation, boolean bias) {
        return new ConvolutionLayer.Builder(3, 3).nOut(nOut).activation(activation).hasBias(bias)
                .build();
    }
}
