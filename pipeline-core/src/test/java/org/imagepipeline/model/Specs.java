package org.imagepipeline.model;

import org.nd4j.linalg.api.buffer.DataType;

/** Small specs for tests; the real defaults live in reference.conf. */
public final class Specs {
    private Specs() {
    }

    public static ModelSpec dncnn(int channels, int depth, int features, boolean batchNorm) {
        return new ModelSpec(ModelSpec.DNCNN, channels, depth, features, batchNorm, 4, 2, "maxpool", "upsample",
                "mse", 1e-3, 0, "none", 1, 1, 1, 0, 0.9, 0.999, 42, DataType.FLOAT);
    }

    public static ModelSpec unet(int channels, int base, int levels, String down, String up) {
        return new ModelSpec(ModelSpec.UNET, channels, 17, 64, false, base, levels, down, up,
                "mse", 1e-3, 0, "none", 1, 1, 1, 0, 0.9, 0.999, 42, DataType.FLOAT);
    }
}
