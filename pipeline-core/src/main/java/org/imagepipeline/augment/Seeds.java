package org.imagepipeline.augment;

import java.nio.charset.StandardCharsets;

/**
 * The one derivation of every random seed in a run: patches, degradations, latent vectors,
 * training masters' data splits. Each seed is a pure function of (run seed, epoch or round, key,
 * index), so the same settings draw the same numbers on any number of executors, and a resumed
 * run repeats what an uninterrupted one draws. Negative epochs are reserved for streams outside
 * the epoch loop (validation, test, fixed latent batches).
 */
public final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private Seeds() {}

    /**
     * The 64-bit seed of draw {@code index} of {@code key} (an image's content hash, or the name of
     * a stream such as "fixed-z") in {@code epoch} of the run seeded {@code runSeed}: SplitMix64's
     * finalizer chained over the run seed, the epoch, the key's UTF-8 bytes (8 at a time, then the
     * length) and the index.
     * Each step is a bijection of the state mixed with the next input, so any change in any input
     * gives an unrelated seed.
     */
    public static long derive(long runSeed, int epoch, String key, int index) {
        if (key == null) {
            throw new IllegalArgumentException("A key (an image content hash or a stream name) is required to derive a seed, got null.");
        }
        long h = mix64(runSeed);
        h = step(h, epoch);
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 8) {
            long chunk = 0;
            for (int j = 0; j < 8 && i + j < bytes.length; j++) chunk |= (bytes[i + j] & 0xffL) << (8 * j);
            h = step(h, chunk);
        }
        h = step(h, bytes.length); // "ab" + "" and "a" + "b" style ambiguities end here
        return step(h, index);
    }

    private static long step(long h, long v) {
        return mix64((h + GOLDEN_GAMMA) ^ v);
    }

    /** SplitMix64's output function (Stafford's Mix13): a bijection with full avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
