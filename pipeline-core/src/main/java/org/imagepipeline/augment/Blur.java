package org.imagepipeline.augment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.imagepipeline.image.Image;

/**
 * Blur degradations. Borders are half-sample symmetric reflections (see {@link Borders#reflect}),
 * so a flat image stays flat and, for the Gaussian, the image mean is preserved. Results are new
 * images; inputs are not changed.
 */
public final class Blur {
    private Blur() {}

    /**
     * Isotropic Gaussian blur with standard deviation {@code sigma} in pixels, applied separably
     * (rows, then columns). The kernel has radius ceil(3σ) and is normalized to sum 1; σ = 0 returns
     * a copy.
     */
    public static Image gaussian(Image image, double sigma) {
        double[] k = gaussianKernel(sigma);
        if (k.length == 1) return image.copy();
        Image out = new Image(image.channels(), image.height(), image.width());
        int h = image.height();
        int w = image.width();
        int r = k.length / 2;
        int[] xs = Borders.reflectTable(w, r);
        int[] ys = Borders.reflectTable(h, r);
        float[] src = image.data();
        float[] dst = out.data();
        float[] tmp = new float[h * w];
        for (int c = 0; c < image.channels(); c++) {
            int off = c * h * w;
            for (int y = 0; y < h; y++) {
                int row = off + y * w;
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int t = 0; t < k.length; t++) s += k[t] * src[row + xs[x + t]];
                    tmp[y * w + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int t = 0; t < k.length; t++) s += k[t] * tmp[ys[y + t] * w + x];
                    dst[off + y * w + x] = (float) s;
                }
            }
        }
        return out;
    }

    /** The normalized 1-D Gaussian taps used by {@link #gaussian}: length 2·ceil(3σ)+1. */
    public static double[] gaussianKernel(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("Gaussian blur sigma must be a finite number >= 0 pixels, got " + sigma + ".");
        }
        if (sigma == 0) return new double[] {1.0};
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(double) i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        return k;
    }

    /**
     * Linear motion blur: the image averaged along a straight segment of {@code length} pixels
     * centred on each pixel, at {@code angleDegrees} counter-clockwise from the +x axis (y pointing
     * up, as a viewer sees it). See {@link #motionKernel} for the kernel.
     */
    public static Image motion(Image image, double length, double angleDegrees) {
        return convolve(image, motionKernel(length, angleDegrees));
    }

    /**
     * A square, odd-sized, normalized (sums to 1) line kernel, {@code [row][col]} with row 0 at the
     * top: a segment of {@code length} pixels through the centre at {@code angleDegrees}, drawn
     * anti-aliased by splatting many points along it bilinearly, so fractional lengths and any
     * angle give a smooth kernel. It is point-symmetric about its centre, so the blur does not
     * shift the image. Lengths below 1 pixel give the identity.
     */
    public static double[][] motionKernel(double length, double angleDegrees) {
        if (!(length >= 0) || Double.isInfinite(length)) {
            throw new IllegalArgumentException("Motion blur length must be a finite number >= 0 pixels, got " + length + ".");
        }
        if (Double.isNaN(angleDegrees) || Double.isInfinite(angleDegrees)) {
            throw new IllegalArgumentException("Motion blur angle must be a finite number of degrees, got "
                    + angleDegrees + ".");
        }
        if (length < 1) return new double[][] {{1.0}};
        int r = (int) Math.ceil(length / 2);
        int size = 2 * r + 1;
        double[][] k = new double[size][size];
        double theta = Math.toRadians(angleDegrees);
        double dx = Math.cos(theta);
        double dy = -Math.sin(theta); // rows grow downwards
        int n = (int) Math.ceil(length * 16) + 1;
        for (int i = 0; i < n; i++) {
            double t = -length / 2 + length * i / (n - 1); // symmetric samples: t and -t both occur
            double px = r + t * dx;
            double py = r + t * dy;
            int x0 = (int) Math.floor(px);
            int y0 = (int) Math.floor(py);
            double fx = px - x0;
            double fy = py - y0;
            splat(k, y0, x0, (1 - fy) * (1 - fx));
            splat(k, y0, x0 + 1, (1 - fy) * fx);
            splat(k, y0 + 1, x0, fy * (1 - fx));
            splat(k, y0 + 1, x0 + 1, fy * fx);
        }
        double sum = 0;
        for (double[] row : k) for (double v : row) sum += v;
        for (double[] row : k) for (int j = 0; j < size; j++) row[j] /= sum;
        return k;
    }

    private static void splat(double[][] k, int y, int x, double w) {
        // Points at the very end of the segment can touch the next cell with zero weight.
        if (w > 0 && y >= 0 && x >= 0 && y < k.length && x < k.length) k[y][x] += w;
    }

    /**
     * 2-D filtering with a square odd kernel, reflect borders. Only non-zero taps are visited:
     * line kernels are mostly zeros.
     */
    static Image convolve(Image image, double[][] kernel) {
        int size = kernel.length;
        int r = size / 2;
        List<int[]> offsets = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                if (kernel[i][j] != 0) {
                    offsets.add(new int[] {i, j});
                    weights.add(kernel[i][j]);
                }
            }
        }
        int h = image.height();
        int w = image.width();
        int[] xs = Borders.reflectTable(w, r);
        int[] ys = Borders.reflectTable(h, r);
        float[] src = image.data();
        Image out = new Image(image.channels(), h, w);
        float[] dst = out.data();
        double[] acc = new double[w];
        for (int c = 0; c < image.channels(); c++) {
            int off = c * h * w;
            for (int y = 0; y < h; y++) {
                Arrays.fill(acc, 0);
                for (int t = 0; t < offsets.size(); t++) {
                    // Correlation; the kernels here are point-symmetric, so it equals convolution.
                    int row = off + ys[y + offsets.get(t)[0]] * w;
                    int dxo = offsets.get(t)[1];
                    double wt = weights.get(t);
                    for (int x = 0; x < w; x++) acc[x] += wt * src[row + xs[x + dxo]];
                }
                for (int x = 0; x < w; x++) dst[off + y * w + x] = (float) acc[x];
            }
        }
        return out;
    }
}
