/**
 * Augmentations and synthetic degradations that turn clean images into restoration training pairs:
 * noise, blur, JPEG, downscaling, missing-region masks, patch sampling with dihedral transforms.
 * Everything here is a pure function of its inputs and an explicit {@link java.util.SplittableRandom}
 * (or a seed), takes and returns {@link org.imagepipeline.image.Image}s with samples in [0,1], and
 * never touches Spark, so executors can map it over data and tests run in milliseconds.
 */
package org.imagepipeline.augment;
