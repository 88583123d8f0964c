package org.imagepipeline.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which synthetic degradations make a training input and the ranges their parameters are drawn
 * from, one small record per degradation. Config keys {@code pipeline.prepare.degradations.<name>.*}
 * map onto these records; names in error messages use those key names. Immutable and
 * Serializable, so executors receive it as it is.
 *
 * <p>Every range is checked on construction, enabled or not, and all problems are reported in one
 * exception. Units: noise σ on the 0–255 scale, Poisson peak in photons at white, blur σ and
 * lengths in pixels, angles in degrees, JPEG quality 1–100, coverage as a fraction of the area.
 */
public record DegradationSettings(GaussianNoise gaussianNoise, PoissonNoise poissonNoise,
                                  GaussianBlur gaussianBlur, MotionBlur motionBlur, Downscale downscale,
                                  Jpeg jpeg, Mask mask) implements Serializable {

    /** Additive Gaussian noise; {@code sigma} on the 0–255 scale. */
    public record GaussianNoise(boolean enabled, Range sigma) implements Serializable {
        void check(List<String> problems) {
            add(problems, "gaussian-noise.sigma", sigma, 0, Double.POSITIVE_INFINITY);
        }
    }

    /** Shot noise; {@code peak} is the photon count of white (lower is noisier), > 0. */
    public record PoissonNoise(boolean enabled, Range peak) implements Serializable {
        void check(List<String> problems) {
            if (peak != null && peak.lo() == 0 && peak.hi() >= 0 && Double.isFinite(peak.hi())) {
                // A zero peak would divide by zero: the bound is strict here.
                problems.add("poisson-noise.peak must be [lo, hi] with 0 < lo <= hi, got " + peak + ".");
            } else {
                add(problems, "poisson-noise.peak", peak, 0, Double.POSITIVE_INFINITY);
            }
        }
    }

    /** Isotropic Gaussian blur; {@code sigma} in pixels. */
    public record GaussianBlur(boolean enabled, Range sigma) implements Serializable {
        void check(List<String> problems) {
            add(problems, "gaussian-blur.sigma", sigma, 0, Double.POSITIVE_INFINITY);
        }
    }

    /** Linear motion blur; {@code length} in pixels, {@code angle} in degrees from +x, counter-clockwise. */
    public record MotionBlur(boolean enabled, Range length, Range angle) implements Serializable {
        void check(List<String> problems) {
            add(problems, "motion-blur.length", length, 0, Double.POSITIVE_INFINITY);
            add(problems, "motion-blur.angle", angle, -360, 360);
        }
    }

    /** Area-down, bicubic-up resampling by an integer {@code factor} >= 2 (see {@link Resize}). */
    public record Downscale(boolean enabled, int factor) implements Serializable {
        void check(List<String> problems) {
            if (factor < 2) problems.add("downscale.factor must be an integer >= 2, got " + factor + ".");
        }
    }

    /** JPEG round trip; {@code quality} in [1,100], drawn uniformly and rounded to an integer. */
    public record Jpeg(boolean enabled, Range quality) implements Serializable {
        void check(List<String> problems) {
            add(problems, "jpeg.quality", quality, 1, 100);
        }
    }

    /**
     * Missing regions for inpainting; {@code coverage} is the fraction of the area removed,
     * {@code fillValue} (in [0,1]) is used when {@code fill} is {@link MaskFill#CONSTANT}.
     */
    public record Mask(boolean enabled, Range coverage, MaskFill fill, double fillValue) implements Serializable {
        void check(List<String> problems) {
            add(problems, "mask.coverage", coverage, 0, 1);
            if (fill == null) problems.add("mask.fill must be CONSTANT or NOISE, got nothing (null).");
            if (!(fillValue >= 0 && fillValue <= 1)) {
                problems.add("mask.fill-value must be in [0, 1], got " + Range.format(fillValue) + ".");
            }
        }
    }

    public DegradationSettings {
        List<String> problems = problems(gaussianNoise, poissonNoise, gaussianBlur, motionBlur, downscale, jpeg, mask);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid degradation settings: " + String.join(" ", problems));
        }
    }

    /** Settings with every degradation disabled (and valid placeholder ranges). */
    public static DegradationSettings none() {
        return new DegradationSettings(new GaussianNoise(false, Range.of(0)), new PoissonNoise(false, Range.of(1)),
                new GaussianBlur(false, Range.of(0)), new MotionBlur(false, Range.of(0), Range.of(0)),
                new Downscale(false, 2), new Jpeg(false, Range.of(100)), new Mask(false, Range.of(0), MaskFill.CONSTANT, 0));
    }

    /** A copy with {@code g} in place of the Gaussian noise settings; {@link #withJpeg} likewise. */
    public DegradationSettings withGaussianNoise(GaussianNoise g) {
        return new DegradationSettings(g, poissonNoise, gaussianBlur, motionBlur, downscale, jpeg, mask);
    }

    public DegradationSettings withJpeg(Jpeg j) {
        return new DegradationSettings(gaussianNoise, poissonNoise, gaussianBlur, motionBlur, downscale, j, mask);
    }

    /**
     * Every problem with these parts, one sentence each, empty when they are valid. Config code
     * can call this to merge them with its own problems before constructing.
     */
    public static List<String> problems(GaussianNoise gaussianNoise, PoissonNoise poissonNoise,
                                        GaussianBlur gaussianBlur, MotionBlur motionBlur, Downscale downscale,
                                        Jpeg jpeg, Mask mask) {
        List<String> p = new ArrayList<>();
        if (gaussianNoise == null) p.add(missing("gaussian-noise")); else gaussianNoise.check(p);
        if (poissonNoise == null) p.add(missing("poisson-noise")); else poissonNoise.check(p);
        if (gaussianBlur == null) p.add(missing("gaussian-blur")); else gaussianBlur.check(p);
        if (motionBlur == null) p.add(missing("motion-blur")); else motionBlur.check(p);
        if (downscale == null) p.add(missing("downscale")); else downscale.check(p);
        if (jpeg == null) p.add(missing("jpeg")); else jpeg.check(p);
        if (mask == null) p.add(missing("mask")); else mask.check(p);
        return p;
    }

    private static String missing(String name) {
        return name + " settings are missing (null).";
    }

    private static void add(List<String> problems, String name, Range r, double min, double max) {
        if (r == null) {
            problems.add(name + " must be a range [lo, hi], got nothing (null).");
            return;
        }
        String p = r.problem(name, min, max);
        if (p != null) problems.add(p);
    }
}
