package org.imagepipeline.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLeavesTest {

    @Test
    void sameSeedIndexSizeAndChannelsGiveTheSameImage() {
        for (int channels : new int[] {1, 3}) {
            Image a = SyntheticImages.deadLeaves(5, 3, 64, channels);
            assertEquals(a, SyntheticImages.deadLeaves(5, 3, 64, channels));
            assertNotEquals(a, SyntheticImages.deadLeaves(6, 3, 64, channels));
            assertNotEquals(a, SyntheticImages.deadLeaves(5, 4, 64, channels));
        }
    }

    @Test
    void samplesAreEightBitStepsInZeroOneAndPngsHoldThem(@TempDir Path dir) throws Exception {
        for (int channels : new int[] {1, 3}) {
            Image img = SyntheticImages.deadLeaves(1, 0, 48, channels);
            assertEquals(channels, img.channels());
            assertEquals(48, img.height());
            assertEquals(48, img.width());
            for (float v : img.data()) {
                assertTrue(v >= 0f && v <= 1f, "sample " + v);
                assertEquals(Math.round(v * 255f), v * 255f, 1e-3f, "8-bit step");
            }
        }
        SyntheticImages.writePngs(dir, 3, 40, 1, 99L, 1.0);
        SyntheticImages.writePngs(dir.resolve("rgb"), 2, 40, 3, 99L, 1.0);
        BufferedImage gray = ImageIO.read(dir.resolve("synthetic-00002.png").toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, gray.getType());
        assertEquals(SyntheticImages.deadLeaves(99L, 2, 40, 1), ImageCodec.fromBufferedImage(gray).withChannels(1));
        BufferedImage rgb = ImageIO.read(dir.resolve("rgb/synthetic-00001.png").toFile());
        assertEquals(SyntheticImages.deadLeaves(99L, 1, 40, 3), ImageCodec.fromBufferedImage(rgb).withChannels(3));
    }

    @Test
    void theShareChoosesHowManyImagesAreDeadLeaves() {
        long seed = 42;
        assertEquals(0, chosen(seed, 0.0), "share 0");
        assertEquals(200, chosen(seed, 1.0), "share 1");
        int half = chosen(seed, 0.5);
        assertTrue(half >= 75 && half <= 125, half + " of 200 at share 0.5");
        int tenth = chosen(seed, 0.1);
        assertTrue(tenth >= 6 && tenth <= 36, tenth + " of 200 at share 0.1");
        assertNotEquals(IntStream.range(0, 200).filter(i -> SyntheticImages.isDeadLeaves(1, i, 0.5)).boxed().toList(),
                IntStream.range(0, 200).filter(i -> SyntheticImages.isDeadLeaves(2, i, 0.5)).boxed().toList(),
                "another seed chooses other images");
        for (int i = 0; i < 200; i++) {
            // An image chosen at one share is chosen at every larger one, and is the same image.
            if (SyntheticImages.isDeadLeaves(seed, i, 0.3)) assertTrue(SyntheticImages.isDeadLeaves(seed, i, 0.6), "index " + i);
        }
        int leaves = IntStream.range(0, 200).filter(i -> SyntheticImages.isDeadLeaves(seed, i, 0.3)).findFirst().orElseThrow();
        assertEquals(SyntheticImages.deadLeaves(seed, leaves, 32, 1), SyntheticImages.generate(seed, leaves, 32, 1, 0.3));
        assertEquals(SyntheticImages.deadLeaves(seed, leaves, 32, 1), SyntheticImages.generate(seed, leaves, 32, 1, 0.6));
        int procedural = IntStream.range(0, 200).filter(i -> !SyntheticImages.isDeadLeaves(seed, i, 0.3)).findFirst().orElseThrow();
        assertEquals(SyntheticImages.generate(seed, procedural, 32, 1), SyntheticImages.generate(seed, procedural, 32, 1, 0.3));
        assertEquals(SyntheticImages.generate(seed, 0, 32, 3), SyntheticImages.generate(seed, 0, 32, 3, 0.0), "share 0 is the old set");
    }

    @Test
    void sharesOutsideZeroOneAreRejected() {
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SyntheticImages.generate(1, 0, 32, 1, bad));
            assertEquals("The share of dead-leaves images must be in [0, 1], got " + bad + ".", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SyntheticImages.deadLeaves(1, 0, 32, 2));
        assertThrows(IllegalArgumentException.class, () -> SyntheticImages.deadLeaves(1, 0, 4, 1));
    }

    /**
     * The statistic {@link #manyRegionsAndEdgesAtEveryScale} holds for nearly all dead-leaves images
     * and fails for a flat image, white noise (edges only at the finest scale, no flat regions) and a
     * checkerboard (regions of one size); most procedural images fail it too (few strong edges).
     */
    @Test
    void deadLeavesHaveRegionsAndEdgesAtManyScales() {
        int pass = 0;
        for (int i = 0; i < 40; i++) if (manyRegionsAndEdgesAtEveryScale(SyntheticImages.deadLeaves(3, i, 128, 1))) pass++;
        assertTrue(pass >= 34, pass + " of 40 dead-leaves images have flat regions and edges at several scales");

        int n = 128;
        Image flat = new Image(1, n, n);
        Arrays.fill(flat.data(), 0.5f);
        Image noise = new Image(1, n, n);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < n * n; i++) noise.data()[i] = Math.round(rng.nextDouble() * 255) / 255f;
        Image checker = new Image(1, n, n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) checker.data()[y * n + x] = (x / 6 + y / 6) % 2 == 0 ? 0.1f : 0.9f;
        }
        assertFalse(manyRegionsAndEdgesAtEveryScale(flat), "flat");
        assertFalse(manyRegionsAndEdgesAtEveryScale(noise), "noise");
        assertFalse(manyRegionsAndEdgesAtEveryScale(checker), "checkerboard");
        int procedural = 0;
        for (int i = 0; i < 20; i++) if (manyRegionsAndEdgesAtEveryScale(SyntheticImages.generate(3, i, 128, 1))) procedural++;
        assertTrue(procedural <= 10, procedural + " of 20 procedural images pass");
    }

    @Test
    void colourLeavesAreColouredAndGrayLeavesSpanTheRange() {
        Image rgb = SyntheticImages.deadLeaves(8, 0, 64, 3);
        int plane = 64 * 64;
        double diff = 0;
        for (int i = 0; i < plane; i++) diff += Math.abs(rgb.data()[i] - rgb.data()[plane + i]) / plane;
        assertTrue(diff > 0.1, "mean |R - G| " + diff);
        float lo = 1, hi = 0;
        for (int i = 0; i < 8; i++) {
            for (float v : SyntheticImages.deadLeaves(8, i, 64, 1).data()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        assertTrue(lo < 0.05 && hi > 0.95, "gray leaves span [" + lo + ", " + hi + "]");
    }

    private static int chosen(long seed, double share) {
        return (int) IntStream.range(0, 200).filter(i -> SyntheticImages.isDeadLeaves(seed, i, share)).count();
    }

    /**
     * At least 10 flat regions (4-connected pixels of one 8-bit value, 16 pixels or more) in at least
     * two of the size classes 16-63, 64-255 and 256+ pixels; and strong edges (gradient magnitude
     * over 0.1) on at least 10% of the pixels of the image box-averaged by 1, 2, 4 and 8, the most
     * edge-dense of those scales having at most 5 times the edges of the least.
     */
    static boolean manyRegionsAndEdgesAtEveryScale(Image img) {
        Image g = img.toGray();
        double min = 1;
        double max = 0;
        for (int f : new int[] {1, 2, 4, 8}) {
            double e = edgeFraction(g, f);
            min = Math.min(min, e);
            max = Math.max(max, e);
        }
        int[] sizes = flatRegionSizes(g);
        int regions = 0;
        boolean[] classes = new boolean[3];
        for (int s : sizes) {
            if (s < 16) continue;
            regions++;
            classes[s < 64 ? 0 : s < 256 ? 1 : 2] = true;
        }
        int classCount = (classes[0] ? 1 : 0) + (classes[1] ? 1 : 0) + (classes[2] ? 1 : 0);
        return min >= 0.1 && max <= 5 * min && regions >= 10 && classCount >= 2;
    }

    private static double edgeFraction(Image g, int f) {
        int h = g.height() / f;
        int w = g.width() / f;
        double[] d = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int j = 0; j < f; j++) for (int i = 0; i < f; i++) s += g.get(0, y * f + j, x * f + i);
                d[y * w + x] = s / (f * f);
            }
        }
        int n = 0;
        for (int y = 0; y + 1 < h; y++) {
            for (int x = 0; x + 1 < w; x++) {
                if (Math.hypot(d[y * w + x + 1] - d[y * w + x], d[(y + 1) * w + x] - d[y * w + x]) > 0.1) n++;
            }
        }
        return n / (double) ((h - 1) * (w - 1));
    }

    /** Sizes of the 4-connected regions of equal value. */
    private static int[] flatRegionSizes(Image g) {
        int h = g.height();
        int w = g.width();
        float[] v = g.data();
        boolean[] seen = new boolean[h * w];
        int[] stack = new int[h * w];
        int[] sizes = new int[h * w];
        int count = 0;
        for (int s = 0; s < h * w; s++) {
            if (seen[s]) continue;
            int top = 0;
            stack[top++] = s;
            seen[s] = true;
            int size = 0;
            while (top > 0) {
                int p = stack[--top];
                size++;
                int x = p % w;
                int y = p / w;
                if (x > 0 && !seen[p - 1] && v[p - 1] == v[s]) { seen[p - 1] = true; stack[top++] = p - 1; }
                if (x + 1 < w && !seen[p + 1] && v[p + 1] == v[s]) { seen[p + 1] = true; stack[top++] = p + 1; }
                if (y > 0 && !seen[p - w] && v[p - w] == v[s]) { seen[p - w] = true; stack[top++] = p - w; }
                if (y + 1 < h && !seen[p + w] && v[p + w] == v[s]) { seen[p + w] = true; stack[top++] = p + w; }
            }
            sizes[count++] = size;
        }
        return Arrays.copyOf(sizes, count);
    }
}
