package org.imagepipeline.eval;

import java.io.Serializable;

/**
 * Where restoration metrics are measured: a border of {@code border} pixels is cropped from every
 * side first (super-resolution papers crop the scale factor), then either every channel is used
 * ({@link Space#RGB}) or RGB images are reduced to BT.601 luma ({@link Space#Y}).
 *
 * @param border pixels cropped from each side, {@code >= 0}
 * @param space  channels the metrics are computed on
 */
public record MetricOptions(int border, Space space) implements Serializable {

    /** Channels to evaluate on. */
    public enum Space {
        /** Every channel of the image as stored (gray images: their one channel). */
        RGB,
        /**
         * The Y of studio-swing BT.601 YCbCr, as MATLAB's {@code rgb2ycbcr} and restoration papers
         * compute it: {@code Y = 16 + 65.481 R + 128.553 G + 24.966 B} on the [0,255] scale with
         * R, G, B in [0,1], i.e. Y in [16,235] / 255 on our [0,1] scale, with MAX still 255 (1).
         * Gray images are used as they are: they are not mapped into [16,235].
         */
        Y
    }

    /** All channels, nothing cropped. */
    public static final MetricOptions RGB = new MetricOptions(0, Space.RGB);

    public MetricOptions {
        if (border < 0) {
            throw new IllegalArgumentException("The metric border must be >= 0 pixels, got " + border + ".");
        }
        if (space == null) {
            throw new IllegalArgumentException("The metric space must be RGB or Y, got null.");
        }
    }

    /** Y (BT.601 luma) after cropping {@code border} pixels, the usual super-resolution protocol. */
    public static MetricOptions luma(int border) {
        return new MetricOptions(border, Space.Y);
    }
}
