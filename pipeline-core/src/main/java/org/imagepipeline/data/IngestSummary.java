package org.imagepipeline.data;

import java.util.Map;

/**
 * What one ingest run did. Every listed file ends up in exactly one bucket:
 * {@code filesSeen == imagesCatalogued + duplicates + rejected}.
 *
 * @param filesSeen        files found under the input, hidden ones ('.' or '_' names) excluded
 * @param imagesCatalogued rows in the catalog: unique images that decoded
 * @param duplicates       files that decoded but have the same content hash as a catalogued one
 * @param rejected         files that could not be read or decoded (empty, not an image, corrupt,
 *                         unsupported, too large)
 * @param splitCounts      catalogued images per split ("train", "val", "test"; absent ones are 0)
 * @param seconds          wall-clock time of the run
 * @param catalogPath      the catalog folder, fully qualified ({@code images/} and {@code rejects/} below it)
 */
public record IngestSummary(long filesSeen, long imagesCatalogued, long duplicates, long rejected,
                            Map<String, Long> splitCounts, double seconds, String catalogPath) {

    public IngestSummary {
        splitCounts = Map.copyOf(splitCounts);
    }

    /** Catalogued images in {@code split}, 0 when there are none. */
    public long count(String split) {
        return splitCounts.getOrDefault(split, 0L);
    }

    /** One line for logs and the console. */
    public String describe() {
        return String.format("Ingest saw %d files in %.1f s: %d images catalogued (train %d, val %d, test %d), "
                        + "%d duplicates, %d rejected; catalog at %s", filesSeen, seconds, imagesCatalogued,
                count(Splits.TRAIN), count(Splits.VAL), count(Splits.TEST), duplicates, rejected, catalogPath);
    }
}
