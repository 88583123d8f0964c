/**
 * Evaluation: full-reference restoration metrics ({@link org.imagepipeline.eval.Metrics}: PSNR,
 * SSIM, MSE, MAE, defined once) and their averaging over many images, pure Java on
 * {@link org.imagepipeline.image.Image}s; {@link org.imagepipeline.eval.Evaluator} maps them over a
 * catalog's test split with Spark.
 */
package org.imagepipeline.eval;
