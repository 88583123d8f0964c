package org.imagepipeline.data;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Dead-leaves images: an occlusion model of many random shapes ("leaves") lying one over another.
 * Leaf sizes follow a power law (bounding radius r with density proportional to r^-3 between
 * {@link #R_MIN} and half the image side), which makes the picture statistically scale invariant
 * like natural photos: regions and edges at every scale, from one-pixel specks to shapes as large
 * as the image. Achddou, Gousseau and Ladjal (2021) report denoisers trained on such images
 * coming close to ones trained on photos; the procedural style of {@link SyntheticImages} lacks
 * that property.
 *
 * <p>Leaves are mostly discs, some ellipses, rectangles and convex polygons at random angles, each
 * in its own colour (gray for gray images), some filled with a smooth gradient or a faint value-noise
 * texture. They are painted front to back: the first leaf is on top, each later one only shows
 * where the leaves above leave the pixel uncovered, and painting stops when every pixel is covered
 * (or after a bounded number of leaves, below which one last flat leaf fills what is left). Edges
 * are anti-aliased from an approximate signed distance to the shape. A share of images is then
 * blurred slightly (depth of field).
 *
 * <p>Pure double arithmetic with {@link StrictMath} for the few trigonometric calls, so an image
 * depends only on the random stream it is given and the size.
 */
final class DeadLeaves {
    /** Smallest leaf radius in pixels. */
    static final double R_MIN = 1.0;
    /** A pixel counts as covered once the leaves above it add up to this opacity. */
    private static final double COVERED = 1 - 1e-3;
    /** Share of leaves filled with a gradient, and with a value-noise texture (the rest are flat). */
    private static final double GRADIENT_SHARE = 0.25;
    private static final double TEXTURE_SHARE = 0.2;
    /** Share of images blurred by a Gaussian of sigma in [0.5, 1.5] px. */
    private static final double BLUR_SHARE = 0.25;

    private DeadLeaves() {}

    /** A {@code size}×{@code size} dead-leaves image drawn from {@code rng}, 8-bit RGB (r = g = b when gray). */
    static BufferedImage render(SplittableRandom rng, int size, boolean gray) {
        int n = size * size;
        int ch = gray ? 1 : 3;
        double[][] colour = new double[ch][n];
        double[] alpha = new double[n];
        int uncovered = n;
        double rMax = Math.max(R_MIN * 2, size / 2.0);
        double invMin2 = 1 / (R_MIN * R_MIN);
        double invMax2 = 1 / (rMax * rMax);
        double dilatedMax = size + 2 * rMax;
        // Bounded cost: an image is covered after about 1.7 size² draws of which a quarter touch it
        // (at most 2.7 size² in 200 images at 48 to 512 px); the cap only stops a pathological stream.
        int maxDraws = 40 * n + 1000;
        double[] c = new double[ch];
        double[] c2 = new double[ch];
        for (int draws = 0; uncovered > 0 && draws < maxDraws; draws++) {
            // Inverse CDF of p(r) ∝ r^-3 on [R_MIN, rMax].
            double r = 1 / Math.sqrt(invMin2 - rng.nextDouble() * (invMin2 - invMax2));
            // Leaves of radius r that touch the image have centres in the image dilated by r; of a
            // stationary process, their number grows with that area, so keep r in proportion to it.
            double dilated = size + 2 * r;
            if (rng.nextDouble() * dilatedMax * dilatedMax > dilated * dilated) continue;
            double cx = -r + rng.nextDouble() * dilated;
            double cy = -r + rng.nextDouble() * dilated;
            Shape shape = Shape.random(r, rng);
            for (int k = 0; k < ch; k++) c[k] = rng.nextDouble();
            int fill = 0; // 0 flat, 1 gradient, 2 texture
            double gx = 0, gy = 0;
            long key = 0;
            double cellsAcross = 0, amp = 0, persistence = 0;
            int octaves = 0;
            double f = rng.nextDouble();
            if (r >= 2 && f < GRADIENT_SHARE) {
                fill = 1;
                double angle = rng.nextDouble() * 2 * Math.PI;
                gx = StrictMath.cos(angle) / (2 * r);
                gy = StrictMath.sin(angle) / (2 * r);
                for (int k = 0; k < ch; k++) c2[k] = clamp(c[k] + (rng.nextDouble() - 0.5));
            } else if (r >= 3 && f < GRADIENT_SHARE + TEXTURE_SHARE) {
                fill = 2;
                key = rng.nextLong();
                // Texture cells of a fifth to half the leaf radius, a faint amplitude.
                cellsAcross = size / Math.max(1.5, r * (0.2 + 0.3 * rng.nextDouble()));
                octaves = 2 + rng.nextInt(3);
                persistence = 0.4 + 0.2 * rng.nextDouble();
                amp = 0.04 + 0.16 * rng.nextDouble();
            }
            int x0 = Math.max(0, (int) Math.floor(cx - r - 1));
            int x1 = Math.min(size - 1, (int) Math.ceil(cx + r + 1));
            int y0 = Math.max(0, (int) Math.floor(cy - r - 1));
            int y1 = Math.min(size - 1, (int) Math.ceil(cy + r + 1));
            for (int y = y0; y <= y1; y++) {
                double py = y + 0.5 - cy;
                int row = y * size;
                for (int x = x0; x <= x1; x++) {
                    int i = row + x;
                    double a = alpha[i];
                    if (a >= COVERED) continue;
                    double px = x + 0.5 - cx;
                    double cover = 0.5 - shape.distance(px, py);
                    if (cover <= 0) continue;
                    double w = (1 - a) * Math.min(1, cover);
                    switch (fill) {
                        case 1 -> {
                            double t = clamp(0.5 + gx * px + gy * py);
                            for (int k = 0; k < ch; k++) colour[k][i] += w * (c[k] + (c2[k] - c[k]) * t);
                        }
                        case 2 -> {
                            double v = amp * 2 * (SyntheticImages.fbm(key, x, y, size, cellsAcross, octaves, persistence) - 0.5);
                            for (int k = 0; k < ch; k++) colour[k][i] += w * clamp(c[k] + v);
                        }
                        default -> {
                            for (int k = 0; k < ch; k++) colour[k][i] += w * c[k];
                        }
                    }
                    alpha[i] = a + w;
                    if (a + w >= COVERED) uncovered--;
                }
            }
        }
        // Whatever is still uncovered shows one last flat leaf beneath everything.
        for (int k = 0; k < ch; k++) c[k] = rng.nextDouble();
        for (int i = 0; i < n; i++) {
            double rest = 1 - alpha[i];
            if (rest > 0) for (int k = 0; k < ch; k++) colour[k][i] += rest * c[k];
        }
        if (rng.nextDouble() < BLUR_SHARE) {
            double sigma = 0.5 + rng.nextDouble();
            for (int k = 0; k < ch; k++) blur(colour[k], size, sigma);
        }
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                if (gray) {
                    int v = to8(colour[0][i]);
                    row[x] = (v << 16) | (v << 8) | v;
                } else {
                    row[x] = (to8(colour[0][i]) << 16) | (to8(colour[1][i]) << 8) | to8(colour[2][i]);
                }
            }
            out.setRGB(0, y, size, 1, row, 0, size);
        }
        return out;
    }

    /** A leaf's outline centred on the origin, as an approximate signed distance (negative inside). */
    private static final class Shape {
        private final int kind; // 0 disc, 1 ellipse, 2 rectangle, 3 convex polygon
        private final double r;
        private final double cos;
        private final double sin;
        private final double a; // ellipse semi-axes or rectangle half-sides
        private final double b;
        private final double[] nx; // polygon edge normals and offsets
        private final double[] ny;
        private final double[] h;

        private Shape(int kind, double r, double angle, double a, double b, double[] nx, double[] ny, double[] h) {
            this.kind = kind;
            this.r = r;
            this.cos = StrictMath.cos(angle);
            this.sin = StrictMath.sin(angle);
            this.a = a;
            this.b = b;
            this.nx = nx;
            this.ny = ny;
            this.h = h;
        }

        /** Mostly discs; every shape fits in the disc of radius {@code r}. */
        static Shape random(double r, SplittableRandom rng) {
            double k = rng.nextDouble();
            if (k < 0.7) return new Shape(0, r, 0, r, r, null, null, null);
            double angle = rng.nextDouble() * Math.PI;
            double q = 0.3 + 0.7 * rng.nextDouble();
            if (k < 0.8) return new Shape(1, r, angle, r, q * r, null, null, null);
            if (k < 0.9) {
                double hw = r / Math.sqrt(1 + q * q);
                return new Shape(2, r, angle, hw, q * hw, null, null, null);
            }
            int m = 3 + rng.nextInt(5);
            double[] vx = new double[m];
            double[] vy = new double[m];
            for (int i = 0; i < m; i++) {
                // Vertices on the circle in increasing angle: always a convex polygon.
                double t = angle + 2 * Math.PI * (i + 0.7 * rng.nextDouble()) / m;
                vx[i] = r * StrictMath.cos(t);
                vy[i] = r * StrictMath.sin(t);
            }
            double[] nx = new double[m];
            double[] ny = new double[m];
            double[] h = new double[m];
            for (int i = 0; i < m; i++) {
                int j = (i + 1) % m;
                double ex = vx[j] - vx[i];
                double ey = vy[j] - vy[i];
                double len = Math.sqrt(ex * ex + ey * ey);
                // Counter-clockwise vertices: the outward normal is the edge turned clockwise.
                nx[i] = ey / len;
                ny[i] = -ex / len;
                h[i] = nx[i] * vx[i] + ny[i] * vy[i];
            }
            return new Shape(3, r, 0, 0, 0, nx, ny, h);
        }

        double distance(double x, double y) {
            switch (kind) {
                case 0:
                    return Math.sqrt(x * x + y * y) - r;
                case 1: {
                    double u = x * cos + y * sin;
                    double v = -x * sin + y * cos;
                    double ua = u / a;
                    double vb = v / b;
                    double f = Math.sqrt(ua * ua + vb * vb);
                    // (f - 1) / |grad f|: exact on the outline, good enough within a pixel of it.
                    double g = Math.sqrt(ua * ua / (a * a) + vb * vb / (b * b));
                    return g < 1e-12 ? -b : f * (f - 1) / g;
                }
                case 2: {
                    double u = Math.abs(x * cos + y * sin) - a;
                    double v = Math.abs(-x * sin + y * cos) - b;
                    return Math.max(u, v);
                }
                default: {
                    double d = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < h.length; i++) d = Math.max(d, nx[i] * x + ny[i] * y - h[i]);
                    return d;
                }
            }
        }
    }

    /** Separable Gaussian blur of a size×size plane, edges clamped. */
    private static void blur(double[] plane, int size, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += k[i + radius] = StrictMath.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        double[] tmp = new double[plane.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double s = 0;
                for (int i = -radius; i <= radius; i++) s += k[i + radius] * plane[y * size + Math.min(size - 1, Math.max(0, x + i))];
                tmp[y * size + x] = s;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double s = 0;
                for (int i = -radius; i <= radius; i++) s += k[i + radius] * tmp[Math.min(size - 1, Math.max(0, y + i)) * size + x];
                plane[y * size + x] = s;
            }
        }
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(1, v);
    }

    private static int to8(double v) {
        return (int) Math.round(clamp(v) * 255);
    }
}
