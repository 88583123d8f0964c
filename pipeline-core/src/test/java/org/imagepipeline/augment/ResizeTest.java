package org.imagepipeline.augment;

import static org.imagepipeline.augment.TestImages.constant;
import static org.imagepipeline.augment.TestImages.scene;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imagepipeline.eval.Metrics;
import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;

class ResizeTest {

    @Test
    void downUpOfAConstantImageIsExact() {
        for (int factor : new int[] {2, 3, 4}) {
            for (int[] size : new int[][] {{48, 48}, {50, 37}}) {
                Image flat = constant(3, size[0], size[1], 0.37f);
                Image out = Resize.downUp(flat, factor);
                assertEquals(size[0], out.height());
                assertEquals(size[1], out.width());
                for (float v : out.data()) assertEquals(0.37f, v, 1e-6f, "factor " + factor);
            }
        }
    }

    @Test
    void areaDownscaleAveragesBlocksIncludingPartialOnes() {
        Image img = new Image(1, 2, 5, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.9f, 0.5f, 0.6f, 0.7f, 0.8f, 0.5f});
        Image low = Resize.areaDownscale(img, 2);
        assertEquals(1, low.height());
        assertEquals(3, low.width());
        // (.1+.2+.5+.6)/4, (.3+.4+.7+.8)/4, and the partial block (.9+.5)/2
        assertArrayEquals(new float[] {0.35f, 0.55f, 0.7f}, low.data(), 1e-6f);
    }

    @Test
    void bicubicUpscaleReproducesALinearRampInTheInterior() {
        int lw = 12;
        Image low = new Image(1, 1, lw);
        for (int x = 0; x < lw; x++) low.set(0, 0, x, 0.1f + 0.05f * x);
        Image up = Resize.bicubicUpscale(low, 2, 1, 2 * lw);
        for (int x = 4; x < 2 * lw - 4; x++) {
            double src = (x + 0.5) / 2 - 0.5;
            assertEquals(0.1 + 0.05 * src, up.get(0, 0, x), 1e-6, "x " + x);
        }
        assertEquals(1.0, Resize.keys(0), 0);
        assertEquals(0.0, Resize.keys(1), 1e-15);
        assertEquals(-0.0625, Resize.keys(1.5), 1e-15); // a = -0.5
    }

    @Test
    void downUpLosesDetailButKeepsStructure() {
        Image img = scene(3, 64, 64);
        double psnr2 = Metrics.psnr(img, Resize.downUp(img, 2));
        double psnr4 = Metrics.psnr(img, Resize.downUp(img, 4));
        assertTrue(psnr2 > psnr4, psnr2 + " <= " + psnr4);
        assertTrue(psnr4 > 15 && psnr2 < 40, psnr2 + " / " + psnr4);
    }
}
