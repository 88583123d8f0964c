package org.imagepipeline.augment;

import java.io.Serializable;
import org.imagepipeline.image.Image;

/**
 * A restoration training example: the model sees {@code degraded} and is trained towards
 * {@code clean}; both have the same shape, samples in [0,1]. {@code mask} (1 channel, 1 = missing)
 * is present only for inpainting and null otherwise; inpainting models take it as an extra input.
 */
public record TrainingPair(Image degraded, Image clean, Image mask) implements Serializable {

    /** A pair without a mask. */
    public TrainingPair(Image degraded, Image clean) {
        this(degraded, clean, null);
    }
}
