package org.imagepipeline.restore;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.RestoreSettings;
import org.imagepipeline.data.ContentHash;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.image.ImageDecodeException;
import org.imagepipeline.image.ImageEncoder;
import org.imagepipeline.image.RasterImage;
import org.imagepipeline.store.HadoopIO;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Restores the files of one task: reads, hashes, skips what an earlier run already restored with
 * the same model, decodes into the compact stored form, restores through {@link TiledRestorer}
 * (tiles of several files share forward passes), and writes each output atomically. Every input
 * yields exactly one {@link ManifestRow}; a bad file becomes a failed row, never an exception.
 * No Spark here: the Spark layer ({@link BulkRestore}) maps this over partitions.
 *
 * <p>Memory per image in flight: the stored image (1 or 2 bytes per sample), the output image of
 * the same size, and one row of tiles as float; never the whole image as float.
 */
public final class PartitionRestorer {
    /** Outputs written in this JVM per run, for the stop-after-outputs testing hook. */
    private static final Map<String, AtomicInteger> WRITTEN = new ConcurrentHashMap<>();

    /** One input with its planned output; {@code failure} set when the plan already failed it (a name collision). */
    public record Planned(InputListing.Entry entry, String outRel, String outFormat, String failure) implements Serializable {}

    private final Configuration conf;
    private final RestoreSettings settings;
    private final TileModel model;
    private final int margin;
    private final String modelId;
    private final String modelVersion;
    private final Path outputRoot;
    private final String runId;
    private final Map<String, ManifestRow> done;
    private GlobPattern haltOn;

    /**
     * @param done earlier restored rows with this model version, by input relative path
     */
    public PartitionRestorer(Configuration conf, RestoreSettings settings, TileModel model, int margin, String modelId,
                             String modelVersion, Path outputRoot, String runId, Map<String, ManifestRow> done) {
        this.conf = conf;
        this.settings = settings;
        this.model = model;
        this.margin = margin;
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.outputRoot = outputRoot;
        this.runId = runId;
        this.done = done;
    }

    /** Restores every planned input; one row each, in no particular order. */
    public List<ManifestRow> run(Iterator<Planned> inputs) {
        return run(inputs, null);
    }

    /**
     * Restores every planned input; one row each, in no particular order. With {@code markers} (a
     * retried task: an earlier attempt lost its executor), files go one at a time, each between a
     * marker and its removal, so a marker that stays names the one file in flight when the executor
     * died; a file that took down {@code max-executor-losses-per-file} earlier attempts fails
     * without being restored again. Without markers (every first attempt), tiles of several files
     * share forward passes and nothing extra is written.
     */
    public List<ManifestRow> run(Iterator<Planned> inputs, ExecutorLossMarkers markers) {
        List<ManifestRow> rows = new ArrayList<>();
        TiledRestorer restorer = new TiledRestorer(model, settings.tileSize(), settings.tileOverlap(), margin, settings.batchSize());
        if (markers != null) {
            while (inputs.hasNext()) {
                Planned p = inputs.next();
                String rel = p.entry().rel();
                boolean restorable = p.entry().problem() == null && p.failure() == null;
                int losses = restorable ? markers.earlierLosses(rel) : 0;
                if (losses >= settings.maxExecutorLossesPerFile()) {
                    rows.add(row(p, ManifestRow.FAILED, "the executor died while restoring this file (" + losses
                            + (losses == 1 ? " attempt" : " attempts") + " of task " + markers.task() + "): a native crash or an "
                            + "out-of-memory in a JVM that could not recover; restore it alone (pipeline.restore.include-globs) "
                            + "with more executor memory", p.entry().size(), null, null, null, System.nanoTime(), 0, 0, 0));
                    continue;
                }
                if (restorable) markers.started(rel);
                try {
                    FileWork w = open(p, rows);
                    if (w != null) restorer.restoreAll(List.of(w).iterator(), done -> rows.add(finish(done)));
                } catch (RuntimeException ended) {
                    // The attempt ends with an exception, not a lost JVM: the marker must not blame the file.
                    // (An Error such as an out-of-memory leaves it: Spark's executor exits on those.)
                    if (restorable) markers.finished(rel);
                    throw ended;
                }
                if (restorable) markers.finished(rel);
            }
            return rows;
        }
        Iterator<FileWork> works = new Iterator<>() {
            FileWork next;

            @Override
            public boolean hasNext() {
                while (next == null && inputs.hasNext()) next = open(inputs.next(), rows);
                return next != null;
            }

            @Override
            public FileWork next() {
                if (!hasNext()) throw new NoSuchElementException();
                FileWork w = next;
                next = null;
                return w;
            }
        };
        restorer.restoreAll(works, w -> rows.add(finish(w)));
        return rows;
    }

