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
 * <p>The defaults live in {@code reference.conf} ({@code pipeline.model.*}, {@code pipeline.train.*})
 * and are mapped onto this record elsewhere; this record has no defaults of its own.
 *
 * <p>Fields that only one architecture or schedule uses are checked only when that architecture
 * or schedule is chosen, so a config may carry settings for both.
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

    public ModelSpec {
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
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The model settings are invalid: " + String.join(" ", problems));
        }
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
        return new ModelSpec(type, channels, dncnnDepth, dncnnFeatures, batchNorm, unetBaseFeatures,
                unetLevels, unetDownsample, unetUpsample, loss, learningRate, weightDecay, lrSchedule,
                lrGamma, lrStepEpochs, iterations, lrMinimum, adamBeta1, adamBeta2, seed, dataType);
    }
}
