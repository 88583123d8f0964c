/**
 * Evaluation: full-reference restoration metrics ({@link org.imagepipeline.eval.Metrics}: PSNR,
 * SSIM, MSE, MAE, defined once as in ARCHITECTURE.md) and their averaging over many images. Pure
 * Java on {@link org.imagepipeline.image.Image}s; Spark code maps these over data.
 */
package org.imagepipeline.eval;
