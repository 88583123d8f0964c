package org.imagepipeline.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A closed interval [lo, hi] that a degradation parameter is drawn from uniformly. {@code lo == hi}
 * fixes the parameter. Not validated on construction: {@link DegradationSettings} checks every
 * range against its own bounds and reports all problems together.
 */
public record Range(double lo, double hi) implements Serializable {

    /** The fixed value {@code v}. */
    public static Range of(double v) {
        return new Range(v, v);
    }

    /**
     * A uniform draw from [lo, hi]. Always consumes exactly one number from {@code rng}, so the
     * stream stays aligned whatever the range is.
     */
    public double sample(SplittableRandom rng) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /**
     * Null when this range is finite and {@code min <= lo <= hi <= max}; otherwise a sentence such as
     * "gaussian-noise.sigma must be [lo, hi] with 0 <= lo <= hi, got [30, 10]." An infinite max
     * is left out of the message.
     */
    String problem(String name, double min, double max) {
        boolean ok = Double.isFinite(lo) && Double.isFinite(hi) && min <= lo && lo <= hi && hi <= max;
        if (ok) return null;
        return name + " must be [lo, hi] with " + format(min) + " <= lo <= hi"
                + (Double.isInfinite(max) ? "" : " <= " + format(max)) + ", got [" + format(lo) + ", " + format(hi) + "].";
    }

    /** Integers without a trailing ".0", so messages echo what the user wrote. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return "[" + format(lo) + ", " + format(hi) + "]";
    }
}
