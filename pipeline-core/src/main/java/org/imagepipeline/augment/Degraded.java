package org.imagepipeline.augment;

import java.io.Serializable;
import java.util.List;
import org.imagepipeline.image.Image;

/**
 * The output of {@link Degrader#degrade}: the degraded image (samples in [0,1], same shape as the
 * clean one), the inpainting mask (1 channel, 1 = missing) or null when masking is disabled, and
 * what was applied with the sampled parameters, in order (e.g. "gaussian-blur sigma=1.37"), for
 * sample grids and debugging.
 */
public record Degraded(Image image, Image mask, List<String> applied) implements Serializable {
    public Degraded {
        applied = List.copyOf(applied);
    }
}
