package org.imagepipeline.image;

import java.util.Arrays;
import java.util.List;

/** Rows of images laid out side by side with 2 px gaps: sample grids, previews. */
public final class ImageGrid {
    private static final int GAP = 2;

    private ImageGrid() {}

    /** Lays out rows of images side by side on a white background; mixed gray/RGB becomes RGB. */
    public static Image of(List<Image[]> rows) {
        int channels = 1;
        int width = 0;
        int height = 0;
        for (Image[] row : rows) {
            int w = 0;
            int h = 0;
            for (Image im : row) {
                channels = Math.max(channels, im.channels());
                w += im.width() + GAP;
                h = Math.max(h, im.height());
            }
            width = Math.max(width, w - GAP);
            height += h + GAP;
        }
        Image out = new Image(channels, Math.max(1, height - GAP), Math.max(1, width));
        Arrays.fill(out.data(), 1f);
        int y0 = 0;
        for (Image[] row : rows) {
            int x0 = 0;
            int h = 0;
            for (Image im : row) {
                Image src = im.withChannels(channels);
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < src.height(); y++) {
                        System.arraycopy(src.data(), src.index(c, y, 0), out.data(), out.index(c, y0 + y, x0), src.width());
                    }
                }
                x0 += im.width() + GAP;
                h = Math.max(h, im.height());
            }
            y0 += h + GAP;
        }
        return out;
    }
}
