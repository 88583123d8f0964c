package org.imagepipeline.augment;

import java.io.Serializable;
import org.imagepipeline.image.Image;

/**
 * One sampled training patch and where it came from: {@code image} is {@code transform} applied
 * to the size×size crop at ({@code y}, {@code x}) of the source (reflect-padded first if the source
 * was smaller than the patch). {@code seed} is {@link Seeds#derive} of this patch.
 */
public record Patch(int index, int y, int x, Dihedral transform, long seed, Image image) implements Serializable {
}
