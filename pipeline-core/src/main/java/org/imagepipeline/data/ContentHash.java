package org.imagepipeline.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content hash that identifies an image everywhere in the pipeline: SHA-256 of the file's
 * bytes, as 64 lower-case hex digits. Two files with the same bytes are the same image; the
 * train/val/test split is derived from this hash ({@link Splits}).
 */
public final class ContentHash {
    private ContentHash() {}

    /** SHA-256 of {@code bytes} as 64 lower-case hex digits. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256, which every Java platform must provide", e);
        }
    }
}
