package org.imagepipeline.image;

/**
 * EXIF orientation (TIFF tag 274): how the stored pixels must be transformed to show the scene
 * upright. Values 1..8 as the EXIF 2.3 specification defines them by where the stored row 0 and
 * column 0 end up:
 * <pre>
 *   1 row 0 top,    col 0 left    (as stored)
 *   2 row 0 top,    col 0 right   (mirror left-right)
 *   3 row 0 bottom, col 0 right   (rotate 180)
 *   4 row 0 bottom, col 0 left    (mirror top-bottom)
 *   5 row 0 left,   col 0 top     (transpose)
 *   6 row 0 right,  col 0 top     (rotate 90 clockwise)
 *   7 row 0 right,  col 0 bottom  (transverse)
 *   8 row 0 left,   col 0 bottom  (rotate 90 counter-clockwise)
 * </pre>
 * Values 5..8 swap width and height. Pure functions; no metadata parsing here.
 */
public final class Orientation {
    private Orientation() {}

    /** Whether {@code orientation} is a value EXIF defines. */
    public static boolean isValid(int orientation) {
        return orientation >= 1 && orientation <= 8;
    }

    /** Whether applying {@code orientation} swaps width and height. */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The upright image for pixels stored with {@code orientation}; orientation 1 returns {@code image} itself. */
    public static Image apply(Image image, int orientation) {
        if (!isValid(orientation)) {
            throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + orientation);
        }
        if (orientation == 1) return image;
        int h = image.height();
        int w = image.width();
        int outH = swapsAxes(orientation) ? w : h;
        int outW = swapsAxes(orientation) ? h : w;
        float[] src = image.data();
        float[] dst = new float[src.length];
        int plane = h * w;
        for (int c = 0; c < image.channels(); c++) {
            int base = c * plane;
            for (int r = 0; r < outH; r++) {
                for (int col = 0; col < outW; col++) {
                    int sy;
                    int sx;
                    switch (orientation) {
                        case 2 -> { sy = r; sx = w - 1 - col; }
                        case 3 -> { sy = h - 1 - r; sx = w - 1 - col; }
                        case 4 -> { sy = h - 1 - r; sx = col; }
                        case 5 -> { sy = col; sx = r; }
                        case 6 -> { sy = h - 1 - col; sx = r; }
                        case 7 -> { sy = h - 1 - col; sx = w - 1 - r; }
                        default -> { sy = col; sx = w - 1 - r; } // 8
                    }
                    dst[base + r * outW + col] = src[base + sy * w + sx];
                }
            }
        }
        return new Image(image.channels(), outH, outW, dst);
    }
}
