package org.imagepipeline.augment;

import static org.imagepipeline.augment.TestImages.constant;
import static org.imagepipeline.augment.TestImages.mean;
import static org.imagepipeline.augment.TestImages.uniform;
import static org.imagepipeline.augment.TestImages.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlurTest {

    @Test
    void gaussianBlurPreservesTheMeanWithReflectBorders() {
        Image img = uniform(3, 37, 53, 5);
        Image blurred = Blur.gaussian(img, 2.5);
        assertEquals(mean(img), mean(blurred), 1e-6);
        Image tiny = uniform(1, 4, 5, 6); // kernel (radius 8) far wider than the image
        assertEquals(mean(tiny), mean(Blur.gaussian(tiny, 2.5)), 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"1.0", "2.0"})
    void gaussianBlurReducesWhiteNoiseVarianceByTheKernelEnergy(double sigma) {
        // For white noise of variance v, a 2-D Gaussian of std sigma leaves v * (sum g_i^2)^2, and
        // sum g_i^2 = 1 / (2 sigma sqrt(pi)) for a sampled Gaussian of sigma >= 1 (to 1e-4).
        Image noise = uniform(3, 512, 512, 9);
        double expected = (1.0 / 12) / (4 * Math.PI * sigma * sigma);
        assertEquals(expected, variance(Blur.gaussian(noise, sigma)), 0.05 * expected);
    }

    @Test
    void gaussianKernelIsNormalizedAndZeroSigmaIsIdentity() {
        double[] k = Blur.gaussianKernel(1.2);
        assertEquals(2 * 4 + 1, k.length); // radius ceil(3 * 1.2) = 4
        assertEquals(1.0, sum(k), 1e-12);
        assertArrayEquals(new double[] {1.0}, Blur.gaussianKernel(0));
        Image img = uniform(1, 8, 8, 1);
        assertEquals(img, Blur.gaussian(img, 0));
    }

    @Test
    void motionKernelSumsToOneAndIsPointSymmetric() {
        for (double length : new double[] {1, 4.5, 9, 15.3}) {
            for (double angle : new double[] {0, 30, 45, 90, 137.5}) {
                double[][] k = Blur.motionKernel(length, angle);
                int n = k.length;
                double total = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        total += k[i][j];
                        assertEquals(k[i][j], k[n - 1 - i][n - 1 - j], 1e-12, "symmetry at " + length + "/" + angle);
                    }
                }
                assertEquals(1.0, total, 1e-12, "sum at length " + length + " angle " + angle);
            }
        }
    }

    @Test
    void motionKernelLiesAlongItsAngle() {
        double[][] horizontal = Blur.motionKernel(9, 0);
        assertEquals(11, horizontal.length); // 2 * ceil(9 / 2) + 1
        assertEquals(1.0, sum(horizontal[5]), 1e-12, "all weight on the middle row");
        double[][] vertical = Blur.motionKernel(9, 90);
        double column = 0;
        for (double[] row : vertical) column += row[5];
        assertEquals(1.0, column, 1e-12, "all weight in the middle column");
        // 45 degrees counter-clockwise with rows growing down: the top-right to bottom-left diagonal.
        double[][] diagonal = Blur.motionKernel(6, 45);
        int n = diagonal.length;
        assertTrue(diagonal[0][n - 1] + diagonal[1][n - 2] > diagonal[0][0] + diagonal[1][1]);
        assertArrayEquals(new double[][] {{1.0}}, Blur.motionKernel(0.5, 10));
    }

    @Test
    void horizontalMotionBlurLeavesRowConstantImagesUnchanged() {
        Image rows = new Image(1, 20, 30);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 30; x++) rows.set(0, y, x, y / 19f);
        Image blurred = Blur.motion(rows, 7, 0);
        for (int i = 0; i < rows.data().length; i++) assertEquals(rows.data()[i], blurred.data()[i], 1e-6);
        Image flat = constant(3, 16, 16, 0.3f);
        Image flatBlurred = Blur.motion(flat, 6, 33);
        for (float v : flatBlurred.data()) assertEquals(0.3f, v, 1e-6);
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }
}
