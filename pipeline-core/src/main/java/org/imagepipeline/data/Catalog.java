package org.imagepipeline.data;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.imagepipeline.image.DecodedImage;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import scala.Tuple2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import static org.apache.spark.sql.functions.col;

/**
 * The image catalog that {@link Ingest} writes and later stages read. Under a catalog folder:
 * <ul>
 * <li>{@code images/}: Parquet, one row per unique image ({@link #IMAGES_SCHEMA}), sorted by hash;</li>
 * <li>{@code rejects/}: Parquet, one row per file that is not in {@code images/} ({@link #REJECTS_SCHEMA}),
 *     sorted by path; duplicates are here too, with category {@code DUPLICATE}.</li>
 * </ul>
 * Width and height are those of the upright image (EXIF orientation applied); channels is 1 for
 * gray sources and 3 for colour ones; the source files stay where they are and are decoded again
 * on the executors that need them.
 */
public final class Catalog {
    public static final String HASH = "hash";
    public static final String PATH = "path";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    public static final String CHANNELS = "channels";
    public static final String HAS_ALPHA = "has_alpha";
    public static final String BIT_DEPTH = "bit_depth";
    public static final String FORMAT = "format";
    public static final String SIZE_BYTES = "size_bytes";
    public static final String SPLIT = "split";
    public static final String CATEGORY = "category";
    public static final String REASON = "reason";

    /** Reject category of a file whose bytes equal a catalogued image's. */
    public static final String DUPLICATE = "DUPLICATE";
    /** The largest file read into one array. */
    private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    /** Reject category of a file the file system could not read. */
    public static final String UNREADABLE = "UNREADABLE";

    /**
     * Catalog rows. hash: SHA-256 hex of the file bytes (unique); path: full URI of the source;
     * width, height: upright size in pixels; channels: 1 or 3; has_alpha; bit_depth: 8 or 16;
     * format: png, jpeg, bmp, gif or tiff; size_bytes: file size; split: train, val or test.
     */
    public static final StructType IMAGES_SCHEMA = new StructType()
            .add(HASH, DataTypes.StringType, false)
            .add(PATH, DataTypes.StringType, false)
            .add(WIDTH, DataTypes.IntegerType, false)
            .add(HEIGHT, DataTypes.IntegerType, false)
            .add(CHANNELS, DataTypes.IntegerType, false)
            .add(HAS_ALPHA, DataTypes.BooleanType, false)
            .add(BIT_DEPTH, DataTypes.IntegerType, false)
            .add(FORMAT, DataTypes.StringType, false)
            .add(SIZE_BYTES, DataTypes.LongType, false)
            .add(SPLIT, DataTypes.StringType, false);

    /**
     * Reject rows. path: full URI of the file; category: EMPTY, NOT_IMAGE, CORRUPT, UNSUPPORTED,
     * TOO_LARGE (from {@link org.imagepipeline.image.ImageDecodeException.Reason}), UNREADABLE or
     * DUPLICATE; reason: a full sentence naming the file and the cause (for a duplicate it starts
     * with "duplicate of " and the catalogued path).
     */
    public static final StructType REJECTS_SCHEMA = new StructType()
            .add(PATH, DataTypes.StringType, false)
            .add(CATEGORY, DataTypes.StringType, false)
            .add(REASON, DataTypes.StringType, false);

    private Catalog() {}

    public static String imagesPath(String catalogDir) {
        return new Path(catalogDir, "images").toString();
    }

    public static String rejectsPath(String catalogDir) {
        return new Path(catalogDir, "rejects").toString();
    }

    /**
     * The catalog rows ({@link #IMAGES_SCHEMA}).
     *
     * @throws CatalogException when no complete catalog is there (never written, or the write that
     *                          made it did not finish, which leaves no {@code _SUCCESS} marker)
     */
    public static Dataset<Row> load(SparkSession spark, String catalogDir) {
        Path images = new Path(imagesPath(catalogDir));
        try {
            FileSystem fs = images.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(images)) {
                throw new CatalogException("There is no image catalog at " + fs.makeQualified(images)
                        + ": run the ingest job first, or point pipeline.ingest.catalog at an existing catalog.");
            }
            if (!fs.exists(new Path(images, "_SUCCESS"))) {
                throw new CatalogException("The image catalog at " + fs.makeQualified(images)
                        + " is incomplete (it has no _SUCCESS marker, so the ingest that wrote it did not finish): "
                        + "run the ingest job again.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check the image catalog at " + images, e);
        }
        return spark.read().schema(IMAGES_SCHEMA).parquet(images.toString());
    }

