package org.imagepipeline.augment;

import static org.imagepipeline.augment.TestImages.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;

class MasksTest {

    @Test
    void coverageIsExactAndFilledPixelsAreExactlyTheMaskedOnes() {
        Image img = uniform(3, 60, 80, 1);
        for (double coverage : new double[] {0, 0.05, 0.25, 0.5, 0.9, 1}) {
            MaskedImage m = Masks.missingRegions(img, coverage, MaskFill.CONSTANT, 0.0, new SplittableRandom(4));
            assertEquals(Math.round(coverage * 4800) / 4800.0, Masks.coverage(m.mask()), 1e-12, "coverage " + coverage);
            for (int y = 0; y < 60; y++) {
                for (int x = 0; x < 80; x++) {
                    float mv = m.mask().get(0, y, x);
                    assertTrue(mv == 0f || mv == 1f);
                    for (int c = 0; c < 3; c++) {
                        assertEquals(mv == 1f ? 0f : img.get(c, y, x), m.image().get(c, y, x));
                    }
                }
            }
        }
    }

    @Test
    void masksAreRegionsNotScatteredPixels() {
        // At 20 % coverage most missing pixels have a missing 4-neighbour: shapes, not salt.
        MaskedImage m = Masks.missingRegions(uniform(1, 96, 96, 2), 0.2, MaskFill.CONSTANT, 0.5,
                new SplittableRandom(12));
        Image mask = m.mask();
        int missing = 0, withNeighbour = 0;
        for (int y = 1; y < 95; y++) {
            for (int x = 1; x < 95; x++) {
                if (mask.get(0, y, x) == 0) continue;
                missing++;
                if (mask.get(0, y - 1, x) + mask.get(0, y + 1, x) + mask.get(0, y, x - 1) + mask.get(0, y, x + 1) > 0) {
                    withNeighbour++;
                }
            }
        }
        assertTrue(withNeighbour > 0.95 * missing, withNeighbour + " of " + missing);
    }

    @Test
    void noiseFillVariesAndSeedsRepeat() {
        Image img = TestImages.constant(1, 32, 32, 0.5f);
        MaskedImage a = Masks.missingRegions(img, 0.3, MaskFill.NOISE, 0, new SplittableRandom(5));
        MaskedImage b = Masks.missingRegions(img, 0.3, MaskFill.NOISE, 0, new SplittableRandom(5));
        assertEquals(a, b);
        assertNotEquals(a.mask(), Masks.missingRegions(img, 0.3, MaskFill.NOISE, 0, new SplittableRandom(6)).mask());
        double var = 0;
        int n = 0;
        for (int i = 0; i < 1024; i++) {
            if (a.mask().data()[i] == 1f) {
                var += (a.image().data()[i] - 0.5) * (a.image().data()[i] - 0.5);
                n++;
            }
        }
        assertEquals(1.0 / 12, var / n, 0.02, "uniform fill has variance 1/12");
    }

    @Test
    void invalidCoverageIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Masks.missingRegions(uniform(1, 8, 8, 1), 1.5, MaskFill.CONSTANT, 0, new SplittableRandom(1)));
        assertEquals("Mask coverage must be a fraction in [0, 1], got 1.5.", e.getMessage());
    }
}
