/**
 * Bulk restoration of image archives: tiled inference with feathered overlaps
 * ({@link org.imagepipeline.restore.Tiling}, {@link org.imagepipeline.restore.TiledRestorer}), test-time
 * self-ensemble and model fusion ({@link org.imagepipeline.restore.EnsembleModel}), the per-task work
 * without Spark ({@link org.imagepipeline.restore.PartitionRestorer}) and the Spark layer with its
 * resumable manifest ({@link org.imagepipeline.restore.BulkRestore}).
 */
package org.imagepipeline.restore;
