package org.imagepipeline.image;

/**
 * What an image file's header says, read without decoding any pixel: the normalised format name
 * ("png", "jpeg", "bmp", "gif", "tiff") and the stored width and height in pixels (before any
 * EXIF orientation is applied, so a portrait photo stored landscape reports landscape here).
 */
public record ImageHeader(String format, int width, int height) {

    /** width * height, without int overflow. */
    public long pixels() {
        return (long) width * height;
    }
}
