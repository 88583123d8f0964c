package org.imagepipeline.model;

import org.nd4j.linalg.api.buffer.DataType;

/** Small specs for tests; the real defaults live in reference.conf. */
public final class Specs {
    private Specs() {
    }

    public static ModelSpec dncnn(int channels, int depth, int features, boolean batchNorm) {
        return new ModelSpec(ModelType.DNCNN, channels, depth, features, batchNorm, 4, 2, UnetDownsample.MAXPOOL, UnetUpsample.UPSAMPLE,
                Loss.MSE, 1e-3, 0, LrSchedule.NONE, 1, 1, 1, 0, 0.9, 0.999, 42, DataType.FLOAT);
    }

    public static ModelSpec unet(int channels, int base, int levels, UnetDownsample down, UnetUpsample up) {
        return new ModelSpec(ModelType.UNET, channels, 17, 64, false, base, levels, down, up,
                Loss.MSE, 1e-3, 0, LrSchedule.NONE, 1, 1, 1, 0, 0.9, 0.999, 42, DataType.FLOAT);
    }
}
