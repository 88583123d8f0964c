package org.imagepipeline.data;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.image.DecodedImage;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest and catalog reading on a real local Spark, over a generated folder tree. */
class IngestTest {
    private static final long MAX_PIXELS = 1_000_000L;
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = TestSpark.get();
    }

    @Test
    void catalogsUniqueImagesAndRejectsEveryOtherFileWithItsReason() throws IOException {
        Path in = tmp.resolve("input");
        Path a = write(in.resolve("a.png"), ImageCodec.encodePng(pattern(3, 10, 12), 8));
        Path b = write(in.resolve("nested/b.jpg"), withExifOrientation(jpeg(pattern(3, 8, 16)), 6));
        Path c = write(in.resolve("nested/deeper/c.png"), ImageCodec.encodePng(pattern(1, 7, 5), 16));
        Path d = write(in.resolve("nested/deeper/gif/d.gif"), transparentGif());
        Path copy = write(in.resolve("copy/a-copy.png"), Files.readAllBytes(a));
        Path empty = write(in.resolve("bad/empty.png"), new byte[0]);
        Path text = write(in.resolve("bad/notes.png"), "just some text\n".getBytes(StandardCharsets.UTF_8));
        byte[] png = ImageCodec.encodePng(pattern(3, 40, 40), 8);
        Path cutPng = write(in.resolve("bad/truncated.png"), Arrays.copyOf(png, png.length / 2));
        byte[] jpg = jpeg(pattern(3, 40, 40));
        Path cutJpg = write(in.resolve("bad/truncated.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
        Path bomb = write(in.resolve("bad/bomb.png"), pngHeaderOnly(5000, 5000));
        Path wbmp = write(in.resolve("bad/old.wbmp"), imageIo(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY), "wbmp"));
        write(in.resolve(".hidden.png"), Files.readAllBytes(c));
        write(in.resolve("_SUCCESS"), new byte[0]);
        write(in.resolve(".git/objects/x.png"), Files.readAllBytes(d));
        Path catalogDir = tmp.resolve("catalog");

        IngestSettings settings = new IngestSettings(in.toString(), catalogDir.toString(), MAX_PIXELS, 0.25, 0.25, 3);
        IngestSummary summary = Ingest.run(spark, settings);

        assertEquals(11, summary.filesSeen());
        assertEquals(4, summary.imagesCatalogued());
        assertEquals(1, summary.duplicates());
        assertEquals(6, summary.rejected());
        assertEquals(4, summary.count(Splits.TRAIN) + summary.count(Splits.VAL) + summary.count(Splits.TEST));
        assertEquals(uri(catalogDir), summary.catalogPath());

        Map<String, Row> rows = new HashMap<>();
        for (Row r : Catalog.load(spark, catalogDir.toString()).collectAsList()) {
            rows.put(r.getAs(Catalog.PATH), r);
        }
        assertEquals(Map.of(), without(rows, a, b, c, d), "only the four unique images are catalogued");
        //                 file width height channels alpha bits format
        expectRow(rows, a, 12, 10, 3, false, 8, "png");
        expectRow(rows, b, 8, 16, 3, false, 8, "jpeg"); // stored 16x8, EXIF orientation 6 makes it upright 8x16
        expectRow(rows, c, 5, 7, 1, false, 16, "png");
        expectRow(rows, d, 6, 5, 3, true, 8, "gif");

        Map<String, Row> rejects = new HashMap<>();
        for (Row r : spark.read().parquet(Catalog.rejectsPath(catalogDir.toString())).collectAsList()) {
            rejects.put(r.getAs(Catalog.PATH), r);
        }
        assertEquals(7, rejects.size(), rejects.keySet().toString());
        expectReject(rejects, copy, "DUPLICATE", "duplicate of " + uri(a) + ": ");
        expectReject(rejects, empty, "EMPTY", "Cannot decode " + uri(empty) + ": empty file (0 bytes).");
        expectReject(rejects, text, "NOT_IMAGE", "Cannot decode " + uri(text) + ": not an image: no decoder recognises");
        expectReject(rejects, cutPng, "CORRUPT", "Cannot decode " + uri(cutPng) + ": truncated or corrupt png: ");
        expectReject(rejects, cutJpg, "CORRUPT", "Cannot decode " + uri(cutJpg) + ": truncated or corrupt jpeg: ");
        expectReject(rejects, bomb, "TOO_LARGE", "Cannot decode " + uri(bomb)
                + ": image is 5000x5000 = 25000000 pixels, over the limit pipeline.ingest.max-pixels = 1000000.");
        expectReject(rejects, wbmp, "UNSUPPORTED", "Cannot decode " + uri(wbmp) + ": unsupported format wbmp");

        // Later stages: decoded pixels keyed and sorted by hash, converted to the channels asked for.
        List<Tuple2<String, Image>> all = Catalog.images(spark, catalogDir.toString(), null, 3, MAX_PIXELS).collect();
        assertEquals(4, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1)._1().compareTo(all.get(i)._1()) < 0, "sorted by hash");
        }
        String hashA = ContentHash.sha256Hex(Files.readAllBytes(a));
        Image imageA = all.stream().filter(t -> t._1().equals(hashA)).findFirst().orElseThrow()._2();
        assertEquals(pattern(3, 10, 12), imageA);
        String hashC = ContentHash.sha256Hex(Files.readAllBytes(c));
        Image grayC = all.stream().filter(t -> t._1().equals(hashC)).findFirst().orElseThrow()._2();
        assertEquals(3, grayC.channels(), "gray sources are replicated to RGB when 3 channels are asked for");

        JavaPairRDD<String, Image> gray = Catalog.images(spark, catalogDir.toString(), rows.get(uri(a)).getAs(Catalog.SPLIT),
                1, MAX_PIXELS);
        List<Tuple2<String, Image>> oneSplit = gray.collect();
        assertTrue(oneSplit.stream().anyMatch(t -> t._1().equals(hashA)));
        assertEquals(summary.count(rows.get(uri(a)).getAs(Catalog.SPLIT)), oneSplit.size());
        oneSplit.forEach(t -> assertEquals(1, t._2().channels()));

        // A source rewritten after ingest no longer matches its hash (and split): reading it fails loudly.
        Files.write(c, ImageCodec.encodePng(pattern(1, 7, 5), 8));
        Exception changed = assertThrows(Exception.class,
                () -> Catalog.images(spark, catalogDir.toString(), null, 1, MAX_PIXELS).count());
        assertTrue(changed.getMessage().contains("The file " + uri(c) + " changed since it was catalogued"),
                changed.getMessage());
    }

    @Test
    void aMissingInputFailsBeforeAnySparkJobAndNamesThePath() {
        Path missing = tmp.resolve("no/such/folder");
        Path catalogDir = tmp.resolve("catalog");
        CatalogException e = assertThrows(CatalogException.class, () -> Ingest.run(spark,
                new IngestSettings(missing.toString(), catalogDir.toString(), MAX_PIXELS, 0.1, 0.1, 0)));
        assertEquals("The ingest input " + uri(missing) + " does not exist: set pipeline.ingest.input to a folder "
                + "or file of images.", e.getMessage());
        assertFalse(Files.exists(catalogDir));
    }

    @Test
    void noUsableImageFailsAfterWritingRejectsAndReplacesTheOldCatalog() throws IOException {
        Path good = tmp.resolve("good");
        write(good.resolve("one.png"), ImageCodec.encodePng(pattern(1, 4, 4), 8));
        Path catalogDir = tmp.resolve("catalog");
        assertEquals(1, Ingest.run(spark, new IngestSettings(good.toString(), catalogDir.toString(), MAX_PIXELS,
                0.1, 0.1, 0)).imagesCatalogued());

        Path bad = tmp.resolve("bad");
        write(bad.resolve("empty.jpg"), new byte[0]);
        write(bad.resolve("sub/readme.gif"), "GIF? no.".getBytes(StandardCharsets.UTF_8));
        CatalogException e = assertThrows(CatalogException.class, () -> Ingest.run(spark,
                new IngestSettings(bad.toString(), catalogDir.toString(), MAX_PIXELS, 0.1, 0.1, 0)));
        String rejectsPath = Catalog.rejectsPath(uri(catalogDir));
        assertEquals("No usable image found under " + uri(bad) + ": 2 files, all rejected; see " + rejectsPath
                + " for the reason of each.", e.getMessage());
        List<Row> rejects = spark.read().parquet(rejectsPath).collectAsList();
        assertEquals(2, rejects.size());
        assertEquals("EMPTY", rejects.get(0).getAs(Catalog.CATEGORY));
        assertEquals("NOT_IMAGE", rejects.get(1).getAs(Catalog.CATEGORY));
        assertEquals(0, Catalog.load(spark, catalogDir.toString()).count(), "the earlier catalog was replaced");
    }

    @Test
    void loadingAMissingCatalogSaysWhatToDo() {
        CatalogException e = assertThrows(CatalogException.class, () -> Catalog.load(spark, tmp.resolve("none").toString()));
        assertTrue(e.getMessage().startsWith("There is no image catalog at " + uri(tmp.resolve("none")) + "/images: "
                + "run the ingest job first"), e.getMessage());
    }

    // ---------- assertions ----------

    private static void expectRow(Map<String, Row> rows, Path file, int width, int height, int channels,
                                  boolean alpha, int bits, String format) throws IOException {
        Row r = rows.get(uri(file));
        byte[] bytes = Files.readAllBytes(file);
        String hash = ContentHash.sha256Hex(bytes);
        assertEquals(hash, r.getAs(Catalog.HASH));
        assertEquals(width, (int) r.getAs(Catalog.WIDTH), file.toString());
        assertEquals(height, (int) r.getAs(Catalog.HEIGHT), file.toString());
        assertEquals(channels, (int) r.getAs(Catalog.CHANNELS), file.toString());
        assertEquals(alpha, r.getAs(Catalog.HAS_ALPHA), file.toString());
        assertEquals(bits, (int) r.getAs(Catalog.BIT_DEPTH), file.toString());
        assertEquals(format, r.getAs(Catalog.FORMAT));
        assertEquals(bytes.length, (long) r.getAs(Catalog.SIZE_BYTES));
        assertEquals(Splits.assign(hash, 0.25, 0.25), r.getAs(Catalog.SPLIT));
    }

    private static void expectReject(Map<String, Row> rejects, Path file, String category, String reasonStart) {
        Row r = rejects.get(uri(file));
        assertTrue(r != null, "no reject row for " + file + " in " + rejects.keySet());
        assertEquals(category, r.getAs(Catalog.CATEGORY));
        String reason = r.getAs(Catalog.REASON);
        assertTrue(reason.startsWith(reasonStart), reason);
    }

    private static Map<String, Row> without(Map<String, Row> rows, Path... files) {
        Map<String, Row> rest = new HashMap<>(rows);
        for (Path f : files) rest.remove(uri(f));
        return rest;
    }

    /** How Hadoop's local file system names a file: "file:" and the absolute path. */
    private static String uri(Path file) {
        return "file:" + file.toAbsolutePath();
    }

    // ---------- test files ----------

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** Distinct 8-bit levels, so different shapes give different bytes. */
    private static Image pattern(int channels, int h, int w) {
        float[] data = new float[channels * h * w];
        for (int i = 0; i < data.length; i++) data[i] = (i * 37 % 256) / 255f;
        return new Image(channels, h, w, data);
    }

    private static byte[] imageIo(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    private static byte[] jpeg(Image image) throws IOException {
        return imageIo(ImageCodec.toBufferedImage(image, 8), "jpeg");
    }

    private static byte[] transparentGif() throws IOException {
        byte[] r = {(byte) 255, 0, 0, 0};
        byte[] g = {0, (byte) 255, 0, 0};
        byte[] b = {0, 0, (byte) 255, 0};
        BufferedImage gif = new BufferedImage(6, 5, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b, 3));
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) gif.getRaster().setSample(x, y, 0, (x + y) % 4);
        }
        return imageIo(gif, "gif");
    }

    /** Adds an EXIF APP1 segment (big-endian IFD0 with only the orientation tag) right after SOI. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer app1 = ByteBuffer.allocate(2 + 2 + 6 + 26);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + 26));
        app1.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        app1.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1);
        app1.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        app1.putInt(0);
        byte[] out = new byte[jpeg.length + app1.capacity()];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1.array(), 0, out, 2, app1.capacity());
        System.arraycopy(jpeg, 2, out, 2 + app1.capacity(), jpeg.length - 2);
        return out;
    }

    /** A PNG signature and a valid IHDR declaring width x height, and no pixel data. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
