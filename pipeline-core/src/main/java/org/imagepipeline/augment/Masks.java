package org.imagepipeline.augment;

import java.util.SplittableRandom;
import org.imagepipeline.image.Image;

/**
 * Missing-region masks for inpainting: a random mix of axis-aligned rectangles and thick
 * free-form strokes (polylines painted with a round brush), as in free-form inpainting datasets.
 */
public final class Masks {
    private Masks() {}

    /** Give up on shapes after this many and fill the rest in scan order; only reached near 100 %. */
    private static final int MAX_SHAPES = 10_000;

    /**
     * Marks exactly {@code round(coverage · height · width)} pixels as missing and fills them.
     * Shapes are painted one at a time until the count is reached; the last shape is cut off at the
     * count, so coverage is exact rather than overshooting its range.
     *
     * @param coverage  fraction of the area to remove, in [0,1]
     * @param fill      how removed samples are replaced
     * @param fillValue the value for {@link MaskFill#CONSTANT}, in [0,1]; ignored for noise
     */
    public static MaskedImage missingRegions(Image image, double coverage, MaskFill fill, double fillValue,
                                             SplittableRandom rng) {
        if (!(coverage >= 0 && coverage <= 1)) {
            throw new IllegalArgumentException("Mask coverage must be a fraction in [0, 1], got " + coverage + ".");
        }
        if (fill == MaskFill.CONSTANT && !(fillValue >= 0 && fillValue <= 1)) {
            throw new IllegalArgumentException("A constant mask fill value must be in [0, 1], got " + fillValue + ".");
        }
        int h = image.height();
        int w = image.width();
        Canvas canvas = new Canvas(h, w, (int) Math.round(coverage * h * w));
        for (int shape = 0; !canvas.full() && shape < MAX_SHAPES; shape++) {
            if (rng.nextBoolean()) {
                rectangle(canvas, rng);
            } else {
                stroke(canvas, rng);
            }
        }
        int start = canvas.full() ? 0 : rng.nextInt(h * w);
        for (int i = 0; !canvas.full() && i < h * w; i++) {
            int p = (start + i) % (h * w);
            canvas.paint(p / w, p % w);
        }

        Image out = image.copy();
        float[] d = out.data();
        int plane = h * w;
        for (int p = 0; p < plane; p++) {
            if (canvas.mask[p] == 0) continue;
            for (int c = 0; c < image.channels(); c++) {
                d[c * plane + p] = fill == MaskFill.NOISE ? (float) rng.nextDouble() : (float) fillValue;
            }
        }
        return new MaskedImage(out, new Image(1, h, w, canvas.mask));
    }

    /** Fraction of pixels marked missing in a mask from {@link #missingRegions}. */
    public static double coverage(Image mask) {
        double n = 0;
        for (float v : mask.data()) n += v;
        return n / mask.data().length;
    }

    private static void rectangle(Canvas cv, SplittableRandom rng) {
        // Sides between 1/16 and 1/2 of the image: holes large enough to need context.
        int rh = 1 + rng.nextInt(Math.max(1, cv.h / 2));
        int rw = 1 + rng.nextInt(Math.max(1, cv.w / 2));
        rh = Math.max(rh, Math.max(1, cv.h / 16));
        rw = Math.max(rw, Math.max(1, cv.w / 16));
        int y0 = rng.nextInt(Math.max(1, cv.h - rh + 1));
        int x0 = rng.nextInt(Math.max(1, cv.w - rw + 1));
        for (int y = y0; y < Math.min(cv.h, y0 + rh) && !cv.full(); y++) {
            for (int x = x0; x < Math.min(cv.w, x0 + rw) && !cv.full(); x++) cv.paint(y, x);
        }
    }

    private static void stroke(Canvas cv, SplittableRandom rng) {
        int size = Math.min(cv.h, cv.w);
        double radius = 1 + rng.nextDouble() * Math.max(1, size / 16.0);
        double y = rng.nextDouble() * cv.h;
        double x = rng.nextDouble() * cv.w;
        int vertices = 2 + rng.nextInt(5);
        for (int v = 0; v < vertices && !cv.full(); v++) {
            double angle = rng.nextDouble() * 2 * Math.PI;
            double len = (0.1 + 0.4 * rng.nextDouble()) * size;
            double ny = Math.min(cv.h - 1, Math.max(0, y + len * Math.sin(angle)));
            double nx = Math.min(cv.w - 1, Math.max(0, x + len * Math.cos(angle)));
            int steps = (int) Math.ceil(Math.hypot(ny - y, nx - x)) + 1;
            for (int s = 0; s <= steps && !cv.full(); s++) {
                double t = (double) s / steps;
                disc(cv, y + t * (ny - y), x + t * (nx - x), radius);
            }
            y = ny;
            x = nx;
        }
    }

    private static void disc(Canvas cv, double cy, double cx, double r) {
        int y0 = (int) Math.floor(cy - r), y1 = (int) Math.ceil(cy + r);
        int x0 = (int) Math.floor(cx - r), x1 = (int) Math.ceil(cx + r);
        for (int y = Math.max(0, y0); y <= Math.min(cv.h - 1, y1) && !cv.full(); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(cv.w - 1, x1) && !cv.full(); x++) {
                if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) cv.paint(y, x);
            }
        }
    }

    /** The mask being painted, with the number of pixels still allowed. */
    private static final class Canvas {
        final int h;
        final int w;
        final float[] mask;
        final int target;
        int count;

        Canvas(int h, int w, int target) {
            this.h = h;
            this.w = w;
            this.mask = new float[h * w];
            this.target = target;
        }

        boolean full() {
            return count >= target;
        }

        void paint(int y, int x) {
            int p = y * w + x;
            if (mask[p] == 0 && count < target) {
                mask[p] = 1f;
                count++;
            }
        }
    }
}
