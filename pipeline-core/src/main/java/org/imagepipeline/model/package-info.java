/**
 * Restoration networks as DL4J ComputationGraphs: {@link org.imagepipeline.model.ModelSpec} says
 * what to build, {@link org.imagepipeline.model.RestorationModels} builds it,
 * {@link org.imagepipeline.model.ReflectPad} fits image sizes to a U-Net. Tensors are NCHW float
 * samples in [0,1].
 */
package org.imagepipeline.model;
