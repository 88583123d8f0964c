package org.imagepipeline.model;

import org.imagepipeline.image.Image;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Conversions between {@link Image}s and the NCHW float arrays DL4J consumes. */
public final class Batches {
    private Batches() {}

    /** Stacks images of one shape into an [N, C, H, W] array. */
    public static INDArray stack(List<Image> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("Cannot stack an empty list of images");
        Image first = images.get(0);
        int n = first.data().length;
        float[] all = new float[images.size() * n];
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            if (im.channels() != first.channels() || im.height() != first.height() || im.width() != first.width()) {
                throw new IllegalArgumentException("Cannot stack " + im + " with " + first + ": shapes differ");
            }
            System.arraycopy(im.data(), 0, all, i * n, n);
        }
        return Nd4j.create(all, new long[] {images.size(), first.channels(), first.height(), first.width()}, 'c');
    }

    /** Splits an [N, C, H, W] array back into images. */
    public static List<Image> unstack(INDArray batch) {
        long[] s = batch.shape();
        if (s.length != 4) throw new IllegalArgumentException("Expected an [N, C, H, W] array, got shape " + Arrays.toString(s));
        float[] all = batch.dup('c').data().asFloat();
        int c = (int) s[1], h = (int) s[2], w = (int) s[3];
        int n = c * h * w;
        List<Image> out = new ArrayList<>((int) s[0]);
        for (int i = 0; i < s[0]; i++) {
            float[] d = new float[n];
            System.arraycopy(all, i * n, d, 0, n);
            out.add(new Image(c, h, w, d));
        }
        return out;
    }

    /** A DataSet whose features are the degraded images and labels the clean ones. */
    public static DataSet dataSet(List<Image> degraded, List<Image> clean) {
        return new DataSet(stack(degraded), stack(clean));
    }
}