    /** Reads and decodes one input; null (with its row added) when it is skipped or failed. */
    private FileWork open(Planned p, List<ManifestRow> rows) {
        long t0 = System.nanoTime();
        InputListing.Entry e = p.entry();
        if (e.problem() != null) {
            rows.add(row(p, ManifestRow.SKIPPED, e.problem(), e.size(), null, null, null, t0, 0, 0, 0));
            return null;
        }
        if (p.failure() != null) {
            rows.add(row(p, ManifestRow.FAILED, p.failure(), e.size(), null, null, null, t0, 0, 0, 0));
            return null;
        }
        byte[] bytes;
        String sha;
        try {
            bytes = HadoopIO.read(new Path(URI.create(e.uri())), conf);
            sha = ContentHash.sha256Hex(bytes);
        } catch (RuntimeException ex) {
            rows.add(row(p, ManifestRow.FAILED, "cannot read the input: " + ex.getMessage(), e.size(), null, null, null, t0, 0, 0, 0));
            return null;
        }
        ManifestRow earlier = done.get(e.rel());
        if (earlier != null && sha.equals(earlier.inputSha256()) && earlier.output() != null
                && HadoopIO.exists(OutputPlan.under(outputRoot, earlier.output()), conf)) {
            rows.add(earlier.asSkipped(runId, e.uri(), ms(t0), Instant.now().toString()));
            return null;
        }
        haltIfChosen(e.rel());
        try {
            RasterImage raster = ImageCodec.decodeRaster(bytes, e.rel(), settings.maxPixels(), "pipeline.restore.max-pixels");
            return new FileWork(p, raster, bytes.length, sha, t0, System.nanoTime());
        } catch (ImageDecodeException ex) {
            rows.add(row(p, ManifestRow.FAILED, ex.getMessage(), (long) bytes.length, sha, null, null, t0, ms(t0), 0, 0));
        } catch (RuntimeException | OutOfMemoryError ex) {
            rows.add(row(p, ManifestRow.FAILED, "cannot decode " + e.rel() + ": " + ex, (long) bytes.length, sha, null, null, t0, ms(t0), 0, 0));
        }
        return null;
    }

    /** Copies alpha, encodes and writes one restored image; its row. */
    private ManifestRow finish(FileWork w) {
        long restored = System.nanoTime();
        try {
            copyAlpha(w);
            BufferedImage out = w.out;
            List<String> notes = new ArrayList<>();
            if (w.plan.outFormat().equals("jpeg")) {
                if (out.getColorModel().hasAlpha()) notes.add("alpha dropped: JPEG has none");
                if (out.getColorModel().getComponentSize(0) > 8) notes.add("16-bit samples rounded to 8: JPEG holds 8");
                out = ImageEncoder.forJpeg(out);
            }
            Path target = OutputPlan.under(outputRoot, w.plan.outRel());
            refuseLinks(target);
            BufferedImage image = out;
            HadoopIO.writeAtomically(target, conf, stream -> ImageEncoder.write(image, w.plan.outFormat(), settings.jpegQuality(),
                    w.raster.metadata().withUprightOrientation(), stream));
            int count = WRITTEN.computeIfAbsent(runId, k -> new AtomicInteger()).incrementAndGet();
            if (settings.stopAfterOutputs() > 0 && count >= settings.stopAfterOutputs()) {
                throw new TestingStop("pipeline.testing.restore.stop-after-outputs = " + settings.stopAfterOutputs()
                        + ": stopping the job on purpose after " + count + " outputs (a testing hook)");
            }
            long end = System.nanoTime();
            return new ManifestRow(w.plan.entry().rel(), w.plan.entry().uri(), ManifestRow.RESTORED,
                    notes.isEmpty() ? null : String.join("; ", notes), w.bytes, w.sha, w.plan.outRel(), target.toUri().toString(),
                    w.plan.outFormat(), w.raster.width(), w.raster.height(), out.getColorModel().getNumComponents(),
                    out.getColorModel().getComponentSize(0) > 8 ? 16 : 8, modelId, modelVersion, runId,
                    (w.decoded - w.t0) / 1_000_000, (restored - w.decoded) / 1_000_000, (end - restored) / 1_000_000,
                    (end - w.t0) / 1_000_000, Instant.now().toString());
        } catch (TestingStop stop) {
            throw stop;
        } catch (RuntimeException | IOException ex) {
            return row(w.plan, ManifestRow.FAILED, "cannot write the output: " + ex.getMessage(), w.bytes, w.sha,
                    w.raster.width(), w.raster.height(), w.t0, (w.decoded - w.t0) / 1_000_000, (restored - w.decoded) / 1_000_000,
                    (System.nanoTime() - restored) / 1_000_000);
        }
    }

