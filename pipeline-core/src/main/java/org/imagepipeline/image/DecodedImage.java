package org.imagepipeline.image;

/**
 * The result of {@link ImageCodec#decode}: an upright image plus what the source was.
 *
 * @param image          upright pixels, float in [0,1], planar CHW; 1 channel for gray sources
 *                       (including palettes whose entries are all gray), 3 for colour ones
 * @param alpha          the upright alpha plane, height*width floats in [0,1] row-major, or null
 *                       when the source has no alpha; never premultiplied into {@code image}
 * @param format         "png", "jpeg", "bmp", "gif" or "tiff"
 * @param bitDepth       8 or 16: 16 when any stored sample had more than 8 bits, in which case
 *                       {@code image} keeps that precision (value / (2^bits - 1))
 * @param sourceChannels channels in the file including alpha: 1 gray, 2 gray+alpha, 3 colour,
 *                       4 colour+alpha; a palette counts as what its entries hold; CMYK and YCCK
 *                       JPEGs count as 3 because they are converted to RGB
 * @param orientation    the EXIF orientation (1..8) that was applied to make the image upright,
 *                       1 when the file carries none
 */
public record DecodedImage(Image image, float[] alpha, String format, int bitDepth, int sourceChannels,
                           int orientation) {

    public int width() { return image.width(); }

    public int height() { return image.height(); }

    public boolean hasAlpha() { return alpha != null; }
}
