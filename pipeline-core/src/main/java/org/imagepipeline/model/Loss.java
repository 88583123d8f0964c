package org.imagepipeline.model;

import java.util.Locale;

/**
 * The per-pixel training loss on [0,1] samples (pipeline.model.loss).
 * A constant's {@code toString()} is how the configuration writes it.
 */
public enum Loss {
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    L1;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
