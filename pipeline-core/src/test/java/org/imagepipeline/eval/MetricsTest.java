package org.imagepipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;
import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void mseMaePsnrOfATinyImageByHand() {
        Image a = new Image(1, 2, 2, new float[] {0f, 0.5f, 1f, 0.25f});
        Image b = new Image(1, 2, 2, new float[] {0f, 0.25f, 0.5f, 0.25f});
        // differences 0, .25, .5, 0: MSE = (.0625 + .25) / 4, MAE = .75 / 4
        assertEquals(0.078125, Metrics.mse(a, b), 0);
        assertEquals(0.1875, Metrics.mae(a, b), 0);
        // 10 log10(1 / 0.078125) = 10 log10(12.8)
        assertEquals(11.072099696478683, Metrics.psnr(a, b), 1e-12);
    }

    @Test
    void psnrOnTheEightBitScale() {
        // Every pixel off by 10 code values: MSE = 100 on [0,255], PSNR = 10 log10(255^2 / 100).
        Image a = constant(3, 16, 16, 100 / 255f);
        Image b = constant(3, 16, 16, 110 / 255f);
        assertEquals(28.130803608679106, Metrics.psnr(a, b), 1e-4);
        assertEquals(10 / 255.0, Metrics.mae(a, b), 1e-6);
    }

    @Test
    void identicalImagesHaveInfinitePsnrAndSsimOne() {
        Image a = random(3, 32, 40, 7);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, a.copy()));
        assertEquals(1.0, Metrics.ssim(a, a.copy()), 1e-12);
        MetricSet m = Metrics.all(a, a.copy());
        assertEquals(new MetricSet(Double.POSITIVE_INFINITY, m.ssim(), 0, 0), m);
    }

    @Test
    void metricsAreSymmetric() {
        Image a = random(3, 30, 33, 1);
        Image b = random(3, 30, 33, 2);
        assertEquals(Metrics.ssim(a, b), Metrics.ssim(b, a), 0);
        assertEquals(Metrics.psnr(a, b), Metrics.psnr(b, a), 0);
        assertEquals(Metrics.mae(a, b), Metrics.mae(b, a), 0);
    }

    @Test
    void ssimOfTwoConstantImagesIsTheLuminanceTerm() {
        // Zero variance everywhere: SSIM = (2 mx my + C1) / (mx^2 + my^2 + C1) exactly.
        double mx = 0.5, my = 0.25, c1 = 1e-4;
        double expected = (2 * mx * my + c1) / (mx * mx + my * my + c1);
        assertEquals(expected, Metrics.ssim(constant(1, 20, 20, 0.5f), constant(1, 20, 20, 0.25f)), 1e-12);
    }

    @Test
    void ssimOfACheckerboardUnderShiftAndContrastChangeMatchesTheClosedForm() {
        // x = mu + a*chi with chi = +-1 a period-2 checkerboard. Under an 11x11 window with 1-D
        // taps g_i, E[chi] = p*s^2 with s = sum_i g_i (-1)^i and p = +-1 by position parity, and
        // E[chi^2] = 1, so every local moment has a closed form and the map takes two values,
        // each on half of the 20x20 valid map.
        double mu = 0.5, a = 0.25;
        double[] g = new double[11];
        double sum = 0;
        for (int i = -5; i <= 5; i++) sum += g[i + 5] = Math.exp(-i * i / (2 * 1.5 * 1.5));
        double s = 0;
        for (int i = -5; i <= 5; i++) s += (g[i + 5] / sum) * ((i & 1) == 0 ? 1 : -1);
        double[][] cases = {{0.5, 1.0}, {0.4, 0.5}, {0.3, 0.2}}; // {mu', k}: y = mu' + k a chi
        for (double[] cs : cases) {
            double mu2 = cs[0], k = cs[1];
            Image x = checker(30, (float) mu, (float) a);
            Image y = checker(30, (float) mu2, (float) (k * a));
            double expected = 0;
            for (int p = -1; p <= 1; p += 2) {
                double m = p * s * s;
                double ux = mu + a * m, uy = mu2 + k * a * m, v = a * a * (1 - m * m);
                double c1 = 1e-4, c2 = 9e-4;
                expected += 0.5 * ((2 * ux * uy + c1) * (2 * k * v + c2))
                        / ((ux * ux + uy * uy + c1) * (v + k * k * v + c2));
            }
            assertEquals(expected, Metrics.ssim(x, y), 1e-6, "mu'=" + mu2 + " k=" + k);
        }
    }

    // Reference values from scikit-image 0.19.3 (Debian bookworm python3-skimage, numpy 1.24.2),
    // computed once with this script on the same integer images the helpers below regenerate:
    //
    //   import numpy as np
    //   from skimage.metrics import structural_similarity as ssim, peak_signal_noise_ratio as psnr
    //   from skimage.color import rgb2ycbcr
    //   clip = lambda v: np.clip(v, 0, 255)
    //   y, x = np.mgrid[0:48, 0:64].astype(np.int64)
    //   a1 = clip(128 + (x*x + 2*y*y) % 97 - 48 + ((x//6 + y//6) % 2)*40 - 20)
    //   b1 = clip(a1 + (x*31 + y*17 + x*y*7) % 41 - 20)
    //   c1 = clip((a1*3)//4 + 30)
    //   y, x = np.mgrid[0:40, 0:56].astype(np.int64)
    //   a2 = np.stack([((x*(c+2) + y*(3-c) + (x*y*(c+1)) % 29)*3) % 256 for c in range(3)], axis=2)
    //   b2 = np.stack([clip(a2[..., c] + (x*13 + y*29 + c*7 + x*y*3) % 31 - 15) for c in range(3)], axis=2)
    //   a1, b1, c1, a2, b2 = (v.astype(np.uint8) for v in (a1, b1, c1, a2, b2))
    //   kw = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)
    //   print(psnr(a1, b1, data_range=255), ssim(a1, b1, **kw))                  # gray noise
    //   print(psnr(a1, c1, data_range=255), ssim(a1, c1, **kw))                  # gray affine
    //   print(psnr(a2, b2, data_range=255), ssim(a2, b2, channel_axis=2, **kw))  # RGB noise
    //   ya, yb = (rgb2ycbcr(v)[4:-4, 4:-4, 0] for v in (a2, b2))
    //   print(psnr(ya, yb, data_range=255), ssim(ya, yb, **kw))                  # Y, border 4

    @Test
    void grayPairsAgreeWithScikitImage() {
        Image a1 = gray(48, 64, (y, x) -> clip(128 + (x * x + 2 * y * y) % 97 - 48 + ((x / 6 + y / 6) % 2) * 40 - 20));
        Image b1 = gray(48, 64, (y, x) -> clip(code(a1, 0, y, x) + (x * 31 + y * 17 + x * y * 7) % 41 - 20));
        Image c1 = gray(48, 64, (y, x) -> clip((code(a1, 0, y, x) * 3) / 4 + 30));
        assertEquals(26.5660298586, Metrics.psnr(a1, b1), 1e-4);
        assertEquals(0.9409026383, Metrics.ssim(a1, b1), 1e-4);
        assertEquals(29.0687899396, Metrics.psnr(a1, c1), 1e-4);
        assertEquals(0.9610334506, Metrics.ssim(a1, c1), 1e-4);
    }

    @Test
    void rgbPairAgreesWithScikitImageOnRgbAndOnCroppedLuma() {
        int h = 40, w = 56;
        Image a2 = new Image(3, h, w);
        Image b2 = new Image(3, h, w);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int av = ((x * (c + 2) + y * (3 - c) + (x * y * (c + 1)) % 29) * 3) % 256;
                    a2.set(c, y, x, av / 255f);
                    b2.set(c, y, x, clip(av + (x * 13 + y * 29 + c * 7 + x * y * 3) % 31 - 15) / 255f);
                }
            }
        }
        assertEquals(29.1749422219, Metrics.psnr(a2, b2), 1e-4);
        assertEquals(0.9754711940, Metrics.ssim(a2, b2), 1e-4);
        MetricSet y = Metrics.all(a2, b2, MetricOptions.luma(4));
        assertEquals(34.5664664490, y.psnr(), 1e-4);
        assertEquals(0.9865843003, y.ssim(), 1e-4);
    }

    @Test
    void borderCropAndLumaUseOnlyTheInterior() {
        Image a = random(3, 24, 24, 3);
        Image b = a.copy();
        // Damage only the outermost 2 pixels; a border of 2 must see identical images.
        for (int c = 0; c < 3; c++) for (int i = 0; i < 24; i++) b.set(c, 0, i, 1f - b.get(c, 0, i));
        for (int c = 0; c < 3; c++) for (int i = 0; i < 24; i++) b.set(c, i, 23, 1f - b.get(c, i, 23));
        assertTrue(Metrics.mse(a, b) > 0);
        assertEquals(0, Metrics.mse(a, b, new MetricOptions(2, MetricOptions.Space.RGB)));
        assertEquals(1.0, Metrics.ssim(a, b, MetricOptions.luma(2)), 1e-12);
        // Luma of white and black ends at 235 and 16 code values.
        assertEquals(235 / 255.0, Metrics.luma(constant(3, 1, 1, 1f)).get(0, 0, 0), 1e-6);
        assertEquals(16 / 255.0, Metrics.luma(constant(3, 1, 1, 0f)).get(0, 0, 0), 1e-6);
    }

    @Test
    void mismatchedShapesAreRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.psnr(new Image(3, 16, 16), new Image(1, 16, 16)));
        assertTrue(e.getMessage().contains("3x16x16") && e.getMessage().contains("1x16x16"), e.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> Metrics.ssim(new Image(1, 10, 40), new Image(1, 10, 40)));
        assertTrue(small.getMessage().contains("11x11"), small.getMessage());
    }

    @Test
    void accumulatorAveragesPerImageMetricsAndMerges() {
        MetricAccumulator left = new MetricAccumulator().add(new MetricSet(30, 0.8, 0.001, 0.02));
        MetricAccumulator right = new MetricAccumulator().add(new MetricSet(20, 0.6, 0.01, 0.06))
                .add(new MetricSet(25, 0.7, 0.004, 0.04));
        MetricSet mean = left.merge(right).mean();
        assertEquals(3, left.count());
        assertEquals(25, mean.psnr(), 1e-12);
        assertEquals(0.7, mean.ssim(), 1e-12);
        assertEquals(0.005, mean.mse(), 1e-12);
        assertEquals(0.04, mean.mae(), 1e-12);
        assertThrows(IllegalStateException.class, () -> new MetricAccumulator().mean());
    }

    // ---------------------------------------------------------------------------------------

    private static int clip(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static int code(Image img, int c, int y, int x) {
        return Math.round(img.get(c, y, x) * 255f);
    }

    private static Image gray(int h, int w, IntBinaryOperator f) {
        Image img = new Image(1, h, w);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.set(0, y, x, f.applyAsInt(y, x) / 255f);
        return img;
    }

    private static Image constant(int c, int h, int w, float v) {
        Image img = new Image(c, h, w);
        java.util.Arrays.fill(img.data(), v);
        return img;
    }

    private static Image checker(int size, float mean, float amplitude) {
        Image img = new Image(1, size, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) img.set(0, y, x, mean + (((x + y) & 1) == 0 ? amplitude : -amplitude));
        }
        return img;
    }

    private static Image random(int c, int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Image img = new Image(c, h, w);
        for (int i = 0; i < img.data().length; i++) img.data()[i] = (float) rng.nextDouble();
        return img;
    }
}
