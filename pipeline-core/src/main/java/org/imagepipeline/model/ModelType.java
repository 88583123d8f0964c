package org.imagepipeline.model;

import java.util.Locale;

/**
 * The restoration network's architecture (pipeline.model.type).
 * A constant's {@code toString()} is how the configuration writes it.
 */
public enum ModelType {
    /** DnCNN, the residual denoiser. */
    DNCNN,
    /** The U-Net encoder-decoder (blur, JPEG, super-resolution on pre-upscaled input, inpainting). */
    UNET;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
