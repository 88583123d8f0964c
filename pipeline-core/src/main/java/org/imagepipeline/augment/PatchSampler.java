package org.imagepipeline.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.imagepipeline.image.Image;

/**
 * Deterministic random patches for training: {@code patchesPerImage} crops of
 * {@code patchSize}×{@code patchSize} pixels per image and epoch, each at a uniform random position
 * and, where allowed, under a random {@link Dihedral} transform. Everything about patch i of an
 * image in an epoch is a function of (run seed, epoch, image content hash, i) through
 * {@link Seeds#derive}; nothing depends on partitioning, ordering or which executor runs it.
 *
 * <p>Images smaller than the patch in a dimension are reflect-padded at the bottom/right (half-
 * sample symmetric, repeated as needed) rather than skipped, so every catalogued image
 * contributes; positions then refer to the padded image. Filter out tiny images upstream if
 * padding artefacts matter.
 *
 * @param patchSize       side of a square patch in pixels, >= 1
 * @param patchesPerImage patches per image and epoch, >= 1
 * @param flips           whether horizontal/vertical mirrors may be applied
 * @param rot90           whether quarter turns may be applied
 */
public record PatchSampler(int patchSize, int patchesPerImage, boolean flips, boolean rot90) implements Serializable {

    /** Salt separating a patch's degradation stream from its position/transform stream. */
    private static final long DEGRADATION_SALT = 0xd1b54a32d192ed03L;

    private static final Dihedral[] FLIPS_ONLY = {Dihedral.IDENTITY, Dihedral.FLIP, Dihedral.FLIP_ROT180,
            Dihedral.ROT180}; // identity, mirror x, mirror y, both: the mirrors and their product
    private static final Dihedral[] ROTATIONS_ONLY = {Dihedral.IDENTITY, Dihedral.ROT90, Dihedral.ROT180,
            Dihedral.ROT270};

    public PatchSampler {
        if (patchSize < 1) {
            throw new IllegalArgumentException("The patch size must be >= 1 pixel, got " + patchSize + ".");
        }
        if (patchesPerImage < 1) {
            throw new IllegalArgumentException("Patches per image must be >= 1, got " + patchesPerImage + ".");
        }
    }

    /** The seed of a patch's degradation stream, independent of its position/transform stream. */
    public static long degradationSeed(long patchSeed) {
        return Seeds.mix64(patchSeed ^ DEGRADATION_SALT);
    }

    /** All {@link #patchesPerImage} patches of {@code image} for this epoch, in index order. */
    public List<Patch> sample(Image image, String imageHash, long runSeed, int epoch) {
        Image source = padToPatch(image);
        List<Patch> out = new ArrayList<>(patchesPerImage);
        for (int i = 0; i < patchesPerImage; i++) out.add(patchOf(source, imageHash, runSeed, epoch, i));
        return out;
    }

    /** Patch {@code index} alone; equal to {@code sample(...).get(index)}. */
    public Patch patch(Image image, String imageHash, long runSeed, int epoch, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("A patch index must be >= 0, got " + index + ".");
        }
        return patchOf(padToPatch(image), imageHash, runSeed, epoch, index);
    }

    /**
     * {@link #patchesPerImage} training pairs of {@code image} for this epoch: each clean patch and
     * its degradation drawn from the patch's own {@link #degradationSeed} stream. Patches are
     * degraded after cropping, so blur and JPEG see reflect borders at the patch edge.
     */
    public List<TrainingPair> pairs(Image image, String imageHash, long runSeed, int epoch, Degrader degrader) {
        List<TrainingPair> out = new ArrayList<>(patchesPerImage);
        for (Patch p : sample(image, imageHash, runSeed, epoch)) {
            Degraded d = degrader.degrade(p.image(), new SplittableRandom(degradationSeed(p.seed())));
            out.add(new TrainingPair(d.image(), p.image(), d.mask()));
        }
        return out;
    }

    private Patch patchOf(Image source, String imageHash, long runSeed, int epoch, int index) {
        long seed = Seeds.derive(runSeed, epoch, imageHash, index);
        SplittableRandom rng = new SplittableRandom(seed);
        int y = rng.nextInt(source.height() - patchSize + 1);
        int x = rng.nextInt(source.width() - patchSize + 1);
        Dihedral t;
        if (flips && rot90) {
            t = Dihedral.values()[rng.nextInt(8)];
        } else if (flips) {
            t = FLIPS_ONLY[rng.nextInt(4)];
        } else if (rot90) {
            t = ROTATIONS_ONLY[rng.nextInt(4)];
        } else {
            t = Dihedral.IDENTITY;
        }
        Image crop = source.crop(y, x, patchSize, patchSize);
        return new Patch(index, y, x, t, seed, t == Dihedral.IDENTITY ? crop : t.apply(crop));
    }

    /** {@code image} reflect-padded at the bottom/right to at least patchSize in each dimension. */
    Image padToPatch(Image image) {
        int h = image.height();
        int w = image.width();
        if (h >= patchSize && w >= patchSize) return image;
        int ph = Math.max(h, patchSize);
        int pw = Math.max(w, patchSize);
        Image out = new Image(image.channels(), ph, pw);
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < ph; y++) {
                int sy = Borders.reflect(y, h);
                for (int x = 0; x < pw; x++) out.set(c, y, x, image.get(c, sy, Borders.reflect(x, w)));
            }
        }
        return out;
    }
}
