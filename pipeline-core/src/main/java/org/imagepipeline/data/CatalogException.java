package org.imagepipeline.data;

/**
 * The data layer refuses to go on: the input is missing, no usable image was found, or a catalog is
 * missing or stale. The message is a full sentence that says what to do; jobs print it without a
 * stack trace.
 */
public class CatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
