package org.imagepipeline.augment;

import static org.imagepipeline.augment.TestImages.constant;
import static org.imagepipeline.augment.TestImages.mean;
import static org.imagepipeline.augment.TestImages.variance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.imagepipeline.image.Image;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NoiseTest {

    @ParameterizedTest
    @CsvSource({"5", "15", "25"})
    void gaussianNoiseHasTheAskedSigmaOnThe255Scale(double sigma) {
        // Mid-grey is > 5 sigma from both clamps at sigma 25, so clamping is negligible.
        Image flat = constant(3, 256, 256, 0.5f);
        Image noisy = Noise.gaussian(flat, sigma, new SplittableRandom(42));
        double measured = Math.sqrt(variance(noisy)) * 255;
        assertEquals(sigma, measured, 0.02 * sigma, "measured sigma " + measured);
        assertEquals(0.5, mean(noisy), 1e-3);
        assertEquals(0.5f, flat.get(0, 0, 0), "the input is not changed");
    }

    @Test
    void gaussianNoiseIsDeterministicPerSeedAndClamped() {
        Image flat = constant(1, 64, 64, 0.95f);
        Image a = Noise.gaussian(flat, 50, new SplittableRandom(7));
        assertEquals(a, Noise.gaussian(flat, 50, new SplittableRandom(7)));
        assertNotEquals(a, Noise.gaussian(flat, 50, new SplittableRandom(8)));
        for (float v : a.data()) assertTrue(v >= 0f && v <= 1f, "sample " + v);
        assertEquals(flat, Noise.gaussian(flat, 0, new SplittableRandom(7)));
    }

    @ParameterizedTest
    @CsvSource({"0.1, 4", "0.3, 100", "0.5, 1000"}) // lambda 0.4 (product method), 30 and 500 (PTRS)
    void poissonNoiseHasVarianceMeanOverPeak(double level, double peak) {
        Image flat = constant(3, 256, 256, (float) level);
        Image noisy = Noise.poisson(flat, peak, new SplittableRandom(3));
        assertEquals(level, mean(noisy), 0.01 * level);
        assertEquals(level / peak, variance(noisy), 0.03 * level / peak);
        // Photon counts are integers: every sample is k / peak.
        for (int i = 0; i < 1000; i++) {
            double k = noisy.data()[i] * peak;
            assertEquals(Math.rint(k), k, 1e-3 * Math.max(1, k));
        }
    }

    @Test
    void poissonSamplerMatchesItsMomentsAcrossTheMethodSwitch() {
        SplittableRandom rng = new SplittableRandom(11);
        for (double lambda : new double[] {9.5, 10.5, 80}) {
            int n = 200_000;
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) {
                long k = Noise.samplePoisson(lambda, rng);
                s += k;
                s2 += (double) k * k;
            }
            double m = s / n;
            assertEquals(lambda, m, 0.01 * lambda, "mean at lambda " + lambda);
            assertEquals(lambda, s2 / n - m * m, 0.03 * lambda, "variance at lambda " + lambda);
        }
        assertEquals(Math.log(3628800.0 * 11 * 12 * 13 * 14 * 15 * 16 * 17 * 18 * 19 * 20 * 21 * 22),
                Noise.logFactorial(22), 1e-9);
    }

    @Test
    void invalidNoiseParametersAreRejected() {
        Image img = constant(1, 4, 4, 0.5f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Noise.gaussian(img, -1, new SplittableRandom(1)));
        assertEquals("Gaussian noise sigma must be a finite number >= 0 on the 0-255 scale, got -1.0.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Noise.poisson(img, 0, new SplittableRandom(1)));
    }
}
