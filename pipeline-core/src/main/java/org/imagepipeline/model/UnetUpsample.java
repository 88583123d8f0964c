package org.imagepipeline.model;

import java.util.Locale;

/**
 * How a U-Net doubles its resolution (pipeline.model.unet.upsample).
 * A constant's {@code toString()} is how the configuration writes it.
 */
public enum UnetUpsample {
    /** Nearest-neighbour ×2, then a 3×3 convolution (no checkerboard artefacts). */
    UPSAMPLE,
    /** A 2×2 transposed convolution of stride 2. */
    DECONV;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
