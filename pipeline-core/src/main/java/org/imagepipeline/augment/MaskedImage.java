package org.imagepipeline.augment;

import java.io.Serializable;
import org.imagepipeline.image.Image;

/**
 * An image with missing regions and the mask that marks them: {@code mask} has one channel and
 * the image's height and width, 1 where a pixel is missing and 0 where it is kept.
 */
public record MaskedImage(Image image, Image mask) implements Serializable {
}
