package org.imagepipeline.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.imagepipeline.image.DecodedImage;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.image.ImageDecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

/**
 * The ingest stage: turns a tree of image files on any Hadoop file system into the Parquet
 * {@link Catalog} (unique, decodable images with their split) and its rejects (every other file,
 * with the reason). One bad file never fails the job; it becomes a reject row.
 *
 * <p>The driver only lists paths; executors read, hash and fully decode each file, so corrupt
 * files are found here rather than in the middle of training. Of files with identical bytes the
 * one with the lexicographically smallest path is catalogued and the others are rejects with
 * category DUPLICATE, so reruns pick the same file. Both outputs are written in Spark's overwrite
 * mode: a rerun replaces the previous catalog, and a catalog is only complete once its
 * {@code _SUCCESS} marker exists, which {@link Catalog#load} checks.
 */
public final class Ingest {
    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

    /** One row per listed file: catalog columns, or category + reason for a reject. */
    static final StructType OUTCOME_SCHEMA = new StructType()
            .add(Catalog.PATH, DataTypes.StringType, false)
            .add(Catalog.SIZE_BYTES, DataTypes.LongType, false)
            .add(Catalog.HASH, DataTypes.StringType, true)
            .add(Catalog.WIDTH, DataTypes.IntegerType, true)
            .add(Catalog.HEIGHT, DataTypes.IntegerType, true)
            .add(Catalog.CHANNELS, DataTypes.IntegerType, true)
            .add(Catalog.HAS_ALPHA, DataTypes.BooleanType, true)
            .add(Catalog.BIT_DEPTH, DataTypes.IntegerType, true)
            .add(Catalog.FORMAT, DataTypes.StringType, true)
            .add(Catalog.SPLIT, DataTypes.StringType, true)
            .add(Catalog.CATEGORY, DataTypes.StringType, true)
            .add(Catalog.REASON, DataTypes.StringType, true);

    private Ingest() {}

    /**
     * Ingests {@code settings.input()} into {@code settings.catalogDir()}.
     *
     * @throws CatalogException before any Spark job when the input does not exist or the catalog
     *                          folder lies inside it; after writing the rejects (and an empty
     *                          catalog) when no file yielded a usable image
     */
    public static IngestSummary run(SparkSession spark, IngestSettings settings) {
        if (settings.input().isBlank()) {
            throw new CatalogException("Nothing to ingest: set pipeline.ingest.input to a folder or file of images "
                    + "(any Hadoop path: file:, hdfs:, s3a:)");
        }
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path input = new Path(settings.input());
        List<Tuple2<String, Long>> files;
        String catalogDir;
        try {
            FileSystem inputFs = input.getFileSystem(hadoop);
            if (!inputFs.exists(input)) {
                throw new CatalogException("The ingest input " + inputFs.makeQualified(input) + " does not exist: "
                        + "set pipeline.ingest.input to a folder or file of images.");
            }
            input = inputFs.makeQualified(input);
            Path catalog = new Path(settings.catalogDir());
            catalog = catalog.getFileSystem(hadoop).makeQualified(catalog);
            if (isInside(catalog, input)) {
                throw new CatalogException("The catalog folder " + catalog + " lies inside the ingest input " + input
                        + ", so the next ingest would read the catalog's own files as images: "
                        + "choose a pipeline.ingest.catalog outside the input.");
            }
            catalogDir = catalog.toString();
            files = listFiles(inputFs, input);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the ingest input " + input + ": " + e.getMessage(), e);
        }
        LOG.info("Ingest found {} files under {}", files.size(), input);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableHadoopConf> conf = jsc.broadcast(new SerializableHadoopConf(hadoop));
        int partitions = Math.max(1, Math.min(files.size(),
                settings.minPartitions() > 0 ? settings.minPartitions() : jsc.defaultParallelism()));
        JavaRDD<Row> outcomes = jsc.parallelize(files, partitions)
                .mapPartitions(new DecodeFiles(conf, settings.maxPixels(), settings.valFraction(),
                        settings.testFraction()));
        // Decoding is the expensive part and two outputs read it: keep it.
        Dataset<Row> all = spark.createDataFrame(outcomes, OUTCOME_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        String imagesPath = Catalog.imagesPath(catalogDir);
        String rejectsPath = Catalog.rejectsPath(catalogDir);
        try {
            // Fill the cache in one parallel pass first: the reject plan reads it from two branches,
            // which would otherwise decode the same partitions twice, concurrently.
            long outcomeCount = all.count();
            if (outcomeCount != files.size()) {
                throw new IllegalStateException("Ingest decoded " + outcomeCount + " outcomes for " + files.size()
                        + " files; every file must yield exactly one catalog or reject row.");
            }
            Dataset<Row> decoded = all.filter(col(Catalog.CATEGORY).isNull());
            WindowSpec sameBytes = Window.partitionBy(Catalog.HASH).orderBy(Catalog.PATH);
            Dataset<Row> ranked = decoded
                    .withColumn("rank", row_number().over(sameBytes))
                    .withColumn("kept", first(Catalog.PATH).over(sameBytes));
            Dataset<Row> images = ranked.filter(col("rank").equalTo(1))
                    .select(columns(Catalog.IMAGES_SCHEMA))
                    .orderBy(Catalog.HASH);
            Dataset<Row> duplicates = ranked.filter(col("rank").gt(1)).select(
                    col(Catalog.PATH),
                    lit(Catalog.DUPLICATE).as(Catalog.CATEGORY),
                    concat(lit("duplicate of "), col("kept"),
                            lit(": the bytes are identical (same SHA-256), and only the smallest path is catalogued."))
                            .as(Catalog.REASON));
            Dataset<Row> rejects = all.filter(col(Catalog.CATEGORY).isNotNull())
                    .select(columns(Catalog.REJECTS_SCHEMA))
                    .unionByName(duplicates)
                    .orderBy(Catalog.PATH);

            rejects.write().mode(SaveMode.Overwrite).parquet(rejectsPath);
            // Written even when empty, so a stale catalog from an earlier run cannot be mistaken for this one.
            images.write().mode(SaveMode.Overwrite).parquet(imagesPath);
        } finally {
            all.unpersist();
            conf.destroy();
        }

        // Count what was written rather than what was planned.
        Map<String, Long> splits = new HashMap<>();
        long catalogued = 0;
        for (Row r : spark.read().parquet(imagesPath).groupBy(Catalog.SPLIT).count().collectAsList()) {
            splits.put(r.getString(0), r.getLong(1));
            catalogued += r.getLong(1);
        }
        long duplicateCount = 0;
        long rejected = 0;
        for (Row r : spark.read().parquet(rejectsPath).groupBy(Catalog.CATEGORY).count().collectAsList()) {
            if (Catalog.DUPLICATE.equals(r.getString(0))) duplicateCount += r.getLong(1);
            else rejected += r.getLong(1);
        }
        if (catalogued == 0) {
            throw new CatalogException("No usable image found under " + input + ": " + files.size() + " files, all "
                    + "rejected" + (files.isEmpty() ? " (names starting with '.' or '_' are skipped)" : "")
                    + "; see " + rejectsPath + " for the reason of each.");
        }
        IngestSummary summary = new IngestSummary(files.size(), catalogued, duplicateCount, rejected, splits,
                (System.nanoTime() - start) / 1e9, catalogDir);
        LOG.info(summary.describe());
        return summary;
    }

    /**
     * Files under {@code root}, or root itself if it is a file, as (full URI, size in bytes) sorted
     * by path. Skips names starting with '.' or '_' at any level below the root (editor and Spark
     * side files such as _SUCCESS, .DS_Store, _temporary/). One recursive listing rather than a
     * walk, because object stores answer it with a few flat list calls.
     */
    static List<Tuple2<String, Long>> listFiles(FileSystem fs, Path root) throws IOException {
        int rootDepth = root.depth();
        List<Tuple2<String, Long>> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus status = it.next();
            if (!isHidden(status.getPath(), rootDepth)) {
                files.add(new Tuple2<>(status.getPath().toString(), status.getLen()));
            }
        }
        files.sort(Comparator.comparing(Tuple2::_1));
        return files;
    }

