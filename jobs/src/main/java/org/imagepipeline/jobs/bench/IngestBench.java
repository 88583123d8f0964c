package org.imagepipeline.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.data.Ingest;
import org.imagepipeline.data.IngestSettings;
import org.imagepipeline.data.IngestSummary;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.train.PairSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

/**
 * Ingest and prepare throughput on generated PNGs, with a decode-only baseline over the same
 * files in one JVM (as many threads as Spark has cores), so the ratio shows what listing,
 * hashing, Parquet and scheduling cost on top of decoding.
 */
public final class IngestBench {
    private IngestBench() {}

    public static ObjectNode run(SparkSession spark, PipelineSettings s, Path workDir, int images, int size) {
        Path dir = workDir.resolve("ingest-bench-images");
        SyntheticImages.writePngs(dir, images, size, 3, s.run().seed());
        List<Path> files;
        try (Stream<Path> st = Files.list(dir)) {
            files = st.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int cores = spark.sparkContext().defaultParallelism();
        long t0 = System.nanoTime();
        long pixels = new ForkJoinPool(cores).submit(() -> files.parallelStream().mapToLong(f -> {
            try {
                var d = ImageCodec.decode(Files.readAllBytes(f), f.toString(), s.ingest().maxPixels());
                return (long) d.width() * d.height();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum()).join();
        double decodeSeconds = (System.nanoTime() - t0) / 1e9;

        String catalog = workDir.resolve("ingest-bench-catalog").toUri().toString();
        IngestSettings is = s.ingest();
        IngestSummary summary = Ingest.run(spark, is.withPaths(dir.toUri().toString(), catalog));

        var train = Catalog.images(spark, catalog, null, s.model().channels(), is.maxPixels()).cache();
        train.count();
        long seed = s.run().seed();
        var p = s.prepare();
        long t1 = System.nanoTime();
        long patches = train.map(kv -> (long) PairSource.patchPairs(kv._2(), kv._1(), seed, 0, p).size()).fold(0L, Long::sum);
        double prepareSeconds = (System.nanoTime() - t1) / 1e9;
        train.unpersist(false);

        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("images", files.size());
        n.put("image_size", size);
        n.put("cores", cores);
        n.put("megapixels", pixels / 1e6);
        n.put("decode_only_images_per_second", files.size() / decodeSeconds);
        n.put("ingest_images_per_second", files.size() / summary.seconds());
        n.put("ingest_over_decode_only", decodeSeconds / summary.seconds());
        n.put("prepare_patches_per_second", patches / prepareSeconds);
        n.put("prepare_patch_size", p.patchSize());
        n.put("prepare_degradations", String.valueOf(p.degrader().settings()));
        return n;
    }
}
