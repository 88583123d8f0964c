package org.imagepipeline.restore;

import org.imagepipeline.image.Image;

import java.util.List;

/**
 * What tiled restoration runs on each batch of tiles: one restored image per input, with the
 * input's channel count and size, samples in [0,1]. Inputs may differ in size.
 */
@FunctionalInterface
public interface TileModel {
    List<Image> restore(List<Image> tiles);
}
