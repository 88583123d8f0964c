package org.imagepipeline.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ingest job needs, read once from the keys {@code pipeline.ingest.*}. Immutable and
 * serialisable, so executors can get it directly.
 *
 * @param input         folder (searched recursively) or single file of images, any Hadoop path:
 *                      {@code file:}, {@code hdfs:}, {@code s3a:} or a path on the default file system
 * @param catalogDir    where the catalog is written: {@code <catalogDir>/images} and
 *                      {@code <catalogDir>/rejects}, both Parquet; must not lie inside {@code input}
 * @param maxPixels     the largest width*height accepted; bigger images are rejected from their
 *                      header, before decoding (guards against decompression bombs)
 * @param valFraction   share of images in the validation split, in [0,1)
 * @param testFraction  share of images in the test split, in [0,1); val + test below 1
 * @param minPartitions how many Spark tasks decode the files at least; 0 uses Spark's default parallelism
 */
public record IngestSettings(String input, String catalogDir, long maxPixels, double valFraction,
                             double testFraction, int minPartitions) implements Serializable {

    public IngestSettings {
        List<String> problems = new ArrayList<>();
        if (input == null) {
            problems.add("pipeline.ingest.input must name a folder or file of images (or be empty when not ingesting), got null");
        }
        if (catalogDir == null || catalogDir.isBlank()) {
            problems.add("pipeline.ingest.catalog must name the output folder, got " + quoted(catalogDir));
        }
        if (maxPixels <= 0) {
            problems.add("pipeline.ingest.max-pixels must be a positive number of pixels, got " + maxPixels);
        }
        boolean valOk = valFraction >= 0 && valFraction < 1;
        boolean testOk = testFraction >= 0 && testFraction < 1;
        if (!valOk) {
            problems.add("pipeline.ingest.val-fraction must be in [0,1), got " + valFraction);
        }
        if (!testOk) {
            problems.add("pipeline.ingest.test-fraction must be in [0,1), got " + testFraction);
        }
        if (valOk && testOk && valFraction + testFraction >= 1) {
            problems.add("pipeline.ingest.val-fraction + pipeline.ingest.test-fraction must stay below 1 so that "
                    + "some images are left to train on, got " + valFraction + " + " + testFraction);
        }
        if (minPartitions < 0) {
            problems.add("pipeline.ingest.min-partitions must be 0 (Spark's default) or more, got " + minPartitions);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid ingest settings: " + String.join("; ", problems) + ".");
        }
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }

    /** These limits and fractions for another input and catalog (the demo and benchmarks ingest their own images). */
    public IngestSettings withPaths(String newInput, String newCatalogDir) {
        return new IngestSettings(newInput, newCatalogDir, maxPixels, valFraction, testFraction, minPartitions);
    }
}
