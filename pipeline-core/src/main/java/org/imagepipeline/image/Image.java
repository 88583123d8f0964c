package org.imagepipeline.image;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * An image as the pipeline computes on it: float samples in [0,1], planar CHW (channel, row,
 * column), 1 (gray) or 3 (RGB) channels. Alpha is never part of an {@code Image}; decoders keep
 * it aside. Mutable only through {@link #set}; copy with {@link #copy()} before changing one that
 * others may hold.
 */
public final class Image implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    public Image(int channels, int height, int width) {
        this(channels, height, width, new float[checkedSize(channels, height, width)]);
    }

    /** Wraps {@code data} (not copied), which must hold channels*height*width samples, CHW. */
    public Image(int channels, int height, int width, float[] data) {
        int n = checkedSize(channels, height, width);
        if (data.length != n) {
            throw new IllegalArgumentException("Image data has " + data.length + " samples, expected "
                    + channels + "x" + height + "x" + width + " = " + n);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    private static int checkedSize(int c, int h, int w) {
        if (c < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("Image dimensions must be positive, got " + c + "x" + h + "x" + w);
        }
        long n = (long) c * h * w;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Image of " + c + "x" + h + "x" + w + " is too large for one array");
        }
        return (int) n;
    }

    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }

    /** The backing array, CHW; changes are visible in this image. */
    public float[] data() { return data; }

    public int index(int c, int y, int x) { return (c * height + y) * width + x; }

    public float get(int c, int y, int x) { return data[index(c, y, x)]; }

    public void set(int c, int y, int x, float v) { data[index(c, y, x)] = v; }

    public Image copy() { return new Image(channels, height, width, data.clone()); }

    /** Clamps every sample to [0,1] in place and returns this image. */
    public Image clamp01() {
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            data[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
        return this;
    }

    /** A copy holding the rectangle [y0,y0+h) x [x0,x0+w). */
    public Image crop(int y0, int x0, int h, int w) {
        if (y0 < 0 || x0 < 0 || y0 + h > height || x0 + w > width) {
            throw new IllegalArgumentException("Crop " + h + "x" + w + " at (" + y0 + "," + x0
                    + ") lies outside a " + height + "x" + width + " image");
        }
        Image out = new Image(channels, h, w);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, index(c, y0 + y, x0), out.data, out.index(c, y, 0), w);
            }
        }
        return out;
    }

    /** Channel {@code c} as a new 1-channel image. */
    public Image plane(int c) {
        if (c < 0 || c >= channels) throw new IllegalArgumentException("Channel " + c + " of a " + channels + "-channel image");
        int n = height * width;
        float[] d = new float[n];
        System.arraycopy(data, c * n, d, 0, n);
        return new Image(1, height, width, d);
    }

    /** The channels of {@code planes} (1-channel images of one size) stacked into one image. */
    public static Image stackPlanes(List<Image> planes) {
        Image first = planes.get(0);
        int n = first.height * first.width;
        float[] d = new float[planes.size() * n];
        for (int c = 0; c < planes.size(); c++) {
            Image p = planes.get(c);
            if (p.channels != 1 || p.height != first.height || p.width != first.width) {
                throw new IllegalArgumentException("Cannot stack " + p + " as a plane of " + first);
            }
            System.arraycopy(p.data, 0, d, c * n, n);
        }
        return new Image(planes.size(), first.height, first.width, d);
    }

    /** Gray from RGB with BT.601 luma weights; a gray image is returned as a copy. */
    public Image toGray() {
        if (channels == 1) return copy();
        Image out = new Image(1, height, width);
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            out.data[i] = 0.299f * data[i] + 0.587f * data[plane + i] + 0.114f * data[2 * plane + i];
        }
        return out;
    }

    /** RGB from gray by replicating the plane; an RGB image is returned as a copy. */
    public Image toRgb() {
        if (channels == 3) return copy();
        int plane = height * width;
        float[] d = new float[3 * plane];
        for (int c = 0; c < 3; c++) System.arraycopy(data, 0, d, c * plane, plane);
        return new Image(3, height, width, d);
    }

    /** This image with {@code wanted} channels (1 or 3), converting when needed. */
    public Image withChannels(int wanted) {
        if (wanted == channels) return this;
        if (wanted == 1) return toGray();
        if (wanted == 3) return toRgb();
        throw new IllegalArgumentException("Channels must be 1 or 3, got " + wanted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && other.channels == channels && other.height == height
                && other.width == width && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Image[" + channels + "x" + height + "x" + width + "]";
    }
}
