package org.imagepipeline.augment;

/** What replaces the pixels of a missing region for inpainting. */
public enum MaskFill {
    /** One constant value in [0,1] on every channel (0 = black holes, the common choice). */
    CONSTANT,
    /** Independent uniform noise in [0,1] per sample, so a model cannot detect holes by value alone. */
    NOISE
}
