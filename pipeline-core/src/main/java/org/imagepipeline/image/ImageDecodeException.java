package org.imagepipeline.image;

/**
 * Thrown when bytes cannot become an {@link Image}. The message is a full sentence naming the file
 * and the reason, fit to show a user or to store as a reject reason; {@link #reason()} is a short
 * category for counting and for code that branches on the cause.
 */
public final class ImageDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a file could not be decoded. */
    public enum Reason {
        /** The file has no bytes. */
        EMPTY,
        /** No decoder recognises the content (text, archive, random bytes). */
        NOT_IMAGE,
        /** A decoder recognises the format but the data is truncated or damaged. */
        CORRUPT,
        /** A recognised image, but in a format or sample layout the pipeline does not read. */
        UNSUPPORTED,
        /** The header declares more pixels than the configured limit. */
        TOO_LARGE
    }

    private final Reason reason;
    private final String name;

    /**
     * @param name   the file's name or path, as the user knows it
     * @param reason the category
     * @param detail what went wrong, lower case, without a final period (e.g. "empty file (0 bytes)")
     * @param cause  the decoder's exception, or null
     */
    public ImageDecodeException(String name, Reason reason, String detail, Throwable cause) {
        super("Cannot decode " + name + ": " + detail + ".", cause);
        this.reason = reason;
        this.name = name;
    }

    public ImageDecodeException(String name, Reason reason, String detail) {
        this(name, reason, detail, null);
    }

    public Reason reason() { return reason; }

    /** The file's name or path as given to the codec. */
    public String name() { return name; }
}
