/**
 * Images as the pipeline computes on them ({@link org.imagepipeline.image.Image}: float in [0,1],
 * planar CHW, 1 or 3 channels) and the pure code around them: decoding and encoding files
 * ({@link org.imagepipeline.image.ImageCodec}) and EXIF orientation. Nothing here touches Spark or
 * a file system.
 */
package org.imagepipeline.image;
