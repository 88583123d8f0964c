package org.imagepipeline.model;

import java.util.Locale;

/**
 * How the learning rate changes during training (pipeline.train.lr-schedule).
 * A constant's {@code toString()} is how the configuration writes it.
 */
public enum LrSchedule {
    /** Constant. */
    NONE,
    /** Multiplied by lr-gamma every lr-step-epochs epochs. */
    STEP,
    /** Half a cosine from the learning rate down to lr-minimum over lr-cosine-iterations iterations, then constant. */
    COSINE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
