package org.imagepipeline.eval;

import java.util.Arrays;
import org.imagepipeline.image.Image;

/**
 * Full-reference restoration metrics, defined once for the whole pipeline (the definitions below
 * are the only ones). Pure functions of two {@link Image}s of equal shape: samples in [0,1],
 * so MAX = 1 (equal to 255 on 8-bit data) and SSIM's dynamic range L = 1. All arithmetic is in
 * double, so results agree with scikit-image's float64 implementation to ~1e-6.
 *
 * <ul>
 *   <li>MSE and MAE: mean over all pixels and channels.</li>
 *   <li>PSNR = 10·log10(MAX²/MSE) over all pixels and channels, +Infinity when MSE = 0.</li>
 *   <li>SSIM as Wang et al. 2004: 11×11 Gaussian window with σ = 1.5 (normalized to sum 1),
 *       K1 = 0.01, K2 = 0.03, population (not sample) statistics, the mean of the SSIM map over
 *       the valid positions only (no padding: the map is 10 pixels smaller in each dimension),
 *       then the mean over channels. This equals scikit-image's
 *       {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 *       use_sample_covariance=False)}.</li>
 * </ul>
 * The {@link MetricOptions} overloads first crop a border and optionally reduce RGB to BT.601 Y.
 */
public final class Metrics {
    private Metrics() {}

    /** SSIM window radius: 11×11 window. */
    static final int SSIM_RADIUS = 5;
    private static final double SSIM_SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01; // (K1 L)^2 with L = 1
    private static final double C2 = 0.03 * 0.03; // (K2 L)^2 with L = 1
    private static final double[] SSIM_WEIGHTS = gaussianWeights(SSIM_RADIUS, SSIM_SIGMA);

    public static double mse(Image a, Image b) {
        return mse(a, b, MetricOptions.RGB);
    }

    public static double mae(Image a, Image b) {
        return mae(a, b, MetricOptions.RGB);
    }

    /** PSNR in dB with MAX = 1; +Infinity for identical images. */
    public static double psnr(Image a, Image b) {
        return psnr(a, b, MetricOptions.RGB);
    }

    public static double ssim(Image a, Image b) {
        return ssim(a, b, MetricOptions.RGB);
    }

    public static double mse(Image a, Image b, MetricOptions options) {
        Planes[] p = prepare(a, b, options);
        return mse(p[0], p[1]);
    }

    public static double mae(Image a, Image b, MetricOptions options) {
        Planes[] p = prepare(a, b, options);
        return mae(p[0], p[1]);
    }

    public static double psnr(Image a, Image b, MetricOptions options) {
        return psnrFromMse(mse(a, b, options));
    }

    public static double ssim(Image a, Image b, MetricOptions options) {
        Planes[] p = prepare(a, b, options);
        return ssim(p[0], p[1]);
    }

    /** All four metrics on every channel, nothing cropped. */
    public static MetricSet all(Image a, Image b) {
        return all(a, b, MetricOptions.RGB);
    }

    /** All four metrics under {@code options}, preparing the images once. */
    public static MetricSet all(Image a, Image b, MetricOptions options) {
        Planes[] p = prepare(a, b, options);
        double mse = mse(p[0], p[1]);
        return new MetricSet(psnrFromMse(mse), ssim(p[0], p[1]), mse, mae(p[0], p[1]));
    }

    /** 10·log10(1/mse) for an MSE on the [0,1] scale; +Infinity when {@code mse == 0}. */
    public static double psnrFromMse(double mse) {
        if (mse < 0 || Double.isNaN(mse)) {
            throw new IllegalArgumentException("An MSE must be a number >= 0, got " + mse + ".");
        }
        return mse == 0 ? Double.POSITIVE_INFINITY : -10.0 * Math.log10(mse);
    }

    /**
     * Studio-swing BT.601 luma of an RGB image on the [0,1] scale:
     * {@code (16 + 65.481 R + 128.553 G + 24.966 B) / 255}. Computed in float; the metric
     * functions compute it in double internally.
     */
    public static Image luma(Image rgb) {
        if (rgb.channels() != 3) {
            throw new IllegalArgumentException("BT.601 luma needs a 3-channel RGB image, got " + shape(rgb) + ".");
        }
        Planes y = Planes.of(rgb, 0, MetricOptions.Space.Y);
        float[] d = new float[y.data.length];
        for (int i = 0; i < d.length; i++) d[i] = (float) y.data[i];
        return new Image(1, y.height, y.width, d);
    }

    // ---------------------------------------------------------------------------------------

