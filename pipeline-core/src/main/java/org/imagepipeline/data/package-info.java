/**
 * The data layer: ingest of image trees from any Hadoop file system into a Parquet catalog
 * ({@link org.imagepipeline.data.Ingest}, {@link org.imagepipeline.data.Catalog}), content hashes
 * and the hash-derived train/val/test split ({@link org.imagepipeline.data.Splits}).
 */
package org.imagepipeline.data;
