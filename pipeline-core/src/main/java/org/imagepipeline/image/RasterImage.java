package org.imagepipeline.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * The result of {@link ImageCodec#decodeRaster}: an image in its compact stored form, as the file
 * holds it (not yet upright), for work on images too large to hold as float.
 *
 * @param stored      gray or RGB, optional alpha band last, unsigned 8- or 16-bit samples, not
 *                    premultiplied; band b of its raster is colour component b
 * @param format      "png", "jpeg", "bmp", "gif" or "tiff"
 * @param bitDepth    8, or 16 when any stored sample has more than 8 bits
 * @param orientation the EXIF orientation (1..8) to apply to make it upright, 1 when none
 * @param metadata    what the file carries beside the pixels
 */
public record RasterImage(BufferedImage stored, String format, int bitDepth, int orientation, ImageMetadata metadata) {

    /** 1 (gray) or 3 (RGB). */
    public int colours() {
        return stored.getColorModel().getNumColorComponents();
    }

    public boolean hasAlpha() {
        return stored.getColorModel().hasAlpha();
    }

    /** Width once upright. */
    public int width() {
        return Orientation.swapsAxes(orientation) ? stored.getHeight() : stored.getWidth();
    }

    /** Height once upright. */
    public int height() {
        return Orientation.swapsAxes(orientation) ? stored.getWidth() : stored.getHeight();
    }

    /**
     * Bands {@code [band0, band0 + bands)} of the upright rectangle [y0, y0+h) × [x0, x0+w), each
     * sample divided by its maximum (2^bits - 1) into [0,1].
     */
    public Image readUpright(int y0, int x0, int h, int w, int band0, int bands) {
        if (y0 < 0 || x0 < 0 || y0 + h > height() || x0 + w > width()) {
            throw new IllegalArgumentException("Rectangle " + h + "x" + w + " at (" + y0 + "," + x0
                    + ") lies outside the upright " + height() + "x" + width() + " image");
        }
        int sh = stored.getHeight();
        int sw = stored.getWidth();
        int r0 = y0, r1 = y0 + h, c0 = x0, c1 = x0 + w;
        // The stored rectangle that holds the upright one (a symmetry maps rectangles to rectangles).
        int sy0 = switch (orientation) {
            case 1, 2 -> r0;
            case 3, 4 -> sh - r1;
            case 5, 8 -> c0;
            default -> sh - c1; // 6, 7
        };
        int sx0 = switch (orientation) {
            case 1, 4 -> c0;
            case 2, 3 -> sw - c1;
            case 5, 6 -> r0;
            default -> sw - r1; // 7, 8
        };
        boolean swap = Orientation.swapsAxes(orientation);
        int storedH = swap ? w : h;
        int storedW = swap ? h : w;
        Raster raster = stored.getRaster();
        int n = storedH * storedW;
        float[] data = new float[bands * n];
        int[] samples = new int[n];
        for (int b = 0; b < bands; b++) {
            float max = (float) ((1L << stored.getColorModel().getComponentSize(band0 + b)) - 1);
            raster.getSamples(sx0, sy0, storedW, storedH, band0 + b, samples);
            for (int i = 0; i < n; i++) data[b * n + i] = samples[i] / max;
        }
        return Orientation.apply(new Image(bands, storedH, storedW, data), orientation);
    }
}
