package org.imagepipeline.augment;

import static org.imagepipeline.augment.TestImages.constant;
import static org.imagepipeline.augment.TestImages.scene;
import static org.imagepipeline.augment.TestImages.variance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.imagepipeline.augment.DegradationSettings.Downscale;
import org.imagepipeline.augment.DegradationSettings.GaussianBlur;
import org.imagepipeline.augment.DegradationSettings.GaussianNoise;
import org.imagepipeline.augment.DegradationSettings.Jpeg;
import org.imagepipeline.augment.DegradationSettings.Mask;
import org.imagepipeline.augment.DegradationSettings.MotionBlur;
import org.imagepipeline.augment.DegradationSettings.PoissonNoise;
import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;

class DegraderTest {

    static DegradationSettings everything() {
        return new DegradationSettings(new GaussianNoise(true, new Range(5, 25)), new PoissonNoise(true, new Range(50, 200)),
                new GaussianBlur(true, new Range(0.5, 1.5)), new MotionBlur(true, new Range(3, 9), new Range(0, 180)),
                new Downscale(true, 2), new Jpeg(true, new Range(30, 90)),
                new Mask(true, new Range(0.1, 0.3), MaskFill.CONSTANT, 0));
    }

    @Test
    void invalidRangesAreAllReportedInOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DegradationSettings.none()
                        .withGaussianNoise(new GaussianNoise(true, new Range(30, 10)))
                        .withJpeg(new Jpeg(false, new Range(0, 90))));
        // with* builds one record per call, so the first invalid part is reported on its own...
        assertEquals("Invalid degradation settings: gaussian-noise.sigma must be [lo, hi] with 0 <= lo <= hi, "
                + "got [30, 10].", e.getMessage());
        // ...while the canonical constructor (what config code uses) reports every problem at once.
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> new DegradationSettings(
                new GaussianNoise(true, new Range(30, 10)), new PoissonNoise(true, new Range(0, 5)),
                new GaussianBlur(true, new Range(-1, 2)), new MotionBlur(true, new Range(3, 9), new Range(0, 400)),
                new Downscale(true, 1), new Jpeg(true, new Range(0, 90)),
                new Mask(true, new Range(0.2, 1.5), null, 2)));
        assertEquals("Invalid degradation settings: "
                + "gaussian-noise.sigma must be [lo, hi] with 0 <= lo <= hi, got [30, 10]. "
                + "poisson-noise.peak must be [lo, hi] with 0 < lo <= hi, got [0, 5]. "
                + "gaussian-blur.sigma must be [lo, hi] with 0 <= lo <= hi, got [-1, 2]. "
                + "motion-blur.angle must be [lo, hi] with -360 <= lo <= hi <= 360, got [0, 400]. "
                + "downscale.factor must be an integer >= 2, got 1. "
                + "jpeg.quality must be [lo, hi] with 1 <= lo <= hi <= 100, got [0, 90]. "
                + "mask.coverage must be [lo, hi] with 0 <= lo <= hi <= 1, got [0.2, 1.5]. "
                + "mask.fill must be CONSTANT or NOISE, got nothing (null). "
                + "mask.fill-value must be in [0, 1], got 2.", all.getMessage());
        assertEquals(List.of("jpeg settings are missing (null)."),
                DegradationSettings.problems(everything().gaussianNoise(), everything().poissonNoise(),
                        everything().gaussianBlur(), everything().motionBlur(), everything().downscale(), null,
                        everything().mask()));
    }

    @Test
    void allDegradationsRunInOrderDeterministicallyAndStayInRange() {
        Degrader degrader = new Degrader(everything());
        Image clean = scene(3, 48, 48);
        Degraded a = degrader.degrade(clean, new SplittableRandom(1));
        Degraded b = degrader.degrade(clean, new SplittableRandom(1));
        assertEquals(a, b);
        assertNotEquals(a.image(), degrader.degrade(clean, new SplittableRandom(2)).image());
        List<String> names = a.applied().stream().map(s -> s.substring(0, s.indexOf(' '))).toList();
        assertEquals(List.of("gaussian-blur", "motion-blur", "downscale", "poisson-noise", "gaussian-noise", "jpeg", "mask"),
                names);
        for (float v : a.image().data()) assertTrue(v >= 0 && v <= 1);
        double coverage = Masks.coverage(a.mask());
        assertTrue(coverage >= 0.1 - 1e-3 && coverage <= 0.3 + 1e-3, "coverage " + coverage);
        assertEquals(scene(3, 48, 48), clean, "the clean image is not changed");
    }

    @Test
    void sampledNoiseSigmaStaysInItsRange() {
        Degrader noiseOnly = new Degrader(DegradationSettings.none()
                .withGaussianNoise(new GaussianNoise(true, new Range(10, 20))));
        Image flat = constant(1, 128, 128, 0.5f);
        for (long seed = 0; seed < 5; seed++) {
            Degraded d = noiseOnly.degrade(flat, new SplittableRandom(seed));
            double asked = Double.parseDouble(d.applied().get(0).substring("gaussian-noise sigma=".length()));
            assertTrue(asked >= 10 && asked <= 20, "sigma " + asked);
            assertEquals(asked, Math.sqrt(variance(d.image())) * 255, 0.03 * asked);
            assertNull(d.mask());
        }
    }

    @Test
    void nothingEnabledGivesACopy() {
        Image clean = scene(1, 16, 16);
        Degraded d = new Degrader(DegradationSettings.none()).degrade(clean, new SplittableRandom(0));
        assertEquals(clean, d.image());
        assertTrue(d.image() != clean);
        assertEquals(List.of(), d.applied());
    }

    @Test
    void settingsAndDegraderSurviveJavaSerialization() throws Exception {
        Degrader degrader = new Degrader(everything());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(degrader);
        }
        Degrader back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Degrader) in.readObject();
        }
        assertEquals(everything(), back.settings());
        Image clean = scene(3, 32, 32);
        assertEquals(degrader.degrade(clean, new SplittableRandom(9)), back.degrade(clean, new SplittableRandom(9)));
    }
}