    /** Double-precision CHW planes after cropping and colour reduction. */
    private record Planes(int channels, int height, int width, double[] data) {
        static Planes of(Image img, int border, MetricOptions.Space space) {
            int h = img.height() - 2 * border;
            int w = img.width() - 2 * border;
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("Cropping a border of " + border + " pixels leaves nothing of a "
                        + shape(img) + " image.");
            }
            float[] src = img.data();
            int inPlane = img.height() * img.width();
            int plane = h * w;
            if (space == MetricOptions.Space.Y && img.channels() == 3) {
                double[] d = new double[plane];
                for (int y = 0; y < h; y++) {
                    int in = (y + border) * img.width() + border;
                    for (int x = 0; x < w; x++, in++) {
                        // Papers apply this on [0,255] and divide by 255 again: the same thing.
                        d[y * w + x] = (16.0 + 65.481 * src[in] + 128.553 * src[inPlane + in]
                                + 24.966 * src[2 * inPlane + in]) / 255.0;
                    }
                }
                return new Planes(1, h, w, d);
            }
            double[] d = new double[img.channels() * plane];
            for (int c = 0; c < img.channels(); c++) {
                for (int y = 0; y < h; y++) {
                    int in = c * inPlane + (y + border) * img.width() + border;
                    int out = c * plane + y * w;
                    for (int x = 0; x < w; x++) d[out + x] = src[in + x];
                }
            }
            return new Planes(img.channels(), h, w, d);
        }
    }

    private static Planes[] prepare(Image a, Image b, MetricOptions options) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("Metrics compare images of equal shape, got " + shape(a) + " and "
                    + shape(b) + " (channels x height x width).");
        }
        return new Planes[] {Planes.of(a, options.border(), options.space()),
                Planes.of(b, options.border(), options.space())};
    }

    private static String shape(Image img) {
        return img.channels() + "x" + img.height() + "x" + img.width();
    }

    private static double mse(Planes a, Planes b) {
        double sum = 0;
        for (int i = 0; i < a.data.length; i++) {
            double d = a.data[i] - b.data[i];
            sum += d * d;
        }
        return sum / a.data.length;
    }

    private static double mae(Planes a, Planes b) {
        double sum = 0;
        for (int i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
        return sum / a.data.length;
    }

    private static double ssim(Planes a, Planes b) {
        int win = 2 * SSIM_RADIUS + 1;
        if (a.height < win || a.width < win) {
            throw new IllegalArgumentException("SSIM needs at least " + win + "x" + win
                    + " pixels (after any border crop) for its Gaussian window, got " + a.height + "x" + a.width + ".");
        }
        double sum = 0;
        int plane = a.height * a.width;
        for (int c = 0; c < a.channels; c++) {
            sum += ssimPlane(a.data, b.data, c * plane, a.height, a.width);
        }
        return sum / a.channels;
    }

    /**
     * Mean SSIM of one plane. The Gaussian is separable, so the five local moments (means of x,
     * y, x², y², xy) are filtered along rows into valid-width buffers, then along columns while
     * the map is summed, never storing it: ~2·11 multiply-adds per moment and pixel instead of 121.
     */
    private static double ssimPlane(double[] x, double[] y, int off, int h, int w) {
        int win = 2 * SSIM_RADIUS + 1;
        int ow = w - win + 1;
        int oh = h - win + 1;
        double[] g = SSIM_WEIGHTS;
        double[] mx = new double[h * ow];
        double[] my = new double[h * ow];
        double[] mxx = new double[h * ow];
        double[] myy = new double[h * ow];
        double[] mxy = new double[h * ow];
        for (int r = 0; r < h; r++) {
            int in = off + r * w;
            int out = r * ow;
            for (int col = 0; col < ow; col++) {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (int t = 0; t < win; t++) {
                    double gt = g[t];
                    double vx = x[in + col + t];
                    double vy = y[in + col + t];
                    sx += gt * vx;
                    sy += gt * vy;
                    sxx += gt * vx * vx;
                    syy += gt * vy * vy;
                    sxy += gt * (vx * vy); // grouped so that swapping x and y is bit-exact
                }
                mx[out + col] = sx;
                my[out + col] = sy;
                mxx[out + col] = sxx;
                myy[out + col] = syy;
                mxy[out + col] = sxy;
            }
        }
        double[] ax = new double[ow], ay = new double[ow], axx = new double[ow], ayy = new double[ow],
                axy = new double[ow];
        double total = 0;
        for (int r = 0; r < oh; r++) {
            Arrays.fill(ax, 0);
            Arrays.fill(ay, 0);
            Arrays.fill(axx, 0);
            Arrays.fill(ayy, 0);
            Arrays.fill(axy, 0);
            for (int t = 0; t < win; t++) {
                double gt = g[t];
                int in = (r + t) * ow;
                for (int col = 0; col < ow; col++) {
                    ax[col] += gt * mx[in + col];
                    ay[col] += gt * my[in + col];
                    axx[col] += gt * mxx[in + col];
                    ayy[col] += gt * myy[in + col];
                    axy[col] += gt * mxy[in + col];
                }
            }
            for (int col = 0; col < ow; col++) {
                double ux = ax[col];
                double uy = ay[col];
                // Population (weighted) moments: E[x^2] - E[x]^2, as Wang et al. and skimage with
                // use_sample_covariance=False.
                double vx = axx[col] - ux * ux;
                double vy = ayy[col] - uy * uy;
                double cxy = axy[col] - ux * uy;
                // 2 * (ux * uy), not 2 * ux * uy, keeps ssim(a, b) == ssim(b, a) bit for bit.
                total += ((2 * (ux * uy) + C1) * (2 * cxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
            }
        }
        return total / ((double) oh * ow);
    }

    /** Normalized 1-D Gaussian taps exp(-i²/2σ²) for i in [-radius, radius]. */
    static double[] gaussianWeights(int radius, double sigma) {
        double[] g = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            g[i + radius] = Math.exp(-(i * (double) i) / (2 * sigma * sigma));
            sum += g[i + radius];
        }
        for (int i = 0; i < g.length; i++) g[i] /= sum;
        return g;
    }
}
