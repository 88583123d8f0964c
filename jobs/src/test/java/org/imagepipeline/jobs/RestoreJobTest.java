package org.imagepipeline.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.data.ContentHash;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.image.ImageEncoder;
import org.imagepipeline.image.ImageMetadata;
import org.imagepipeline.image.RasterImage;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.model.Specs;
import org.imagepipeline.restore.ManifestRow;
import org.imagepipeline.spark.Sessions;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore job as a user runs it through the dispatcher on local[2], on a real tree of good
 * and bad files, with a checkpoint written the way train-restoration writes them.
 */
class RestoreJobTest {
    private static final byte[] XMP = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>".getBytes(StandardCharsets.UTF_8);

    @TempDir Path tmp;

    private Path run(String name, long seed) throws IOException {
        return checkpointRun(tmp, name, seed);
    }

    /** A run directory {@code <root>/runs/<name>} with one committed checkpoint of a small random DnCNN and its config.conf. */
    static Path checkpointRun(Path root, String name, long seed) throws IOException {
        ModelSpec spec = Specs.builder(ModelType.DNCNN, 3).dncnnDepth(3).dncnnFeatures(4).batchNorm(false).seed(seed).build();
        ComputationGraph graph = RestorationModels.build(spec);
        Path run = root.resolve("runs/" + name);
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.conf"), "pipeline.run.seed = " + seed
                + "\npipeline.model { channels = 3, dncnn { depth = 3, features = 4, batch-norm = false } }\n");
        new CheckpointStore(new org.apache.hadoop.fs.Path(run.resolve("checkpoints").toUri()), new Configuration())
                .write(graph, new TrainingState(1, 10, seed, 20.0, 1, 0, "test", 1.0));
        return run;
    }

    private String[] args(Path input, Path output, Path model, String... extra) {
        List<String> a = new ArrayList<>(List.of("restore",
                "spark.master=local[2]",
                "spark.conf.\"spark.driver.host\"=127.0.0.1",
                "spark.conf.\"spark.ui.enabled\"=false",
                "restore.input=" + input.toUri(), "restore.output=" + output.toUri(), "restore.model=" + model.toUri(),
                "restore.tile-size=16", "restore.tile-overlap=8", "restore.batch-size=8", "restore.max-pixels=1000000"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static byte[] png(BufferedImage img, ImageMetadata meta) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(img, "png", 95, meta, out);
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage img, ImageMetadata meta) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(img, "jpeg", 95, meta, out);
        return out.toByteArray();
    }

    private static byte[] tiff(BufferedImage img, ImageMetadata meta) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageEncoder.write(img, "tiff", 95, meta, out);
        return out.toByteArray();
    }

    /** Rows in the run's manifest.parquet, read from the Parquet footers. */
    private static long parquetRows(Path output) throws IOException {
        long rows = 0;
        try (Stream<Path> files = Files.list(output.resolve("_manifest/manifest.parquet"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                try (var reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                        new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
                    rows += reader.getRecordCount();
                }
            }
        }
        return rows;
    }

    /** An RGB(A)/gray image of rendered shapes, in the layout the codec returns. */
    private static BufferedImage photo(int colours, boolean alpha, int bits, int w, int h, int index) {
        BufferedImage rgb = SyntheticImages.render(5, index, Math.max(8, Math.max(w, h)));
        BufferedImage out = ImageCodec.compatible(colours, alpha, bits, w, h);
        WritableRaster r = out.getRaster();
        int scale = bits == 16 ? 257 : 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                int[] c = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
                for (int b = 0; b < colours; b++) r.setSample(x, y, b, colours == 1 ? (c[0] + c[1] + c[2]) / 3 * scale + (bits == 16 ? x : 0) : c[b] * scale);
                if (alpha) r.setSample(x, y, colours, ((x * 37 + y * 11) % 256) * scale);
            }
        }
        return out;
    }

    private static byte[] exif(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0).putInt(0);
        return tiff.array();
    }

    /** A CMYK JPEG: a 4-band raster through the JPEG writer plus an Adobe APP14 segment (transform 0). */
    private static byte[] cmykJpeg() throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 8, 4, null);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 16; x++) raster.setPixel(x, y, new int[] {255 - 8 * x, 255, 200, 255});
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] plain = out.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] all = new byte[plain.length + adobe.length];
        System.arraycopy(plain, 0, all, 0, 2);
        System.arraycopy(adobe, 0, all, 2, adobe.length);
        System.arraycopy(plain, 2, all, 2 + adobe.length, plain.length - 2);
        return all;
    }

    /** A valid 1x1 PNG whose IHDR then claims {@code side} x {@code side} pixels. */
    private static byte[] bomb(int side) throws IOException {
        byte[] p = png(photo(3, false, 8, 1, 1, 0), null);
        ByteBuffer b = ByteBuffer.wrap(p);
        b.putInt(16, side).putInt(20, side);
        CRC32 crc = new CRC32();
        crc.update(p, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return p;
    }

    /** The run's manifest.jsonl by input, asserting one line per input. */
    static Map<String, ManifestRow> manifest(Path output) throws IOException {
        Map<String, ManifestRow> rows = new TreeMap<>();
        for (String line : Files.readAllLines(output.resolve("_manifest/manifest.jsonl"))) {
            ManifestRow r = ManifestRow.fromJson(line);
            assertEquals(null, rows.put(r.input(), r), "one line per input: " + r.input());
        }
        return rows;
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            Map<String, String> out = new TreeMap<>();
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                out.put(root.relativize(p).toString(), ContentHash.sha256Hex(Files.readAllBytes(p)));
            }
            return out;
        }
    }

    @Test
    void restoresAMixedTreeKeepingWhatTheUserHadAndAccountsForEveryFile() throws Exception {
        Path in = tmp.resolve("archive");
        Path out = tmp.resolve("restored");
        Files.createDirectories(in.resolve("a/b/c/d/e/f/g"));
        BufferedImage rgb = photo(3, false, 8, 40, 30, 1);
        Files.write(in.resolve("a/photo one.png"), png(rgb, null));
        Files.write(in.resolve("a/b/c/d/e/f/g/deep.png"), png(photo(3, false, 8, 20, 20, 2), null));
        BufferedImage portrait = photo(3, false, 8, 36, 20, 3);
        Files.write(in.resolve("Ünïcødé 写真.jpg"), jpeg(portrait, new ImageMetadata(null, exif(6), XMP)));
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        Files.write(in.resolve("profiled.png"), png(photo(3, false, 8, 18, 18, 9), new ImageMetadata(icc, exif(1), XMP)));
        Files.write(in.resolve("scan.tif"), tiff(photo(3, false, 16, 20, 14, 11), new ImageMetadata(icc, exif(6), XMP)));
        BufferedImage linear = photo(3, false, 8, 16, 16, 12);
        Files.write(in.resolve("linear.jpg"), jpeg(linear, new ImageMetadata(icc, null, null)));
        BufferedImage gray16 = photo(1, false, 16, 24, 17, 4);
        Files.write(in.resolve("gray16.png"), png(gray16, null));
        BufferedImage rgba = photo(3, true, 8, 21, 19, 5);
        Files.write(in.resolve("rgba.png"), png(rgba, null));
        Files.write(in.resolve("one.png"), png(photo(3, false, 8, 1, 1, 6), null));
        Files.write(in.resolve("three by two.png"), png(photo(3, false, 8, 3, 2, 7), null));
        Files.write(in.resolve("cmyk.jpg"), cmykJpeg());
        Files.write(in.resolve("old.gif"), encodeWith(photo(3, false, 8, 12, 12, 8), "gif"));
        Files.write(in.resolve("empty.png"), new byte[0]);
        byte[] whole = png(photo(3, false, 8, 30, 30, 10), null);
        Files.write(in.resolve("truncated.png"), Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(in.resolve("text.jpg"), "this is not an image at all");
        Files.write(in.resolve("image.wbmp"), encodeWith(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY), "wbmp"));
        Files.write(in.resolve("bomb.png"), bomb(50_000));
        Files.writeString(in.resolve("notes.txt"), "excluded by a glob");
        Files.write(in.resolve(".hidden.png"), png(rgb, null));
        Files.createSymbolicLink(in.resolve("link.png"), in.resolve("a/photo one.png"));
        Files.createSymbolicLink(in.resolve("a/loop"), in);
        Map<String, String> before = hashes(in);

        assertEquals(0, Main.run(args(in, out, run("r1", 1), "restore.exclude-globs=*.txt", "run.id=first")));

        Map<String, ManifestRow> rows = manifest(out);
        Map<String, String> status = rows.values().stream().collect(Collectors.toMap(ManifestRow::input, ManifestRow::status));
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("a/photo one.png", "restored"), Map.entry("a/b/c/d/e/f/g/deep.png", "restored"),
                Map.entry("Ünïcødé 写真.jpg", "restored"), Map.entry("profiled.png", "restored"),
                Map.entry("scan.tif", "restored"), Map.entry("linear.jpg", "restored"),
                Map.entry("gray16.png", "restored"), Map.entry("rgba.png", "restored"), Map.entry("one.png", "restored"),
                Map.entry("three by two.png", "restored"), Map.entry("cmyk.jpg", "restored"), Map.entry("old.gif", "restored"),
                Map.entry("empty.png", "failed"), Map.entry("truncated.png", "failed"), Map.entry("text.jpg", "failed"),
                Map.entry("image.wbmp", "failed"), Map.entry("bomb.png", "failed"),
                Map.entry("link.png", "skipped"), Map.entry("a/loop", "skipped"))), new TreeMap<>(status));
        assertTrue(rows.get("empty.png").reason().contains("empty file"), rows.get("empty.png").reason());
        assertTrue(rows.get("truncated.png").reason().contains("truncated"), rows.get("truncated.png").reason());
        assertTrue(rows.get("text.jpg").reason().contains("not an image"), rows.get("text.jpg").reason());
        assertTrue(rows.get("image.wbmp").reason().contains("unsupported format"), rows.get("image.wbmp").reason());
        assertTrue(rows.get("bomb.png").reason().contains("over the limit pipeline.restore.max-pixels"), rows.get("bomb.png").reason());
        assertTrue(rows.get("link.png").reason().contains("symbolic link"));
        ManifestRow first = rows.get("a/photo one.png");
        assertEquals(ContentHash.sha256Hex(Files.readAllBytes(in.resolve("a/photo one.png"))), first.inputSha256());
        assertEquals(Files.size(in.resolve("a/photo one.png")), first.inputBytes());
        assertEquals(40, first.width());
        assertEquals(30, first.height());
        assertTrue(first.modelVersion().matches("[0-9a-f]{16}"), first.modelVersion());
        assertTrue(first.modelId().contains("runs/r1"));
        assertEquals("first", first.runId());
        assertTrue(Files.isDirectory(out.resolve("_manifest/manifest.parquet")));

        // Inputs untouched; outputs mirror the tree; nothing half-written left behind.
        assertEquals(before, hashes(in));
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
        RasterImage restored = decode(out.resolve("a/photo one.png"));
        assertEquals(40, restored.width());
        assertEquals(3, restored.colours());
        assertNotEquals(ContentHash.sha256Hex(png(rgb, null)), ContentHash.sha256Hex(Files.readAllBytes(out.resolve("a/photo one.png"))),
                "the model changed the pixels");
        assertTrue(Files.exists(out.resolve("a/b/c/d/e/f/g/deep.png")));
        assertEquals("png", rows.get("old.gif").outputFormat());
        assertTrue(Files.exists(out.resolve("old.png")));

        // Orientation applied, written upright with orientation 1; EXIF and XMP carried.
        RasterImage upright = decode(out.resolve("Ünïcødé 写真.jpg"));
        assertEquals(1, upright.orientation());
        assertEquals(20, upright.width());
        assertEquals(36, upright.height());
        assertEquals(1, ImageMetadata.exifOrientation(upright.metadata().exif()));
        assertArrayEquals(XMP, upright.metadata().xmp());
        assertArrayEquals(icc, decode(out.resolve("profiled.png")).metadata().icc(), "PNG keeps its ICC profile");
        // TIFF keeps its 16 bits, ICC profile and XMP, and is written upright with orientation 1.
        RasterImage scan = decode(out.resolve("scan.tif"));
        assertEquals(16, scan.bitDepth());
        assertEquals(1, scan.orientation());
        assertEquals(14, scan.width());
        assertEquals(20, scan.height());
        assertArrayEquals(icc, scan.metadata().icc(), "TIFF keeps its ICC profile");
        assertArrayEquals(XMP, scan.metadata().xmp());
        assertEquals(1, ImageMetadata.exifOrientation(scan.metadata().exif()));
        // A JPEG in a non-sRGB space is restored in that space and keeps its profile.
        RasterImage lin = decode(out.resolve("linear.jpg"));
        assertArrayEquals(icc, lin.metadata().icc(), "JPEG keeps the profile its samples are in");
        assertFalse(lin.stored().getColorModel().getColorSpace().isCS_sRGB());
        // Bit depth, gray, alpha.
        RasterImage g = decode(out.resolve("gray16.png"));
        assertEquals(16, g.bitDepth());
        assertEquals(1, g.colours());
        RasterImage a = decode(out.resolve("rgba.png"));
        assertTrue(a.hasAlpha());
        int[] wantAlpha = rgba.getRaster().getSamples(0, 0, 21, 19, 3, (int[]) null);
        assertArrayEquals(wantAlpha, a.stored().getRaster().getSamples(0, 0, 21, 19, 3, (int[]) null), "alpha passes through unchanged");
        assertEquals(1, decode(out.resolve("one.png")).width());
        assertEquals(3, decode(out.resolve("three by two.png")).width());
        assertEquals(3, decode(out.resolve("cmyk.jpg")).colours());
    }

    private static RasterImage decode(Path p) throws IOException {
        return ImageCodec.decodeRaster(Files.readAllBytes(p), p.toString(), 1_000_000, "test");
    }

    private static byte[] encodeWith(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    @Test
    void aKilledDriverLeavesNoPartialOutputAndTheRerunAccountsForEveryInputOnce() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Files.createDirectories(in);
        int n = 40;
        for (int i = 0; i < n; i++) Files.write(in.resolve("img" + i + ".png"), png(photo(3, false, 8, 128, 128, i), null));
        Path model = run("m", 3);

        // The whole job in a child JVM, killed (SIGKILL) as soon as its first task has recorded what it did.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(Sessions.jvmOptions().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args(in, out, model, "restore.files-per-partition=1", "run.id=killed")));
        Path log = tmp.resolve("killed.log");
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path parts = out.resolve("_manifest/runs/killed");
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!(Files.isDirectory(parts) && listNames(parts).stream().anyMatch(f -> f.startsWith("part-")))) {
            assertTrue(driver.isAlive(), "the job ended before it could be killed:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no task finished within 180 s:\n" + Files.readString(log));
            Thread.sleep(20);
        }
        driver.destroyForcibly().waitFor();
        assertFalse(Files.exists(out.resolve("_manifest/manifest.jsonl")), "the killed run merged no manifest");
        int recorded = (int) listNames(parts).stream().filter(f -> f.startsWith("part-")).count();
        assertTrue(recorded < n, "the kill came mid-way: " + recorded + " of " + n + " tasks had finished");

        // Whatever is at a final output name is a whole image, never a torn one.
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(out.resolve("_manifest")))
                    .filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                BufferedImage img = ImageIO.read(f.toFile());
                assertTrue(img != null && img.getWidth() == 128 && img.getHeight() == 128, "a complete output: " + f);
            }
        }

        // The rerun completes the archive: every input once in the manifest, each restored exactly once over both runs.
        assertEquals(0, Main.run(args(in, out, model, "run.id=after")));
        Map<String, ManifestRow> rows = manifest(out);
        assertEquals(n, rows.size());
        Map<String, Integer> restoredCount = restoredCounts(out);
        assertEquals(n, restoredCount.size());
        assertTrue(restoredCount.values().stream().allMatch(c -> c == 1), restoredCount.toString());
        for (ManifestRow r : rows.values()) assertTrue(Files.size(out.resolve(r.output())) > 0, r.toString());
    }

    /** How often each input was restored, over every task's manifest part of every run. */
    static Map<String, Integer> restoredCounts(Path out) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> all = Files.walk(out.resolve("_manifest/runs"))) {
            for (Path part : all.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    ManifestRow r = ManifestRow.fromJson(line);
                    if (r.status().equals("restored")) counts.merge(r.input(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aStoppedRunIsCompletedByTheNextExactlyOnceAndRerunsSkipWhatIsDone() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Files.createDirectories(in.resolve("sub"));
        for (int i = 0; i < 8; i++) Files.write(in.resolve((i % 2 == 0 ? "sub/" : "") + "img" + i + ".png"), png(photo(3, false, 8, 20, 16, i), null));
        Files.writeString(in.resolve("bad.png"), "not a png");
        Path model = run("m", 2);

        // Refusals come before any output: the output root inside the input, or the input inside the output.
        assertEquals(1, Main.run(args(in, in.resolve("restored"), model)));
        assertEquals(1, Main.run(args(in.resolve("sub"), in, model)));
        assertFalse(Files.exists(in.resolve("restored")));

        // The first run stops (like a crash) after 3 outputs; tasks of one file each record what they finished.
        assertEquals(1, Main.run(args(in, out, model, "restore.files-per-partition=1", "testing.restore.stop-after-outputs=3", "run.id=a")));
        assertFalse(Files.exists(out.resolve("_manifest/manifest.jsonl")), "no manifest is merged for a run that did not finish");

        assertEquals(0, Main.run(args(in, out, model, "restore.files-per-partition=2", "run.id=b")));
        Map<String, ManifestRow> second = manifest(out);
        assertEquals(9, second.size());
        assertEquals("failed", second.get("bad.png").status());
        for (ManifestRow r : second.values()) {
            if (!r.input().equals("bad.png")) {
                assertTrue(Files.exists(out.resolve(r.output())), r.output());
                assertTrue(r.status().equals("restored") || r.status().equals("skipped"), r.toString());
            }
        }
        // Every good input was restored exactly once over both runs (counting every task's part).
        Map<String, Integer> restoredCount = restoredCounts(out);
        assertEquals(8, restoredCount.size());
        assertTrue(restoredCount.values().stream().allMatch(n -> n == 1), restoredCount.toString());
        long skippedInSecond = second.values().stream().filter(r -> r.status().equals("skipped")).count();
        assertTrue(skippedInSecond >= 1, "tasks the first run finished are not redone");

        // A third run with the same model skips every good file whose bytes are unchanged, restores
        // the changed one and tries the bad one again; an output folder that is a symbolic link is
        // never written through.
        Files.write(in.resolve("sub/img0.png"), png(photo(3, false, 8, 20, 16, 42), null));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(in.resolve("evil"));
        Files.write(in.resolve("evil/x.png"), png(photo(3, false, 8, 10, 10, 1), null));
        Files.createSymbolicLink(out.resolve("evil"), elsewhere);
        assertEquals(0, Main.run(args(in, out, model, "run.id=c")));
        Map<String, ManifestRow> third = manifest(out);
        assertEquals(10, third.size());
        assertEquals(10, parquetRows(out));
        assertEquals("failed", third.get("bad.png").status());
        assertEquals("c", third.get("bad.png").runId(), "failed inputs are retried");
        assertEquals("restored", third.get("sub/img0.png").status());
        assertEquals(7, third.values().stream().filter(r -> r.status().equals("skipped")).count());
        try (Stream<Path> s = Files.list(elsewhere)) {
            assertEquals(List.of(), s.toList());
        }
        assertEquals("failed", third.get("evil/x.png").status());
        assertTrue(third.get("evil/x.png").reason().contains("symbolic link"), third.get("evil/x.png").reason());

        // Reusing run id c replaces its parts; everything good is now skipped, still one line each.
        Files.delete(out.resolve("evil"));
        Files.delete(in.resolve("evil/x.png"));
        assertEquals(0, Main.run(args(in, out, model, "run.id=c")));
        Map<String, ManifestRow> fourth = manifest(out);
        assertEquals(9, fourth.size());
        assertEquals(9, parquetRows(out), "the rerun replaced manifest.parquet");
        try (Stream<Path> s = Files.list(out.resolve("_manifest"))) {
            assertEquals(List.of("manifest.jsonl", "manifest.parquet", "runs"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary or set-aside manifest is left");
        }
        assertEquals(8, fourth.values().stream().filter(r -> r.status().equals("skipped")).count());
    }
}
