package org.imagepipeline.augment;

import static org.imagepipeline.augment.TestImages.mse;
import static org.imagepipeline.augment.TestImages.scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imagepipeline.eval.Metrics;
import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;

class JpegTest {

    @Test
    void errorFallsAsQualityRises() {
        Image img = scene(3, 64, 72);
        int[] qualities = {5, 20, 40, 70, 95};
        double previous = Double.POSITIVE_INFINITY;
        for (int q : qualities) {
            double e = mse(img, Jpeg.compress(img, q));
            assertTrue(e < previous, "MSE at quality " + q + " is " + e + ", not below " + previous);
            previous = e;
        }
        assertTrue(Metrics.psnr(img, Jpeg.compress(img, 5)) < 30, "quality 5 must show artifacts");
        // Colour JPEG keeps 4:2:0 chroma at every quality (as libjpeg, PIL and OpenCV do), which
        // caps this scene's colour stripes near 28 dB; a gray image has no chroma to lose.
        assertTrue(Metrics.psnr(img, Jpeg.compress(img, 100)) > 26, "quality 100, RGB");
        Image gray = img.toGray();
        assertTrue(Metrics.psnr(gray, Jpeg.compress(gray, 100)) > 50, "quality 100 is near lossless on gray");
    }

    @Test
    void grayStaysGrayAndShapeIsKept() {
        Image gray = scene(1, 40, 33);
        Image out = Jpeg.compress(gray, 50);
        assertEquals(1, out.channels());
        assertEquals(40, out.height());
        assertEquals(33, out.width());
        assertTrue(Metrics.psnr(gray, out) > 25);
    }

    @Test
    void compressionIsDeterministic() {
        Image img = scene(3, 32, 32);
        assertEquals(Jpeg.compress(img, 30), Jpeg.compress(img, 30));
    }

    @Test
    void qualityOutsideOneToHundredIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jpeg.compress(scene(1, 8, 8), 0));
        assertEquals("JPEG quality must be an integer in [1, 100], got 0.", e.getMessage());
    }
}
