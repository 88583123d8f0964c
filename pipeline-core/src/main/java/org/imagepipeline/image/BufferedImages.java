package org.imagepipeline.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * Conversions between {@link Image} and 8-bit {@link BufferedImage}s for in-memory work that goes
 * through Java2D or ImageIO (JPEG round trips, procedural rendering, PNG writing). Samples are
 * quantized as {@code round(v * 255)} after clamping to [0,1]; reading divides by 255.
 * Gray images stay {@code TYPE_BYTE_GRAY}, RGB becomes {@code TYPE_3BYTE_BGR} (no alpha, which
 * the JDK's JPEG writer would reject).
 */
public final class BufferedImages {
    private BufferedImages() {}

    /** An 8-bit BufferedImage holding {@code image}: gray for 1 channel, RGB for 3. */
    public static BufferedImage toBufferedImage(Image image) {
        int h = image.height();
        int w = image.width();
        int plane = h * w;
        float[] d = image.data();
        BufferedImage out = new BufferedImage(w, h,
                image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = out.getRaster();
        int[] samples = new int[plane];
        for (int c = 0; c < image.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                samples[i] = to8Bit(d[c * plane + i]);
            }
            // Band c of a 3BYTE_BGR raster is R, G, B in that order (the byte order is the
            // storage detail), so planes map to bands directly.
            raster.setSamples(0, 0, w, h, c, samples);
        }
        return out;
    }

    /**
     * An Image with {@code channels} (1 or 3) from an 8-bit BufferedImage. Gray rasters are read
     * directly: {@code getRGB} on TYPE_BYTE_GRAY applies a linear-to-sRGB conversion that would
     * brighten every value.
     */
    public static Image fromBufferedImage(BufferedImage src, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Channels must be 1 or 3, got " + channels + ".");
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int plane = w * h;
        if (src.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int[] s = src.getRaster().getSamples(0, 0, w, h, 0, new int[plane]);
            float[] d = new float[plane];
            for (int i = 0; i < plane; i++) d[i] = s[i] / 255f;
            return new Image(1, h, w, d).withChannels(channels);
        }
        int[] argb = src.getRGB(0, 0, w, h, null, 0, w);
        float[] d = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            d[i] = ((p >>> 16) & 0xff) / 255f;
            d[plane + i] = ((p >>> 8) & 0xff) / 255f;
            d[2 * plane + i] = (p & 0xff) / 255f;
        }
        return new Image(3, h, w, d).withChannels(channels);
    }

    /** {@code v} in [0,1] as an 8-bit code value, rounded half up, clamped. */
    public static int to8Bit(float v) {
        int q = Math.round(v * 255f);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }
}