    /**
     * The halt-on testing hook: ends this JVM at once, as a native crash would, just before
     * {@code rel} is decoded. The Spark layer refuses the hook unless this runs in an executor JVM
     * of a cluster (never in a driver or a test JVM).
     */
    private void haltIfChosen(String rel) {
        if (settings.haltOn().isEmpty()) return;
        if (haltOn == null) haltOn = new GlobPattern(settings.haltOn().toLowerCase(Locale.ROOT));
        if (haltOn.matches(rel.toLowerCase(Locale.ROOT))) Runtime.getRuntime().halt(137);
    }

    /** Thrown by the testing hook; ends the task (and the job) like a crash would. */
    public static final class TestingStop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TestingStop(String message) {
            super(message);
        }
    }

    /**
     * Refuses to write through a symbolic link below the output root (a folder or the file itself):
     * a link could send the output anywhere. Only local file systems have links to check here.
     */
    private void refuseLinks(Path target) throws IOException {
        FileSystem fs = HadoopIO.fs(target, conf);
        if (!"file".equals(fs.getUri().getScheme())) return;
        java.nio.file.Path root = java.nio.file.Path.of(outputRoot.toUri());
        for (java.nio.file.Path p = java.nio.file.Path.of(target.toUri()); p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException(p + " is a symbolic link; outputs are never written through links (they could leave the output root)");
            }
        }
    }

    private void copyAlpha(FileWork w) {
        if (!w.raster.hasAlpha()) return;
        int band = w.raster.colours();
        int height = w.raster.height();
        int width = w.raster.width();
        WritableRaster dst = w.out.getRaster();
        float max = (float) ((1L << w.out.getColorModel().getComponentSize(band)) - 1);
        int step = Math.max(1, (1 << 20) / width);
        int[] samples = new int[step * width];
        for (int y = 0; y < height; y += step) {
            int h = Math.min(step, height - y);
            float[] a = w.raster.readUpright(y, 0, h, width, band, 1).data();
            for (int i = 0; i < h * width; i++) samples[i] = Math.round(a[i] * max);
            dst.setSamples(0, y, width, h, band, samples);
        }
    }

    private ManifestRow row(Planned p, String status, String reason, Long bytes, String sha, Integer width, Integer height,
                            long t0, long decodeMs, long restoreMs, long writeMs) {
        boolean failedBeforeDecode = width == null;
        return new ManifestRow(p.entry().rel(), p.entry().uri(), status, reason, bytes, sha, p.outRel(),
                p.outRel() == null ? null : OutputPlan.under(outputRoot, p.outRel()).toUri().toString(), p.outFormat(),
                width, height, null, null, modelId, modelVersion, runId,
                failedBeforeDecode && decodeMs == 0 ? null : decodeMs, restoreMs == 0 ? null : restoreMs,
                writeMs == 0 ? null : writeMs, ms(t0), Instant.now().toString());
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** One decoded input on its way through the tiles; its output image is filled row band by row band. */
    private static final class FileWork implements TiledRestorer.Work {
        final Planned plan;
        final RasterImage raster;
        final long bytes;
        final String sha;
        final long t0;
        final long decoded;
        final BufferedImage out;

        FileWork(Planned plan, RasterImage raster, long bytes, String sha, long t0, long decoded) {
            this.plan = plan;
            this.raster = raster;
            this.bytes = bytes;
            this.sha = sha;
            this.t0 = t0;
            this.decoded = decoded;
            this.out = ImageCodec.compatible(raster.colours(), raster.hasAlpha(), raster.bitDepth(), raster.width(), raster.height());
        }

        @Override
        public TiledRestorer.Source source() {
            return new TiledRestorer.Source() {
                @Override public int channels() { return raster.colours(); }
                @Override public int height() { return raster.height(); }
                @Override public int width() { return raster.width(); }
                @Override public Image read(int y0, int x0, int h, int w) { return raster.readUpright(y0, x0, h, w, 0, raster.colours()); }
            };
        }

        @Override
        public TiledRestorer.Sink sink() {
            WritableRaster dst = out.getRaster();
            float max = raster.bitDepth() == 16 ? 65535f : 255f;
            return (y0, rows) -> {
                int n = rows.height() * rows.width();
                int[] samples = new int[n];
                float[] d = rows.data();
                for (int c = 0; c < rows.channels(); c++) {
                    for (int i = 0; i < n; i++) {
                        float v = d[c * n + i];
                        v = v > 0f ? (v < 1f ? v : 1f) : 0f; // NaN to 0
                        samples[i] = Math.round(v * max);
                    }
                    dst.setSamples(0, y0, rows.width(), rows.height(), c, samples);
                }
            };
        }
    }
}
