package org.imagepipeline.model;

import org.imagepipeline.image.Image;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

import java.util.Arrays;

/**
 * Pads images at the bottom and right by reflection so that their sides become multiples of a
 * network's {@link ModelSpec#sizeMultiple()}, and crops the result back.
 *
 * <p>Reflection mirrors about the edge sample without repeating it (… c b | a b c | b a …), so
 * the padded border continues the image's texture instead of introducing a flat band the U-Net
 * would have to "restore". Padding longer than the image repeats the mirror. Because padding is
 * only at the bottom and right, {@code crop(restore(pad(x)), h, w)} keeps the top-left pixels
 * aligned with {@code x}.
 */
public final class ReflectPad {

    private ReflectPad() {
    }

    /** The smallest multiple of {@code multiple} that is at least {@code size}. */
    public static int paddedSize(int size, int multiple) {
        if (size < 1 || multiple < 1) {
            throw new IllegalArgumentException("Size and multiple must both be positive, but were " + size + " and " + multiple + ".");
        }
        return (int) (((long) size + multiple - 1) / multiple * multiple);
    }

    /**
     * {@code nchw} (rank 4: batch, channels, height, width) padded to sides that are multiples
     * of {@code multiple}; the same instance when nothing needs padding, otherwise a new array.
     */
    public static INDArray pad(INDArray nchw, int multiple) {
        if (nchw.rank() != 4) {
            throw new IllegalArgumentException("Padding needs a rank-4 NCHW array, but got shape "
                    + Arrays.toString(nchw.shape()) + ".");
        }
        int h = (int) nchw.size(2);
        int w = (int) nchw.size(3);
        int ph = paddedSize(h, multiple);
        int pw = paddedSize(w, multiple);
        if (ph == h && pw == w) {
            return nchw;
        }
        return nchw.get(NDArrayIndex.all(), NDArrayIndex.all(),
                new SpecifiedIndex(mirrorIndices(h, ph)), new SpecifiedIndex(mirrorIndices(w, pw)));
    }

    /** The top-left {@code height} × {@code width} of {@code nchw}, as a new array. */
    public static INDArray crop(INDArray nchw, int height, int width) {
        if (nchw.rank() != 4 || nchw.size(2) < height || nchw.size(3) < width) {
            throw new IllegalArgumentException("Cannot crop " + height + "x" + width + " from an array of shape "
                    + Arrays.toString(nchw.shape()) + "; it must be rank-4 NCHW and at least that large.");
        }
        return nchw.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, height), NDArrayIndex.interval(0, width)).dup();
    }

    /** {@code image} padded to sides that are multiples of {@code multiple}; the same instance when nothing needs padding. */
    public static Image pad(Image image, int multiple) {
        int h = image.height();
        int w = image.width();
        int ph = paddedSize(h, multiple);
        int pw = paddedSize(w, multiple);
        if (ph == h && pw == w) {
            return image;
        }
        long[] rows = mirrorIndices(h, ph);
        long[] cols = mirrorIndices(w, pw);
        Image out = new Image(image.channels(), ph, pw);
        float[] src = image.data();
        float[] dst = out.data();
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < ph; y++) {
                int srcRow = image.index(c, (int) rows[y], 0);
                int dstRow = out.index(c, y, 0);
                System.arraycopy(src, srcRow, dst, dstRow, w);
                for (int x = w; x < pw; x++) {
                    dst[dstRow + x] = src[srcRow + (int) cols[x]];
                }
            }
        }
        return out;
    }

    /** The top-left {@code height} × {@code width} of {@code image}, as a new image. */
    public static Image crop(Image image, int height, int width) {
        return image.crop(0, 0, height, width);
    }

    /** Source index for each of {@code padded} positions over an axis of {@code size} samples. */
    static long[] mirrorIndices(int size, int padded) {
        long[] idx = new long[padded];
        int period = 2 * (size - 1);
        for (int i = 0; i < padded; i++) {
            if (size == 1) {
                idx[i] = 0;
            } else {
                int m = i % period;
                idx[i] = m < size ? m : period - m;
            }
        }
        return idx;
    }
}
