package org.imagepipeline.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.imagepipeline.eval.Metrics;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticImagesTest {

    @Test
    void sameSeedAndIndexGiveTheSameImage() {
        assertEquals(SyntheticImages.generate(5, 3, 64, 3), SyntheticImages.generate(5, 3, 64, 3));
        assertEquals(SyntheticImages.generate(5, 3, 64, 1), SyntheticImages.generate(5, 3, 64, 1));
        assertNotEquals(SyntheticImages.generate(5, 3, 64, 3), SyntheticImages.generate(6, 3, 64, 3));
    }

    @Test
    void samplesAreEightBitStepsInZeroOne() {
        for (int channels : new int[] {1, 3}) {
            Image img = SyntheticImages.generate(1, 0, 48, channels);
            assertEquals(channels, img.channels());
            assertEquals(48, img.height());
            for (float v : img.data()) {
                assertTrue(v >= 0f && v <= 1f, "sample " + v);
                assertEquals(Math.round(v * 255f), v * 255f, 1e-3f, "8-bit step");
            }
        }
    }

    @Test
    void imagesAreVariedAndDetailed() {
        List<Image> images = IntStream.range(0, 24).mapToObj(i -> SyntheticImages.generate(11, i, 96, 3))
                .collect(Collectors.toList());
        double minEnergy = Double.POSITIVE_INFINITY;
        double meanEnergy = 0;
        int withEdges = 0;
        for (Image img : images) {
            double e = gradientEnergy(img);
            minEnergy = Math.min(minEnergy, e);
            meanEnergy += e / images.size();
            if (strongEdgeFraction(img) > 0.01) withEdges++;
        }
        // Mean squared horizontal+vertical difference on [0,1]; a smooth gradient alone is ~1e-4.
        assertTrue(meanEnergy > 0.005, "mean gradient energy " + meanEnergy);
        assertTrue(minEnergy > 5e-4, "least detailed image's gradient energy " + minEnergy);
        assertTrue(withEdges >= 20, withEdges + " of 24 images have >1% pixels on edges stronger than 0.1");
        double minPairMse = Double.POSITIVE_INFINITY;
        for (int i = 0; i < images.size(); i++) {
            for (int j = i + 1; j < images.size(); j++) minPairMse = Math.min(minPairMse, Metrics.mse(images.get(i), images.get(j)));
        }
        assertTrue(minPairMse > 0.005, "closest pair MSE " + minPairMse);
        double[] means = images.stream().mapToDouble(SyntheticImagesTest::mean).toArray();
        double mm = 0, mv = 0;
        for (double m : means) mm += m / means.length;
        for (double m : means) mv += (m - mm) * (m - mm) / means.length;
        assertTrue(Math.sqrt(mv) > 0.05, "brightness varies across images, std " + Math.sqrt(mv));
    }

    @Test
    void pngsHoldExactlyTheGeneratedImages(@TempDir Path dir) throws Exception {
        SyntheticImages.writePngs(dir, 3, 40, 1, 99L);
        SyntheticImages.writePngs(dir.resolve("rgb"), 2, 40, 3, 99L);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("rgb", "synthetic-00000.png", "synthetic-00001.png", "synthetic-00002.png"),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        BufferedImage gray = ImageIO.read(dir.resolve("synthetic-00002.png").toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, gray.getType());
        assertEquals(SyntheticImages.generate(99L, 2, 40, 1), ImageCodec.fromBufferedImage(gray).withChannels(1));
        BufferedImage rgb = ImageIO.read(dir.resolve("rgb/synthetic-00001.png").toFile());
        assertEquals(SyntheticImages.generate(99L, 1, 40, 3), ImageCodec.fromBufferedImage(rgb).withChannels(3));
    }

    @Test
    void invalidArgumentsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticImages.generate(1, 0, 32, 2));
        assertEquals("Synthetic images have 1 or 3 channels, got 2.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyntheticImages.render(1, 0, 4));
    }

    private static double gradientEnergy(Image img) {
        double s = 0;
        long n = 0;
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y + 1 < img.height(); y++) {
                for (int x = 0; x + 1 < img.width(); x++) {
                    double dx = img.get(c, y, x + 1) - img.get(c, y, x);
                    double dy = img.get(c, y + 1, x) - img.get(c, y, x);
                    s += dx * dx + dy * dy;
                    n++;
                }
            }
        }
        return s / n;
    }

    private static double strongEdgeFraction(Image img) {
        Image g = img.toGray();
        int n = 0;
        for (int y = 0; y + 1 < g.height(); y++) {
            for (int x = 0; x + 1 < g.width(); x++) {
                if (Math.hypot(g.get(0, y, x + 1) - g.get(0, y, x), g.get(0, y + 1, x) - g.get(0, y, x)) > 0.1) n++;
            }
        }
        return n / (double) ((g.height() - 1) * (g.width() - 1));
    }

    private static double mean(Image img) {
        double s = 0;
        for (float v : img.data()) s += v;
        return s / img.data().length;
    }

    /** Share of samples at exactly 0 or exactly 1. */
    private static double saturated(Image img) {
        int n = 0;
        for (float v : img.data()) if (v == 0f || v == 1f) n++;
        return (double) n / img.data().length;
    }

    @Test
    void aClippedShareOfImagesHasPureBlackAndWhiteRegions() {
        long seed = 42;
        List<Integer> clipped = IntStream.range(0, 200).filter(i -> SyntheticImages.isClipped(seed, i, 0.25)).boxed().toList();
        assertTrue(clipped.size() >= 30 && clipped.size() <= 70, clipped.size() + " of 200 at share 0.25");
        assertEquals(0, IntStream.range(0, 200).filter(i -> SyntheticImages.isClipped(seed, i, 0)).count(), "share 0");
        assertNotEquals(clipped, IntStream.range(0, 200).filter(i -> SyntheticImages.isDeadLeaves(seed, i, 0.25)).boxed().toList(),
                "drawn independently of the dead leaves");
        int plain = IntStream.range(0, 200).filter(i -> !SyntheticImages.isClipped(seed, i, 0.25)).findFirst().orElseThrow();
        assertEquals(SyntheticImages.generate(seed, plain, 48, 1, 0.5), SyntheticImages.generate(seed, plain, 48, 1, 0.5, 0.25));
        double before = 0;
        double after = 0;
        for (int i : clipped.subList(0, 10)) {
            Image base = SyntheticImages.generate(seed, i, 64, 1, 0.5);
            Image img = SyntheticImages.generate(seed, i, 64, 1, 0.5, 0.25);
            before += saturated(base) / 10;
            after += saturated(img) / 10;
            for (int k = 0; k < img.data().length; k++) {
                float v = img.data()[k];
                assertEquals(Math.round(v * 255f), v * 255f, 1e-3f, "8-bit step");
                // A stretch about a pivot keeps the order of the samples: darker stays darker.
                for (int j : new int[] {k + 1, k + 64}) {
                    if (j < img.data().length && base.data()[k] < base.data()[j]) assertTrue(v <= img.data()[j]);
                }
            }
        }
        assertTrue(before < 0.05 && after > 0.2, "saturated share " + before + " before, " + after + " after the clipped exposure");
    }
}