    /**
     * The decoded images of one split, keyed by content hash and sorted by it, so every run sees
     * them in the same order. Files are opened through Hadoop FileSystem and decoded on the
     * executors; nothing but paths passes through the driver.
     *
     * @param split     "train", "val", "test", or null for all images
     * @param channels  1 or 3: images are converted with {@link Image#withChannels}
     * @param maxPixels the same limit ingest used; it only matters if a file changed since
     * @throws CatalogException on an executor, failing the job, when a source file no longer has
     *                          the bytes that were catalogued; rerun ingest then
     */
    public static JavaPairRDD<String, Image> images(SparkSession spark, String catalogDir, String split,
                                                    int channels, long maxPixels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Images can be read with 1 or 3 channels, not " + channels);
        }
        if (split != null && !split.equals(Splits.TRAIN) && !split.equals(Splits.VAL) && !split.equals(Splits.TEST)) {
            throw new IllegalArgumentException("A split is \"train\", \"val\", \"test\" or null for all, not \"" + split + "\"");
        }
        Dataset<Row> rows = load(spark, catalogDir);
        if (split != null) rows = rows.filter(col(SPLIT).equalTo(split));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableHadoopConf> conf =
                jsc.broadcast(new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration()));
        // Sorting the small (hash, path) rows first and mapping afterwards keeps the order without
        // shuffling decoded pixels.
        return rows.select(HASH, PATH, SIZE_BYTES).orderBy(HASH).javaRDD()
                .mapToPair(new LoadImage(conf, channels, maxPixels));
    }

    /** Executor side of {@link #images}: opens, verifies and decodes one catalogued file. */
    private static final class LoadImage implements PairFunction<Row, String, Image> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SerializableHadoopConf> conf;
        private final int channels;
        private final long maxPixels;

        LoadImage(Broadcast<SerializableHadoopConf> conf, int channels, long maxPixels) {
            this.conf = conf;
            this.channels = channels;
            this.maxPixels = maxPixels;
        }

        @Override
        public Tuple2<String, Image> call(Row row) throws IOException {
            String hash = row.getString(0);
            String path = row.getString(1);
            Path file = new Path(path);
            byte[] bytes = readFile(file.getFileSystem(conf.value().get()), file, row.getLong(2));
            if (!ContentHash.sha256Hex(bytes).equals(hash)) {
                // Its split was derived from the old bytes, so using the new ones could leak test
                // images into training.
                throw new CatalogException("The file " + path + " changed since it was catalogued (its SHA-256 is no "
                        + "longer " + hash + "): run the ingest job again.");
            }
            DecodedImage decoded = ImageCodec.decode(bytes, path, maxPixels);
            return new Tuple2<>(hash, decoded.image().withChannels(channels));
        }
    }

    /**
     * The whole file. {@code listedLength} is its size when it was listed, used to size the buffer
     * (a second status call per file would cost a round trip on S3); a file that shrank or grew
     * since is still read to its end, so its hash shows the change. Files over 2 GiB cannot be one
     * array and are refused.
     */
    static byte[] readFile(FileSystem fs, Path path, long listedLength) throws IOException {
        if (listedLength > MAX_FILE_BYTES) {
            throw tooLong(listedLength + " bytes");
        }
        try (FSDataInputStream in = fs.open(path)) {
            byte[] bytes = new byte[(int) listedLength];
            int n = in.readNBytes(bytes, 0, bytes.length);
            if (n < bytes.length) return Arrays.copyOf(bytes, n);
            int next = in.read();
            if (next < 0) return bytes;
            ByteArrayOutputStream grown = new ByteArrayOutputStream(bytes.length + 8192);
            grown.write(bytes);
            grown.write(next);
            grown.write(in.readNBytes(MAX_FILE_BYTES - bytes.length - 1));
            if (in.read() >= 0) throw tooLong("over " + MAX_FILE_BYTES + " bytes");
            return grown.toByteArray();
        }
    }

    private static IOException tooLong(String size) {
        return new IOException("the file is " + size + ", more than the 2 GiB one image file may have");
    }
}
