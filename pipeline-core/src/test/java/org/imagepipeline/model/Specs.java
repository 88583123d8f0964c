package org.imagepipeline.model;

import org.nd4j.linalg.api.buffer.DataType;

/** Small specs for tests; the real defaults live in reference.conf. */
public final class Specs {
    private Specs() {
    }

    /**
     * A builder with the tests' optimiser: MSE, Adam at 1e-3 (0.9, 0.999), no weight decay, a
     * constant rate, seed 42, float; the architecture's values are the caller's.
     */
    public static ModelSpec.Builder builder(ModelType type, int channels) {
        return ModelSpec.builder(type, channels).loss(Loss.MSE).learningRate(1e-3).weightDecay(0).lrSchedule(LrSchedule.NONE)
                .adamBeta1(0.9).adamBeta2(0.999).seed(42).dataType(DataType.FLOAT);
    }

    public static ModelSpec dncnn(int channels, int depth, int features, boolean batchNorm) {
        return builder(ModelType.DNCNN, channels).dncnnDepth(depth).dncnnFeatures(features).batchNorm(batchNorm).build();
    }

    public static ModelSpec unet(int channels, int base, int levels, UnetDownsample down, UnetUpsample up) {
        return builder(ModelType.UNET, channels).unetBaseFeatures(base).unetLevels(levels).unetDownsample(down).unetUpsample(up)
                .build();
    }
}
