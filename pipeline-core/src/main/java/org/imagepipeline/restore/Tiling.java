package org.imagepipeline.restore;

import java.util.Arrays;

/**
 * How one image axis is cut into overlapping tiles, and the blending weight of each tile along it.
 * Pure arithmetic, no pixels.
 *
 * <p>Tiles are {@code tile} samples long (the whole axis when it is shorter) and start every
 * {@code tile - overlap} samples; the last one is moved back so that it ends at the axis end, so
 * every tile is full-size and the last overlap may be longer. Along an edge that is interior to
 * the image a tile's weight is 0 for its first {@code margin} samples, then rises as a raised
 * cosine over the rest of the overlap to 1; along an image border the weight is 1 up to the border.
 * The restored value of a sample is the weighted mean of the tiles covering it.
 *
 * <p>Exactness: a convolutional network's output at a sample depends only on the input within its
 * receptive-field radius R (DnCNN with d 3×3 layers: R = d). A tile's output is therefore exact
 * (equal to running the whole image) at samples at least R from its interior edges, and with
 * {@code margin >= R} every sample that gets a non-zero weight is exact, so the blended result
 * equals the whole-image result up to float rounding. That needs {@code overlap >= 2*margin + 1}
 * so that every sample has a tile with positive weight; {@link #Tiling} enforces it. With a smaller
 * margin the result is only close, and the feathering hides the seam.
 */
public final class Tiling {
    private final int length;
    private final int tile;
    private final int[] starts;
    private final int overlap;
    private final int margin;

    /**
     * @param length  the axis length in samples, &ge; 1
     * @param tile    the tile length, &ge; 1
     * @param overlap how much neighbouring tiles overlap at least, in [0, tile)
     * @param margin  samples at each interior tile edge whose weight is 0; {@code 2*margin < overlap}
     *                unless overlap is 0 (then margin must be 0 too)
     */
    public Tiling(int length, int tile, int overlap, int margin) {
        if (length < 1 || tile < 1) throw new IllegalArgumentException("Axis length and tile size must be positive, got " + length + " and " + tile);
        if (overlap < 0 || overlap >= tile) {
            throw new IllegalArgumentException("Tile overlap must lie in [0, tile size " + tile + "), got " + overlap);
        }
        if (margin < 0 || (overlap == 0 ? margin != 0 : 2 * margin >= overlap)) {
            throw new IllegalArgumentException("Tile margin must be at least 0 and less than half the overlap " + overlap
                    + " (so every sample has a tile with positive weight), got " + margin);
        }
        this.length = length;
        this.tile = Math.min(tile, length);
        this.overlap = overlap;
        this.margin = margin;
        if (this.tile == length) {
            starts = new int[] {0};
        } else {
            int stride = tile - overlap;
            int n = (length - tile + stride - 1) / stride + 1;
            starts = new int[n];
            for (int i = 0; i < n; i++) starts[i] = Math.min(i * stride, length - tile);
        }
    }

    public int length() { return length; }

    /** The tile length actually used: min(tile, length). */
    public int tile() { return tile; }

    public int count() { return starts.length; }

    public int start(int i) { return starts[i]; }

    public int[] starts() { return starts.clone(); }

    /**
     * The weights of tile {@code i} along this axis, one per sample of the tile. Edges at the
     * image border weigh 1; interior edges 0 for {@code margin} samples, then a raised-cosine ramp
     * over {@code overlap - 2*margin} samples.
     */
    public float[] weights(int i) {
        float[] w = new float[tile];
        Arrays.fill(w, 1f);
        int ramp = overlap - 2 * margin;
        if (i > 0) {
            for (int k = 0; k < margin + ramp && k < tile; k++) w[k] = Math.min(w[k], rise(k, ramp));
        }
        if (i < starts.length - 1) {
            for (int k = 0; k < margin + ramp && k < tile; k++) w[tile - 1 - k] = Math.min(w[tile - 1 - k], rise(k, ramp));
        }
        return w;
    }

    private float rise(int k, int ramp) {
        if (k < margin) return 0f;
        double t = (k - margin + 0.5) / ramp;
        return (float) (0.5 - 0.5 * Math.cos(Math.PI * t));
    }

    /** The last sample (exclusive) that no tile after {@code i} touches, i.e. final once tiles 0..i are done. */
    public int finalUpTo(int i) {
        return i + 1 < starts.length ? starts[i + 1] : length;
    }
}
