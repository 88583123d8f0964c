package org.imagepipeline.augment;

import static org.imagepipeline.augment.TestImages.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {

    private static final String HASH = "3f2a9c0d5e7b41a8b6c2d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4";

    @Test
    void sameInputsGiveIdenticalPatches() {
        Image img = uniform(3, 70, 90, 1);
        PatchSampler sampler = new PatchSampler(24, 6, true, true);
        List<Patch> a = sampler.sample(img, HASH, 42L, 3);
        assertEquals(a, sampler.sample(img.copy(), HASH, 42L, 3));
        assertEquals(6, a.size());
        for (Patch p : a) {
            assertEquals(24, p.image().height());
            assertEquals(24, p.image().width());
            assertEquals(p, sampler.patch(img, HASH, 42L, 3, p.index()), "a single index equals its place in the list");
        }
    }

    @Test
    void epochHashIndexAndRunSeedEachChangeThePatch() {
        Image img = uniform(1, 100, 100, 2);
        PatchSampler sampler = new PatchSampler(16, 2, true, true);
        Patch base = sampler.patch(img, HASH, 42L, 0, 0);
        assertNotEquals(base.image(), sampler.patch(img, HASH, 42L, 1, 0).image());
        assertNotEquals(base.image(), sampler.patch(img, HASH + "0", 42L, 0, 0).image());
        assertNotEquals(base.image(), sampler.patch(img, HASH, 42L, 0, 1).image());
        assertNotEquals(base.image(), sampler.patch(img, HASH, 43L, 0, 0).image());
    }

    @Test
    void seedsAreDistinctAcrossManyCombinations() {
        Set<Long> seeds = new HashSet<>();
        String[] hashes = {"", "a", "b", "ab", "ba", "a\0", HASH, HASH.substring(1)};
        for (long run = 0; run < 4; run++) {
            for (int epoch = 0; epoch < 8; epoch++) {
                for (String h : hashes) {
                    for (int i = 0; i < 16; i++) seeds.add(Seeds.derive(run, epoch, h, i));
                }
            }
        }
        assertEquals(4 * 8 * hashes.length * 16, seeds.size());
        assertEquals(Seeds.derive(7, 1, HASH, 2), Seeds.derive(7, 1, HASH, 2));
        assertNotEquals(Seeds.derive(7, 1, HASH, 2), PatchSampler.degradationSeed(Seeds.derive(7, 1, HASH, 2)));
    }

    @Test
    void everyPatchIsItsTransformOfTheCropAtItsPosition() {
        Image img = uniform(3, 40, 57, 3);
        Set<Dihedral> seen = EnumSet.noneOf(Dihedral.class);
        for (int epoch = 0; epoch < 20; epoch++) {
            for (Patch p : new PatchSampler(12, 8, true, true).sample(img, HASH, 1L, epoch)) {
                assertTrue(p.y() >= 0 && p.y() <= 40 - 12 && p.x() >= 0 && p.x() <= 57 - 12);
                assertEquals(reference(p.transform(), img.crop(p.y(), p.x(), 12, 12)), p.image());
                seen.add(p.transform());
            }
        }
        assertEquals(EnumSet.allOf(Dihedral.class), seen, "all eight transforms occur");
    }

    @Test
    void allowedTransformsAreRespected() {
        Image img = uniform(1, 30, 30, 4);
        for (int epoch = 0; epoch < 30; epoch++) {
            for (Patch p : new PatchSampler(8, 4, false, false).sample(img, HASH, 5L, epoch)) {
                assertEquals(Dihedral.IDENTITY, p.transform());
                assertEquals(img.crop(p.y(), p.x(), 8, 8), p.image());
            }
            for (Patch p : new PatchSampler(8, 4, true, false).sample(img, HASH, 5L, epoch)) {
                assertTrue(EnumSet.of(Dihedral.IDENTITY, Dihedral.FLIP, Dihedral.FLIP_ROT180, Dihedral.ROT180)
                        .contains(p.transform()), p.transform().name());
            }
            for (Patch p : new PatchSampler(8, 4, false, true).sample(img, HASH, 5L, epoch)) {
                assertTrue(!p.transform().flip(), p.transform().name());
            }
        }
    }

    @Test
    void dihedralTransformsMatchHandWrittenFlipsAndTurns() {
        // 2x3 image with values 1..6: [[1,2,3],[4,5,6]]
        Image img = new Image(1, 2, 3, new float[] {1, 2, 3, 4, 5, 6});
        assertEquals(new Image(1, 3, 2, new float[] {3, 6, 2, 5, 1, 4}), Dihedral.ROT90.apply(img));
        assertEquals(new Image(1, 2, 3, new float[] {6, 5, 4, 3, 2, 1}), Dihedral.ROT180.apply(img));
        assertEquals(new Image(1, 3, 2, new float[] {4, 1, 5, 2, 6, 3}), Dihedral.ROT270.apply(img));
        assertEquals(new Image(1, 2, 3, new float[] {3, 2, 1, 6, 5, 4}), Dihedral.FLIP.apply(img));
        assertEquals(new Image(1, 2, 3, new float[] {4, 5, 6, 1, 2, 3}), Dihedral.FLIP_ROT180.apply(img));
        for (Dihedral d : Dihedral.values()) assertEquals(reference(d, img), d.apply(img), d.name());
    }

    @Test
    void smallImagesAreReflectPadded() {
        Image small = uniform(1, 5, 7, 6);
        Patch p = new PatchSampler(8, 1, false, false).patch(small, HASH, 0L, 0, 0);
        assertEquals(0, p.y());
        assertEquals(0, p.x());
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int sy = y < 5 ? y : 9 - y; // rows 5,6,7 mirror rows 4,3,2
                int sx = x < 7 ? x : 13 - x; // column 7 mirrors column 6
                assertEquals(small.get(0, sy, sx), p.image().get(0, y, x), "at " + y + "," + x);
            }
        }
    }

    @Test
    void pairsAreDeterministicAndEachPatchHasItsOwnDegradation() {
        Image img = uniform(3, 64, 64, 8);
        PatchSampler sampler = new PatchSampler(16, 4, true, true);
        Degrader degrader = new Degrader(DegradationSettings.none()
                .withGaussianNoise(new DegradationSettings.GaussianNoise(true, new Range(5, 50))));
        List<TrainingPair> a = sampler.pairs(img, HASH, 11L, 2, degrader);
        assertEquals(a, sampler.pairs(img, HASH, 11L, 2, degrader));
        Set<Double> noiseLevels = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            assertEquals(sampler.patch(img, HASH, 11L, 2, i).image(), a.get(i).clean());
            assertNotEquals(a.get(i).clean(), a.get(i).degraded());
            noiseLevels.add(TestImages.mse(a.get(i).clean(), a.get(i).degraded()));
        }
        assertEquals(4, noiseLevels.size());
    }

    @Test
    void invalidSamplerSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PatchSampler(0, 1, true, true));
        assertEquals("The patch size must be >= 1 pixel, got 0.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Seeds.derive(1, 1, null, 0));
    }

    /** Independent of Dihedral: mirror columns, then rotate counter-clockwise one quarter at a time. */
    private static Image reference(Dihedral d, Image src) {
        Image img = src;
        if (d.flip()) {
            Image m = new Image(img.channels(), img.height(), img.width());
            for (int c = 0; c < img.channels(); c++)
                for (int y = 0; y < img.height(); y++)
                    for (int x = 0; x < img.width(); x++) m.set(c, y, x, img.get(c, y, img.width() - 1 - x));
            img = m;
        }
        for (int t = 0; t < d.quarterTurns(); t++) {
            // counter-clockwise: the top row becomes the left column, read bottom-up
            Image r = new Image(img.channels(), img.width(), img.height());
            for (int c = 0; c < img.channels(); c++)
                for (int y = 0; y < img.height(); y++)
                    for (int x = 0; x < img.width(); x++) r.set(c, img.width() - 1 - x, y, img.get(c, y, x));
            img = r;
        }
        return img;
    }
}
