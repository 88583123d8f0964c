package org.imagepipeline.augment;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.imagepipeline.image.Image;

/** Small deterministic images and statistics for the augment tests. */
final class TestImages {
    private TestImages() {}

    static Image constant(int c, int h, int w, float v) {
        Image img = new Image(c, h, w);
        Arrays.fill(img.data(), v);
        return img;
    }

    static Image uniform(int c, int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Image img = new Image(c, h, w);
        for (int i = 0; i < img.data().length; i++) img.data()[i] = (float) rng.nextDouble();
        return img;
    }

    /** Smooth shading plus a hard-edged disc and stripes: something JPEG and blur act on visibly. */
    static Image scene(int c, int h, int w) {
        Image img = new Image(c, h, w);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.2 + 0.3 * x / w + 0.1 * ch;
                    if ((x - w / 2.0) * (x - w / 2.0) + (y - h / 3.0) * (y - h / 3.0) < h * w / 16.0) v += 0.4;
                    if (y > 2 * h / 3 && (x / 3) % 2 == 0) v = 0.9 - 0.2 * ch;
                    img.set(ch, y, x, (float) Math.min(1, v));
                }
            }
        }
        return img;
    }

    static double mean(Image img) {
        double s = 0;
        for (float v : img.data()) s += v;
        return s / img.data().length;
    }

    static double variance(Image img) {
        double m = mean(img);
        double s = 0;
        for (float v : img.data()) s += (v - m) * (v - m);
        return s / img.data().length;
    }

    static double mse(Image a, Image b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = a.data()[i] - b.data()[i];
            s += d * d;
        }
        return s / a.data().length;
    }
}
