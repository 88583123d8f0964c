package org.imagepipeline.model;

import java.util.Locale;

/**
 * How a U-Net halves its resolution (pipeline.model.unet.downsample).
 * A constant's {@code toString()} is how the configuration writes it.
 */
public enum UnetDownsample {
    /** 2×2 max-pooling. */
    MAXPOOL,
    /** A 3×3 convolution of stride 2, which learns its own downsampling. */
    STRIDED;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
