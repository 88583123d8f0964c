package org.imagepipeline.augment;

import org.imagepipeline.image.Image;

/**
 * Resampling for super-resolution pairs. Downscaling is an area average (box filter over
 * factor×factor blocks: exact anti-aliasing for integer factors, no ringing); upscaling is bicubic
 * interpolation with Keys' kernel, a = -0.5 (the kernel of MATLAB's and PIL's bicubic), pixel
 * centres aligned ({@code src = (dst + 0.5) / factor - 0.5}), edge pixels replicated outside the
 * image, taps renormalized to sum 1 so flat regions stay exactly flat.
 */
public final class Resize {
    private Resize() {}

    /**
     * The super-resolution input for {@code image} at {@code factor}: area-downscaled, then
     * bicubic-upscaled back to the original size, so input and target have the same shape.
     * Clamped to [0,1] (bicubic overshoots at edges).
     */
    public static Image downUp(Image image, int factor) {
        checkFactor(factor);
        return bicubicUpscale(areaDownscale(image, factor), factor, image.height(), image.width()).clamp01();
    }

    /**
     * Mean of each factor×factor block; the result is ceil(h/factor) × ceil(w/factor), and a partial
     * block at the bottom or right edge is the mean of the pixels it has.
     */
    public static Image areaDownscale(Image image, int factor) {
        checkFactor(factor);
        int h = image.height();
        int w = image.width();
        int lh = (h + factor - 1) / factor;
        int lw = (w + factor - 1) / factor;
        Image out = new Image(image.channels(), lh, lw);
        float[] src = image.data();
        float[] dst = out.data();
        for (int c = 0; c < image.channels(); c++) {
            for (int by = 0; by < lh; by++) {
                for (int bx = 0; bx < lw; bx++) {
                    double s = 0;
                    int n = 0;
                    for (int y = by * factor; y < Math.min(h, (by + 1) * factor); y++) {
                        for (int x = bx * factor; x < Math.min(w, (bx + 1) * factor); x++) {
                            s += src[(c * h + y) * w + x];
                            n++;
                        }
                    }
                    dst[(c * lh + by) * lw + bx] = (float) (s / n);
                }
            }
        }
        return out;
    }

    /**
     * Bicubic upscaling of a low-resolution image by {@code factor} to exactly {@code outH × outW}
     * (which may be less than lowH·factor when the original size was not a multiple). Not clamped.
     */
    public static Image bicubicUpscale(Image low, int factor, int outH, int outW) {
        checkFactor(factor);
        int lh = low.height();
        int lw = low.width();
        int[][] xi = new int[outW][];
        double[][] xw = new double[outW][];
        taps(lw, outW, factor, xi, xw);
        int[][] yi = new int[outH][];
        double[][] yw = new double[outH][];
        taps(lh, outH, factor, yi, yw);
        Image out = new Image(low.channels(), outH, outW);
        float[] src = low.data();
        float[] dst = out.data();
        float[] tmp = new float[lh * outW];
        for (int c = 0; c < low.channels(); c++) {
            int off = c * lh * lw;
            for (int y = 0; y < lh; y++) {
                for (int x = 0; x < outW; x++) {
                    double s = 0;
                    for (int t = 0; t < 4; t++) s += xw[x][t] * src[off + y * lw + xi[x][t]];
                    tmp[y * outW + x] = (float) s;
                }
            }
            int outOff = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    double s = 0;
                    for (int t = 0; t < 4; t++) s += yw[y][t] * tmp[yi[y][t] * outW + x];
                    dst[outOff + y * outW + x] = (float) s;
                }
            }
        }
        return out;
    }

    private static void taps(int inN, int outN, int factor, int[][] idx, double[][] wts) {
        for (int o = 0; o < outN; o++) {
            double src = (o + 0.5) / factor - 0.5;
            int base = (int) Math.floor(src);
            int[] ii = new int[4];
            double[] ww = new double[4];
            double sum = 0;
            for (int t = 0; t < 4; t++) {
                int i = base - 1 + t;
                ww[t] = keys(src - i);
                ii[t] = Math.min(inN - 1, Math.max(0, i));
                sum += ww[t];
            }
            for (int t = 0; t < 4; t++) ww[t] /= sum;
            idx[o] = ii;
            wts[o] = ww;
        }
    }

    /** Keys' cubic convolution kernel with a = -0.5. */
    static double keys(double x) {
        double a = -0.5;
        double t = Math.abs(x);
        if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
        if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
        return 0;
    }

    private static void checkFactor(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("A scale factor must be an integer >= 1, got " + factor + ".");
        }
    }
}
