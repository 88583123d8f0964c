package org.imagepipeline.config;

import org.imagepipeline.augment.DegradationSettings;
import org.imagepipeline.augment.Degrader;
import org.imagepipeline.augment.MaskFill;
import org.imagepipeline.augment.PatchSampler;
import org.imagepipeline.augment.Range;

import java.io.Serializable;

/**
 * How clean images become training pairs (pipeline.prepare.*): patch sampling and the synthetic
 * degradations. Both travel to the executors inside the settings.
 */
public record PrepareSettings(PatchSampler sampler, DegradationSettings degradations, String output, int previewPairs)
        implements Serializable {

    public int patchSize() { return sampler.patchSize(); }

    public int patchesPerImage() { return sampler.patchesPerImage(); }

    public Degrader degrader() { return new Degrader(degradations); }

    static PrepareSettings read(ConfigReader r) {
        String p = "pipeline.prepare.";
        String d = p + "degradations.";
        int knownErrors = r.errors().size();
        PatchSampler sampler = null;
        int patch = r.int32(p + "patch-size", 4, 4096);
        int count = r.int32(p + "patches-per-image", 1, 1 << 20);
        boolean flips = r.bool(p + "flips");
        boolean rot90 = r.bool(p + "rot90");
        try {
            sampler = new PatchSampler(patch, count, flips, rot90);
        } catch (IllegalArgumentException e) {
            r.errors().add("pipeline.prepare: " + e.getMessage());
        }
        DegradationSettings deg = null;
        try {
            deg = new DegradationSettings(
                    new DegradationSettings.GaussianNoise(r.bool(d + "gaussian-noise.enabled"), range(r, d + "gaussian-noise.sigma", 0, 255)),
                    new DegradationSettings.PoissonNoise(r.bool(d + "poisson-noise.enabled"), range(r, d + "poisson-noise.peak", 1e-3, 1e9)),
                    new DegradationSettings.GaussianBlur(r.bool(d + "gaussian-blur.enabled"), range(r, d + "gaussian-blur.sigma", 0, 100)),
                    new DegradationSettings.MotionBlur(r.bool(d + "motion-blur.enabled"), range(r, d + "motion-blur.length", 0, 1000),
                            range(r, d + "motion-blur.angle", -360, 360)),
                    new DegradationSettings.Downscale(r.bool(d + "downscale.enabled"), r.int32(d + "downscale.factor", 1, 64)),
                    new DegradationSettings.Jpeg(r.bool(d + "jpeg.enabled"), range(r, d + "jpeg.quality", 1, 100)),
                    new DegradationSettings.Mask(r.bool(d + "mask.enabled"), range(r, d + "mask.coverage", 0, 1),
                            r.choice(d + "mask.fill", MaskFill.class),
                            r.number(d + "mask.fill-value", 0, 1)));
        } catch (IllegalArgumentException e) {
            // The record's own checks repeat what the reader already reported; add only what is new.
            if (r.errors().size() == knownErrors) r.errors().add("pipeline.prepare.degradations: " + e.getMessage());
        }
        return new PrepareSettings(sampler, deg, r.string(p + "output").trim(), r.int32(p + "preview-pairs", 0, 10_000));
    }

    private static Range range(ConfigReader r, String path, double min, double max) {
        double[] v = r.range(path, min, max);
        return new Range(v[0], v[1]);
    }
}
