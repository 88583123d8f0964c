package org.imagepipeline.augment;

import org.imagepipeline.image.Image;

/**
 * The eight symmetries of a square (the dihedral group D4) used as lossless augmentation: an
 * optional horizontal mirror (x → width-1-x) followed by 0–3 counter-clockwise quarter turns.
 * Rotations by 90° or 270° swap height and width.
 */
public enum Dihedral {
    IDENTITY(false, 0), ROT90(false, 1), ROT180(false, 2), ROT270(false, 3),
    FLIP(true, 0), FLIP_ROT90(true, 1), FLIP_ROT180(true, 2), FLIP_ROT270(true, 3);

    private final boolean flip;
    private final int quarterTurns;

    Dihedral(boolean flip, int quarterTurns) {
        this.flip = flip;
        this.quarterTurns = quarterTurns;
    }

    /** Whether a horizontal mirror comes first. */
    public boolean flip() {
        return flip;
    }

    /** Counter-clockwise quarter turns after the mirror, 0–3. */
    public int quarterTurns() {
        return quarterTurns;
    }

    /** The symmetry that undoes this one: mirrors undo themselves, a quarter turn undoes three. */
    public Dihedral inverse() {
        if (flip) return this;
        return values()[(4 - quarterTurns) % 4];
    }

    /** A new image: {@code image} mirrored if {@link #flip()}, then turned {@link #quarterTurns()} times. */
    public Image apply(Image image) {
        int h = image.height();
        int w = image.width();
        boolean swap = (quarterTurns & 1) == 1;
        int oh = swap ? w : h;
        int ow = swap ? h : w;
        Image out = new Image(image.channels(), oh, ow);
        float[] src = image.data();
        float[] dst = out.data();
        for (int c = 0; c < image.channels(); c++) {
            int inOff = c * h * w;
            int outOff = c * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    // Undo the turns to find the mirrored-image pixel, then undo the mirror.
                    int sy;
                    int sx;
                    switch (quarterTurns) {
                        case 0 -> { sy = y; sx = x; }
                        case 1 -> { sy = x; sx = w - 1 - y; }
                        case 2 -> { sy = h - 1 - y; sx = w - 1 - x; }
                        default -> { sy = h - 1 - x; sx = y; }
                    }
                    if (flip) sx = w - 1 - sx;
                    dst[outOff + y * ow + x] = src[inOff + sy * w + sx];
                }
            }
        }
        return out;
    }
}
