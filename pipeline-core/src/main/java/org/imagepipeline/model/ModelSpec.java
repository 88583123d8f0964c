package org.imagepipeline.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything needed to build and train one restoration network: architecture, loss, optimiser and
 * numeric type. Immutable and {@link Serializable} so Spark can ship it to executors; the compact
 * constructor rejects every invalid value at once, in one message.
 *
 * <p>Made with {@link #builder}: the type and channel count up front, every other value by name.
 * The defaults live in {@code reference.conf} ({@code pipeline.model.*}, {@code pipeline.train.*})
 * and are mapped onto this record elsewhere; neither the record nor its builder has defaults of
 * its own.
 *
 * <p>Fields that only one architecture or schedule uses are checked only when that architecture
 * or schedule is chosen, so a config may carry settings for both; a builder may leave them unset
 * (they are then 0, false or null).
 *
 * @param type               {@link ModelType#DNCNN} (residual denoiser) or {@link ModelType#UNET} (blur,
 *                           JPEG, super-resolution on pre-upscaled input, inpainting)
 * @param channels           1 (gray) or 3 (RGB); input and output have the same count
 * @param dncnnDepth         number of 3×3 conv layers in DnCNN, at least 2 (17 in the paper)
 * @param dncnnFeatures      feature maps of every hidden DnCNN layer (64 in the paper)
 * @param batchNorm          batch normalization after every middle conv layer; DnCNN only
 * @param unetBaseFeatures   feature maps at the U-Net's top level; they double per level down
 * @param unetLevels         number of 2× downsamplings; input sides must be multiples of
 *                           2^unetLevels (see {@link #sizeMultiple()} and {@link ReflectPad})
 * @param unetDownsample     {@link UnetDownsample#MAXPOOL} (2×2 max-pool) or {@link UnetDownsample#STRIDED}
 *                           (3×3 conv, stride 2, learns its own downsampling)
 * @param unetUpsample       {@link UnetUpsample#UPSAMPLE} (nearest 2× then 3×3 conv; no checkerboard
 *                           artefacts) or {@link UnetUpsample#DECONV} (2×2 transposed conv, stride 2)
 * @param loss               {@link Loss#MSE} or {@link Loss#L1}, per pixel on [0,1] samples
 * @param learningRate       Adam's step size at iteration 0, &gt; 0
 * @param weightDecay        decoupled weight decay on weights (not biases, not batch-norm
 *                           parameters), applied after Adam and scaled by the current learning
 *                           rate as in AdamW (DL4J's {@code WeightDecay}, not {@code L2}); 0 = off
 * @param lrSchedule         {@link LrSchedule#NONE}, {@link LrSchedule#STEP} (× {@code lrGamma} every
 *                           {@code lrStepEpochs} epochs) or {@link LrSchedule#COSINE} (half a cosine from
 *                           {@code learningRate} to {@code lrMinimum} over
 *                           {@code lrCosineIterations} iterations, then constant)
 * @param lrGamma            step schedule's factor, in (0,1]
 * @param lrStepEpochs       step schedule's period in epochs, &ge; 1
 * @param lrCosineIterations cosine schedule's length in iterations (minibatches), &ge; 1
 * @param lrMinimum          cosine schedule's final learning rate, in [0, learningRate]
 * @param adamBeta1          Adam's first-moment decay, in [0,1)
 * @param adamBeta2          Adam's second-moment decay, in [0,1)
 * @param seed               seed of the weight initialisation
 * @param dataType           parameter and activation type: FLOAT (the one to use on CPU), DOUBLE
 *                           (gradient checks) or HALF (meant for GPUs: on CPU it measured ~40×
 *                           slower than FLOAT). DL4J M2.1 networks refuse BFLOAT16.
 */
public record ModelSpec(
        ModelType type,
        int channels,
        int dncnnDepth,
        int dncnnFeatures,
        boolean batchNorm,
        int unetBaseFeatures,
        int unetLevels,
        UnetDownsample unetDownsample,
        UnetUpsample unetUpsample,
        Loss loss,
        double learningRate,
        double weightDecay,
        LrSchedule lrSchedule,
        double lrGamma,
        int lrStepEpochs,
        int lrCosineIterations,
        double lrMinimum,
        double adamBeta1,
        double adamBeta2,
        long seed,
        DataType dataType) implements Serializable {

    private static final Set<DataType> DATA_TYPES =
            Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF);

    private static final String INVALID = "The model settings are invalid: ";

    public ModelSpec {
        List<String> problems = problems(type, channels, dncnnDepth, dncnnFeatures, unetBaseFeatures, unetLevels,
                unetDownsample, unetUpsample, loss, learningRate, weightDecay, lrSchedule, lrGamma, lrStepEpochs,
                lrCosineIterations, lrMinimum, adamBeta1, adamBeta2, dataType);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(INVALID + String.join(" ", problems));
        }
    }

    /** Every problem of these values, one sentence each; empty when they make a valid spec. */
    private static List<String> problems(ModelType type, int channels, int dncnnDepth, int dncnnFeatures, int unetBaseFeatures,
                                         int unetLevels, UnetDownsample unetDownsample, UnetUpsample unetUpsample, Loss loss,
                                         double learningRate, double weightDecay, LrSchedule lrSchedule, double lrGamma,
                                         int lrStepEpochs, int lrCosineIterations, double lrMinimum, double adamBeta1,
                                         double adamBeta2, DataType dataType) {
        List<String> problems = new ArrayList<>();
        if (type == null) {
            problems.add("The model type must be \"dncnn\" or \"unet\", but was not given.");
        }
        if (channels != 1 && channels != 3) {
            problems.add("The model must have 1 (gray) or 3 (RGB) channels, but had " + channels + ".");
        }
        if (type == ModelType.DNCNN) {
            if (dncnnDepth < 2) {
                problems.add("A DnCNN needs a depth of at least 2 conv layers, but the depth was " + dncnnDepth + ".");
            }
            if (dncnnFeatures < 1) {
                problems.add("A DnCNN needs at least 1 feature map per layer, but had " + dncnnFeatures + ".");
            }
        }
        if (type == ModelType.UNET) {
            if (unetBaseFeatures < 1) {
                problems.add("A U-Net needs at least 1 base feature map, but had " + unetBaseFeatures + ".");
            }
            if (unetLevels < 1 || unetLevels > 8) {
                problems.add("A U-Net needs between 1 and 8 levels, but had " + unetLevels + ".");
            } else if ((long) unetBaseFeatures << unetLevels > 4096) {
                problems.add("A U-Net with " + unetBaseFeatures + " base features and " + unetLevels
                        + " levels would have " + ((long) unetBaseFeatures << unetLevels)
                        + " bottleneck features; at most 4096 are allowed.");
            }
            if (unetDownsample == null) {
                problems.add("The U-Net downsampling must be \"maxpool\" or \"strided\", but was not given.");
            }
            if (unetUpsample == null) {
                problems.add("The U-Net upsampling must be \"upsample\" or \"deconv\", but was not given.");
            }
        }
        if (loss == null) {
            problems.add("The loss must be \"mse\" or \"l1\", but was not given.");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            problems.add("The learning rate must be a finite number above 0, but was " + learningRate + ".");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            problems.add("The weight decay must be a finite number of at least 0, but was " + weightDecay + ".");
        }
        if (lrSchedule == LrSchedule.STEP) {
            if (!(lrGamma > 0 && lrGamma <= 1)) {
                problems.add("The step schedule's gamma must lie in (0, 1], but was " + lrGamma + ".");
            }
            if (lrStepEpochs < 1) {
                problems.add("The step schedule's period must be at least 1 epoch, but was " + lrStepEpochs + ".");
            }
        } else if (lrSchedule == LrSchedule.COSINE) {
            if (lrCosineIterations < 1) {
                problems.add("The cosine schedule must last at least 1 iteration, but lasted " + lrCosineIterations + ".");
            }
            if (!(lrMinimum >= 0 && lrMinimum <= learningRate)) {
                problems.add("The cosine schedule's minimum learning rate must lie in [0, " + learningRate
                        + "] (the learning rate), but was " + lrMinimum + ".");
            }
        } else if (lrSchedule == null) {
            problems.add("The learning-rate schedule must be \"none\", \"step\" or \"cosine\", but was not given.");
        }
        if (!(adamBeta1 >= 0 && adamBeta1 < 1)) {
            problems.add("Adam's beta1 must lie in [0, 1), but was " + adamBeta1 + ".");
        }
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
            problems.add("Adam's beta2 must lie in [0, 1), but was " + adamBeta2 + ".");
        }
        if (dataType == null || !DATA_TYPES.contains(dataType)) {
            problems.add("The data type must be FLOAT, DOUBLE or HALF (DL4J networks support no other), but was " + dataType + ".");
        }
        return problems;
    }

    /** Whether this is the DnCNN residual denoiser. */
    public boolean isDncnn() {
        return type == ModelType.DNCNN;
    }

    /**
     * The number that input heights and widths must be multiples of: 2^unetLevels for a U-Net,
     * 1 for DnCNN (any size). Pad other sizes with {@link ReflectPad}.
     */
    public int sizeMultiple() {
        return isDncnn() ? 1 : 1 << unetLevels;
    }

    /** A copy whose cosine schedule spans {@code iterations}; the trainer sets it once it knows the data size. */
    public ModelSpec withCosineIterations(int iterations) {
        return toBuilder().lrCosineIterations(iterations).build();
    }

    /**
     * A builder of a {@code type} network with {@code channels} channels (1 gray, 3 RGB). Nothing
     * else has a default: {@link Builder#build} refuses a spec without a value that its type or
     * schedule uses.
     */
    public static Builder builder(ModelType type, int channels) {
        return new Builder(type, channels);
    }

    /** A builder holding every value of this spec. */
    public Builder toBuilder() {
        return builder(type, channels).dncnnDepth(dncnnDepth).dncnnFeatures(dncnnFeatures).batchNorm(batchNorm)
                .unetBaseFeatures(unetBaseFeatures).unetLevels(unetLevels).unetDownsample(unetDownsample)
                .unetUpsample(unetUpsample).loss(loss).learningRate(learningRate).weightDecay(weightDecay)
                .lrSchedule(lrSchedule).lrGamma(lrGamma).lrStepEpochs(lrStepEpochs).lrCosineIterations(lrCosineIterations)
                .lrMinimum(lrMinimum).adamBeta1(adamBeta1).adamBeta2(adamBeta2).seed(seed).dataType(dataType);
    }

    /**
     * Builds a {@link ModelSpec} from named values (see the record's parameters). Values the chosen
     * type or schedule does not use may stay unset; every other one must be given.
     */
    public static final class Builder {
        private final ModelType type;
        private final int channels;
        private Integer dncnnDepth;
        private Integer dncnnFeatures;
        private Boolean batchNorm;
        private Integer unetBaseFeatures;
        private Integer unetLevels;
        private UnetDownsample unetDownsample;
        private UnetUpsample unetUpsample;
        private Loss loss;
        private Double learningRate;
        private Double weightDecay;
        private LrSchedule lrSchedule;
        private Double lrGamma;
        private Integer lrStepEpochs;
        private Integer lrCosineIterations;
        private Double lrMinimum;
        private Double adamBeta1;
        private Double adamBeta2;
        private Long seed;
        private DataType dataType;

        private Builder(ModelType type, int channels) {
            this.type = type;
            this.channels = channels;
        }

        public Builder dncnnDepth(int v) { dncnnDepth = v; return this; }

        public Builder dncnnFeatures(int v) { dncnnFeatures = v; return this; }

        public Builder batchNorm(boolean v) { batchNorm = v; return this; }

        public Builder unetBaseFeatures(int v) { unetBaseFeatures = v; return this; }

        public Builder unetLevels(int v) { unetLevels = v; return this; }

        public Builder unetDownsample(UnetDownsample v) { unetDownsample = v; return this; }

        public Builder unetUpsample(UnetUpsample v) { unetUpsample = v; return this; }

        public Builder loss(Loss v) { loss = v; return this; }

        public Builder learningRate(double v) { learningRate = v; return this; }

        public Builder weightDecay(double v) { weightDecay = v; return this; }

        public Builder lrSchedule(LrSchedule v) { lrSchedule = v; return this; }

        public Builder lrGamma(double v) { lrGamma = v; return this; }

        public Builder lrStepEpochs(int v) { lrStepEpochs = v; return this; }

        public Builder lrCosineIterations(int v) { lrCosineIterations = v; return this; }

        public Builder lrMinimum(double v) { lrMinimum = v; return this; }

        public Builder adamBeta1(double v) { adamBeta1 = v; return this; }

        public Builder adamBeta2(double v) { adamBeta2 = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public Builder dataType(DataType v) { dataType = v; return this; }

        /**
         * The spec; an {@link IllegalArgumentException} naming every problem at once otherwise: the
         * record's checks of the values given, and the values its type or schedule needs that were
         * not given. (A missing choice, such as the loss, is reported by the record's checks.)
         */
        public ModelSpec build() {
            boolean dncnn = type == ModelType.DNCNN;
            boolean unet = type == ModelType.UNET;
            List<String> unset = new ArrayList<>();
            need(dncnn, dncnnDepth, "dncnnDepth", unset);
            need(dncnn, dncnnFeatures, "dncnnFeatures", unset);
            need(dncnn, batchNorm, "batchNorm", unset);
            need(unet, unetBaseFeatures, "unetBaseFeatures", unset);
            need(unet, unetLevels, "unetLevels", unset);
            need(true, learningRate, "learningRate", unset);
            need(true, weightDecay, "weightDecay", unset);
            need(lrSchedule == LrSchedule.STEP, lrGamma, "lrGamma", unset);
            need(lrSchedule == LrSchedule.STEP, lrStepEpochs, "lrStepEpochs", unset);
            need(lrSchedule == LrSchedule.COSINE, lrCosineIterations, "lrCosineIterations", unset);
            need(lrSchedule == LrSchedule.COSINE, lrMinimum, "lrMinimum", unset);
            need(true, adamBeta1, "adamBeta1", unset);
            need(true, adamBeta2, "adamBeta2", unset);
            need(true, seed, "seed", unset);
            if (unset.isEmpty()) {
                return new ModelSpec(type, channels, or(dncnnDepth, 0), or(dncnnFeatures, 0), batchNorm != null && batchNorm,
                        or(unetBaseFeatures, 0), or(unetLevels, 0), unetDownsample, unetUpsample, loss, learningRate, weightDecay,
                        lrSchedule, or(lrGamma, 0.0), or(lrStepEpochs, 0), or(lrCosineIterations, 0), or(lrMinimum, 0.0),
                        adamBeta1, adamBeta2, seed, dataType);
            }
            // The given values' problems too, with harmless stand-ins for the missing ones.
            List<String> problems = problems(type, channels, or(dncnnDepth, 2), or(dncnnFeatures, 1), or(unetBaseFeatures, 1),
                    or(unetLevels, 1), unetDownsample, unetUpsample, loss, or(learningRate, Double.MAX_VALUE), or(weightDecay, 0.0),
                    lrSchedule, or(lrGamma, 1.0), or(lrStepEpochs, 1), or(lrCosineIterations, 1), or(lrMinimum, 0.0),
                    or(adamBeta1, 0.0), or(adamBeta2, 0.0), dataType);
            problems.add("These values were not given (there are no defaults here; reference.conf has them): "
                    + String.join(", ", unset) + ".");
            throw new IllegalArgumentException(INVALID + String.join(" ", problems));
        }

        private static void need(boolean used, Object value, String name, List<String> unset) {
            if (used && value == null) unset.add(name);
        }

        private static <T> T or(T value, T otherwise) {
            return value != null ? value : otherwise;
        }
    }
}
