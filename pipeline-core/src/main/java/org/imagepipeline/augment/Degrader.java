package org.imagepipeline.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.imagepipeline.image.Image;

/**
 * Applies the enabled degradations of a {@link DegradationSettings} to a clean image, in the
 * order a camera and a pipeline would produce them: Gaussian blur → motion blur (optics, shake)
 * → downscale (sensor resolution) → Poisson then Gaussian noise (shot noise, then read noise) →
 * JPEG (storage) → mask (damage). Each parameter is drawn uniformly from its range with the given
 * random, and only enabled degradations draw, in that fixed order; so one seed gives one result.
 * The result is clamped to [0,1]. Serializable and stateless: share one per executor.
 */
public final class Degrader implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DegradationSettings settings;

    public Degrader(DegradationSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("A Degrader needs DegradationSettings, got null.");
        }
        this.settings = settings;
    }

    public DegradationSettings settings() {
        return settings;
    }

    /** Degrades {@code clean} (not changed) with parameters drawn from {@code rng}. */
    public Degraded degrade(Image clean, SplittableRandom rng) {
        DegradationSettings s = settings;
        List<String> applied = new ArrayList<>();
        Image img = clean;
        if (s.gaussianBlur().enabled()) {
            double sigma = s.gaussianBlur().sigma().sample(rng);
            img = Blur.gaussian(img, sigma);
            applied.add(String.format(Locale.ROOT, "gaussian-blur sigma=%.3f", sigma));
        }
        if (s.motionBlur().enabled()) {
            double length = s.motionBlur().length().sample(rng);
            double angle = s.motionBlur().angle().sample(rng);
            img = Blur.motion(img, length, angle);
            applied.add(String.format(Locale.ROOT, "motion-blur length=%.3f angle=%.1f", length, angle));
        }
        if (s.downscale().enabled()) {
            img = Resize.downUp(img, s.downscale().factor());
            applied.add("downscale factor=" + s.downscale().factor());
        }
        if (s.poissonNoise().enabled()) {
            double peak = s.poissonNoise().peak().sample(rng);
            img = Noise.poisson(img, peak, rng);
            applied.add(String.format(Locale.ROOT, "poisson-noise peak=%.3f", peak));
        }
        if (s.gaussianNoise().enabled()) {
            double sigma = s.gaussianNoise().sigma().sample(rng);
            img = Noise.gaussian(img, sigma, rng);
            applied.add(String.format(Locale.ROOT, "gaussian-noise sigma=%.3f", sigma));
        }
        if (s.jpeg().enabled()) {
            int quality = (int) Math.round(s.jpeg().quality().sample(rng));
            img = Jpeg.compress(img, quality);
            applied.add("jpeg quality=" + quality);
        }
        Image mask = null;
        if (s.mask().enabled()) {
            double coverage = s.mask().coverage().sample(rng);
            MaskedImage m = Masks.missingRegions(img, coverage, s.mask().fill(), s.mask().fillValue(), rng);
            img = m.image();
            mask = m.mask();
            applied.add(String.format(Locale.ROOT, "mask coverage=%.4f", Masks.coverage(mask)));
        }
        // Every step already keeps [0,1] except the blurs, whose convex kernels cannot leave it
        // either; clamping once more is cheap and makes the invariant local to this method.
        return new Degraded(img == clean ? clean.copy() : img.clamp01(), mask, applied);
    }
}
