package org.imagepipeline.augment;

/** Border handling shared by the filters and the patch padding. */
final class Borders {
    private Borders() {}

    /**
     * Index {@code i} folded into [0,n) by half-sample symmetric reflection ("dcba|abcd|dcba",
     * scipy's {@code reflect}), periodic with period 2n so any distance from the image works. With
     * a symmetric normalized kernel this boundary makes the filter preserve the image mean exactly.
     */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** {@code reflect(j - radius, n)} for j in [0, n + 2·radius): index table for a padded line. */
    static int[] reflectTable(int n, int radius) {
        int[] t = new int[n + 2 * radius];
        for (int j = 0; j < t.length; j++) t[j] = reflect(j - radius, n);
        return t;
    }
}
