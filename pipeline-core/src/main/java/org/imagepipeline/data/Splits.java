package org.imagepipeline.data;

/**
 * Assigns each image to "train", "val" or "test" from its content hash alone. Because nothing else
 * enters the decision, an image keeps its split when images are added or removed, and reruns of
 * ingest agree with earlier ones; only changing the fractions moves images.
 *
 * <p>The first 16 hex digits (64 bits) of the hash, read as an unsigned number and scaled to a
 * uniform u in [0,1), decide: u &lt; test fraction → test, u &lt; test + val → val, else train.
 * Test comes first so that resizing the validation split never moves a test image.
 */
public final class Splits {
    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String TEST = "test";

    private Splits() {}

    /**
     * The split of the image whose content hash is {@code sha256Hex}.
     *
     * @param sha256Hex    a hex content hash, at least 16 digits ({@link ContentHash#sha256Hex})
     * @param valFraction  expected share of images in "val", in [0,1]
     * @param testFraction expected share of images in "test", in [0,1]; val + test at most 1
     */
    public static String assign(String sha256Hex, double valFraction, double testFraction) {
        if (!(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction <= 1)) {
            throw new IllegalArgumentException("Split fractions must be non-negative with a sum of at most 1, got val "
                    + valFraction + " and test " + testFraction);
        }
        double u = unit(sha256Hex);
        if (u < testFraction) return TEST;
        if (u < testFraction + valFraction) return VAL;
        return TRAIN;
    }

    /** The hash's first 64 bits as a uniform number in [0,1). */
    static double unit(String sha256Hex) {
        if (sha256Hex == null || sha256Hex.length() < 16) {
            throw new IllegalArgumentException("A content hash needs at least 16 hex digits, got " + sha256Hex);
        }
        long bits;
        try {
            bits = Long.parseUnsignedLong(sha256Hex.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A content hash must be hex digits, got " + sha256Hex, e);
        }
        return (bits >>> 11) * 0x1.0p-53; // top 53 bits: every value exact in a double, never 1.0
    }
}
