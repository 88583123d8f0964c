package org.imagepipeline.gan;

import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageGrid;
import org.imagepipeline.model.Batches;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Conversions between catalog images, the GAN's [-1,1] tensors, latent batches and sample grids. */
public final class GanImages {
    private GanImages() {}

    /**
     * A catalog image as the GAN sees it: {@code channels} channels, the centred largest square,
     * resized to {@code resolution} (bilinear, pixel centres aligned; an area average of each
     * output pixel's footprint when shrinking by 2x or more), values still in [0,1].
     */
    public static Image toTraining(Image image, int resolution, int channels) {
        Image im = image.withChannels(channels);
        int side = Math.min(im.height(), im.width());
        if (im.height() != side || im.width() != side) {
            im = im.crop((im.height() - side) / 2, (im.width() - side) / 2, side, side);
        }
        return side == resolution ? im : resize(im, resolution);
    }

    private static Image resize(Image im, int out) {
        int in = im.height();
        double scale = (double) in / out;
        // Sub-samples per output pixel and axis: enough to average the footprint when shrinking.
        int taps = Math.max(1, (int) Math.ceil(scale));
        Image o = new Image(im.channels(), out, out);
        for (int c = 0; c < im.channels(); c++) {
            for (int y = 0; y < out; y++) {
                for (int x = 0; x < out; x++) {
                    double sum = 0;
                    for (int ty = 0; ty < taps; ty++) {
                        for (int tx = 0; tx < taps; tx++) {
                            double sy = (y + (ty + 0.5) / taps) * scale - 0.5;
                            double sx = (x + (tx + 0.5) / taps) * scale - 0.5;
                            sum += bilinear(im, c, sy, sx);
                        }
                    }
                    o.set(c, y, x, (float) (sum / (taps * taps)));
                }
            }
        }
        return o;
    }

    private static double bilinear(Image im, int c, double y, double x) {
        int n = im.height();
        y = Math.max(0, Math.min(n - 1, y));
        x = Math.max(0, Math.min(n - 1, x));
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        int y1 = Math.min(n - 1, y0 + 1), x1 = Math.min(n - 1, x0 + 1);
        double fy = y - y0, fx = x - x0;
        return (1 - fy) * ((1 - fx) * im.get(c, y0, x0) + fx * im.get(c, y0, x1))
                + fy * ((1 - fx) * im.get(c, y1, x0) + fx * im.get(c, y1, x1));
    }

    /** Images in [0,1] as an [N, C, H, W] batch in [-1,1] (the generator's tanh range). */
    public static INDArray toTanh(List<Image> images) {
        return Batches.stack(images).muli(2).subi(1);
    }

    /** An [N, C, H, W] batch in [-1,1] as images in [0,1], clamped. */
    public static List<Image> fromTanh(INDArray batch) {
        List<Image> out = new ArrayList<>();
        for (Image im : Batches.unstack(batch.add(1).divi(2))) out.add(im.clamp01());
        return out;
    }

    /** {@code n} standard-normal latent vectors [n, size], a pure function of {@code seed}. */
    public static INDArray latent(long seed, int n, int size) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] z = new float[n * size];
        for (int i = 0; i < z.length; i++) z[i] = (float) rng.nextGaussian();
        return Nd4j.create(z, new long[] {n, size}, 'c');
    }

    /** Images laid out {@code columns} to a row. */
    public static Image grid(List<Image> images, int columns) {
        List<Image[]> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i += columns) {
            rows.add(images.subList(i, Math.min(images.size(), i + columns)).toArray(new Image[0]));
        }
        return ImageGrid.of(rows);
    }
}
