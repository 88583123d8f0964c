package org.imagepipeline.train;

import org.imagepipeline.augment.Degraded;
import org.imagepipeline.augment.PatchSampler;
import org.imagepipeline.augment.Seeds;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.PrepareSettings;
import org.imagepipeline.image.Image;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The one place that turns a clean catalog image into training, validation or test pairs. Every
 * random choice derives from (run seed, epoch, image hash, patch index), so the same settings give
 * the same data on any number of executors. Validation and test use reserved negative "epochs".
 */
public final class PairSource {
    private PairSource() {}

    /** This epoch's patch pairs of one training image. */
    public static List<TrainingPair> patchPairs(Image image, String hash, long seed, int epoch, PrepareSettings p) {
        return p.sampler().pairs(image, hash, seed, epoch, p.degrader());
    }

    /**
     * The top-left {@code crop} x {@code crop} region of an image (all of it when crop is 0 or the
     * image is smaller), degraded once with a seed fixed by (run seed, epoch, hash).
     */
    public static TrainingPair wholeImagePair(Image image, String hash, PipelineSettings s, int epoch, int crop) {
        int h = crop > 0 ? Math.min(crop, image.height()) : image.height();
        int w = crop > 0 ? Math.min(crop, image.width()) : image.width();
        Image clean = h == image.height() && w == image.width() ? image : image.crop(0, 0, h, w);
        long patchSeed = Seeds.derive(s.run().seed(), epoch, hash, 0);
        Degraded d = s.prepare().degrader().degrade(clean, new SplittableRandom(PatchSampler.degradationSeed(patchSeed)));
        return new TrainingPair(d.image(), clean, d.mask());
    }
}
