package org.imagepipeline.augment;

import java.util.SplittableRandom;
import org.imagepipeline.image.Image;

/**
 * Additive and signal-dependent noise. Both return a new image clamped to [0,1]; the input is not
 * changed. Noise is independent per sample (per channel: colour noise, as in the DnCNN/FFDNet
 * protocols).
 */
public final class Noise {
    private Noise() {}

    /**
     * Adds i.i.d. Gaussian noise N(0, (sigma/255)²) to every sample, then clamps: {@code sigma} is on
     * the 0–255 scale (σ = 25 is the usual "σ 25" benchmark).
     */
    public static Image gaussian(Image image, double sigma255, SplittableRandom rng) {
        if (!(sigma255 >= 0) || Double.isInfinite(sigma255)) {
            throw new IllegalArgumentException("Gaussian noise sigma must be a finite number >= 0 on the 0-255 scale, got "
                    + sigma255 + ".");
        }
        Image out = image.copy();
        float[] d = out.data();
        double s = sigma255 / 255.0;
        for (int i = 0; i < d.length; i++) d[i] = (float) (d[i] + s * rng.nextGaussian());
        return out.clamp01();
    }

    /**
     * Shot noise: each sample v becomes {@code Poisson(peak·v) / peak}, then is clamped. {@code peak}
     * is the photon count of a white sample, so lower is noisier; the variance of a sample is
     * v/peak (on the [0,1] scale).
     */
    public static Image poisson(Image image, double peak, SplittableRandom rng) {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("Poisson noise peak must be a finite number > 0 (photons at white), got "
                    + peak + ".");
        }
        Image out = image.copy();
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            double lambda = Math.max(0.0, d[i]) * peak;
            d[i] = (float) (samplePoisson(lambda, rng) / peak);
        }
        return out.clamp01();
    }

    /**
     * One Poisson(lambda) draw: Knuth's product of uniforms for small lambda, Hörmann's
     * transformed rejection (PTRS, 1993) above, whose cost does not grow with lambda.
     */
    static long samplePoisson(double lambda, SplittableRandom rng) {
        if (lambda <= 0) return 0;
        if (lambda < 10) {
            double limit = Math.exp(-lambda);
            long k = 0;
            double p = rng.nextDouble();
            while (p > limit) {
                k++;
                p *= rng.nextDouble();
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double logLam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * logLam - logFactorial(k)) {
                return k;
            }
        }
    }

    /** ln(k!) exactly by summation for small k, by Stirling's series (error < 1e-10) above. */
    static double logFactorial(long k) {
        if (k < 20) {
            double s = 0;
            for (long i = 2; i <= k; i++) s += Math.log(i);
            return s;
        }
        double n = k;
        double inv = 1.0 / n;
        double inv2 = inv * inv;
        return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
    }
}