    private static boolean isHidden(Path path, int rootDepth) {
        for (Path p = path; p != null && p.depth() > rootDepth; p = p.getParent()) {
            String name = p.getName();
            if (name.startsWith(".") || name.startsWith("_")) return true;
        }
        return false;
    }

    private static boolean isInside(Path candidate, Path root) {
        for (Path p = candidate; p != null; p = p.getParent()) {
            if (p.equals(root)) return true;
        }
        return false;
    }

    private static Column[] columns(StructType schema) {
        String[] names = schema.fieldNames();
        Column[] columns = new Column[names.length];
        for (int i = 0; i < names.length; i++) columns[i] = col(names[i]);
        return columns;
    }

    /**
     * Executor side: reads, hashes and decodes each file of a partition into one {@link #OUTCOME_SCHEMA}
     * row, lazily, so a partition holds one decoded image at a time.
     */
    static final class DecodeFiles implements FlatMapFunction<Iterator<Tuple2<String, Long>>, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SerializableHadoopConf> conf;
        private final long maxPixels;
        private final double valFraction;
        private final double testFraction;

        DecodeFiles(Broadcast<SerializableHadoopConf> conf, long maxPixels, double valFraction, double testFraction) {
            this.conf = conf;
            this.maxPixels = maxPixels;
            this.valFraction = valFraction;
            this.testFraction = testFraction;
        }

        @Override
        public Iterator<Row> call(Iterator<Tuple2<String, Long>> files) {
            Configuration hadoop = conf.value().get();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return files.hasNext();
                }

                @Override
                public Row next() {
                    Tuple2<String, Long> file = files.next();
                    return outcome(file._1(), file._2(), hadoop);
                }
            };
        }

        private Row outcome(String path, long size, Configuration hadoop) {
            byte[] bytes;
            try {
                Path p = new Path(path);
                bytes = Catalog.readFile(p.getFileSystem(hadoop), p, size);
            } catch (IOException | RuntimeException e) {
                return reject(path, size, Catalog.UNREADABLE, "Cannot read " + path + ": " + e.getMessage() + ".");
            }
            try {
                DecodedImage d = ImageCodec.decode(bytes, path, maxPixels);
                String hash = ContentHash.sha256Hex(bytes);
                return RowFactory.create(path, size, hash, d.width(), d.height(), d.image().channels(), d.hasAlpha(),
                        d.bitDepth(), d.format(), Splits.assign(hash, valFraction, testFraction), null, null);
            } catch (ImageDecodeException e) {
                return reject(path, size, e.reason().name(), e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                // A decoder bug on one odd file must not fail the job; the class name helps report it.
                return reject(path, size, ImageDecodeException.Reason.CORRUPT.name(), "Cannot decode " + path
                        + ": the decoder failed with " + e.getClass().getName() + ": " + e.getMessage() + ".");
            }
        }

        private static Row reject(String path, long size, String category, String reason) {
            return RowFactory.create(path, size, null, null, null, null, null, null, null, null, category, reason);
        }
    }
}
