/**
 * Training restoration networks (DnCNN, U-Net) by parameter averaging: the trainer, the optional
 * adversarial term (SRGAN style) and per-epoch validation with sample grids. The run lifecycle
 * (resume, budget, checkpoints, registry) comes from {@link org.imagepipeline.train}.
 */
package org.imagepipeline.restoration;
