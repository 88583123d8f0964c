package org.imagepipeline.restore;

import org.imagepipeline.image.Image;
import org.imagepipeline.model.ModelSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Restores images tile by tile with overlapping, feathered tiles (see {@link Tiling}), so memory is
 * bounded by the tile and one row of tiles, never by the image, and no seam shows.
 *
 * <p>Pixels come from a {@link Source} one tile at a time and leave through a {@link Sink} one band
 * of finished rows at a time: for an image W wide the restorer holds channels × tile × W floats
 * of blending sums plus the tiles in flight. Tiles from several images share a forward pass: while
 * one image waits for the rest of a tile row, the next image's tiles fill the batch.
 */
public final class TiledRestorer {

    /** Upright pixels to restore, read one rectangle at a time. */
    public interface Source {
        /** 1 (gray) or 3 (RGB). */
        int channels();

        int height();

        int width();

        /** The rectangle [y0, y0+h) × [x0, x0+w), inside the image, samples in [0,1]. */
        Image read(int y0, int x0, int h, int w);
    }

    /** Where finished rows go, top to bottom, each row exactly once. */
    public interface Sink {
        /** {@code rows} holds full-width rows starting at row {@code y0}, channels as the source. */
        void write(int y0, Image rows);
    }

    /** One image to restore: where its pixels come from and go to. */
    public interface Work {
        Source source();

        Sink sink();
    }

    private final TileModel model;
    private final int tileSize;
    private final int overlap;
    private final int margin;
    private final int batchSize;

    /**
     * @param tileSize  tile side in pixels
     * @param overlap   overlap of neighbouring tiles, in [0, tileSize)
     * @param margin    zero-weight samples at each interior tile edge; {@code 2*margin < overlap}
     *                  (or both 0); exact when at least the network's receptive-field radius
     * @param batchSize tiles per forward pass
     */
    public TiledRestorer(TileModel model, int tileSize, int overlap, int margin, int batchSize) {
        new Tiling(tileSize + 1, tileSize, overlap, margin); // validates the combination once, up front
        if (batchSize < 1) throw new IllegalArgumentException("Batch size must be at least 1, got " + batchSize);
        this.model = model;
        this.tileSize = tileSize;
        this.overlap = overlap;
        this.margin = margin;
        this.batchSize = batchSize;
    }

    /**
     * The receptive-field radius of {@code spec}'s network in pixels: how far from a pixel the
     * input can change its output. A tile margin of at least this makes tiling exact for DnCNN
     * (depth d: radius d). For a U-Net it is an estimate (pooling grids also depend on where a
     * tile starts), so tiled output is close to, not equal to, the whole-image output.
     */
    public static int receptiveRadius(ModelSpec spec) {
        if (spec.isDncnn()) return spec.dncnnDepth();
        int radius = 0;
        int scale = 1;
        for (int level = 0; level < spec.unetLevels(); level++) {
            radius += 2 * scale + scale; // two 3x3 convs, then a 2x2 pool or strided 3x3 conv
            scale *= 2;
        }
        radius += 2 * scale; // bottleneck
        for (int level = spec.unetLevels() - 1; level >= 0; level--) {
            scale /= 2;
            radius += scale + 2 * scale; // upsampling conv, then two 3x3 convs
        }
        return radius;
    }

    /** Restores an in-memory image (tests, benchmarks, small images). */
    public Image restore(Image image) {
        Image out = new Image(image.channels(), image.height(), image.width());
        Work work = new Work() {
            @Override public Source source() { return imageSource(image); }
            @Override public Sink sink() { return imageSink(out); }
        };
        restoreAll(List.of(work).iterator(), w -> { });
        return out;
    }

    /** A source over an in-memory image. */
    public static Source imageSource(Image image) {
        return new Source() {
            @Override public int channels() { return image.channels(); }
            @Override public int height() { return image.height(); }
            @Override public int width() { return image.width(); }
            @Override public Image read(int y0, int x0, int h, int w) { return image.crop(y0, x0, h, w); }
        };
    }

    /** A sink that copies rows into {@code out}. */
    public static Sink imageSink(Image out) {
        return (y0, rows) -> {
            for (int c = 0; c < rows.channels(); c++) {
                System.arraycopy(rows.data(), rows.index(c, 0, 0), out.data(), out.index(c, y0, 0),
                        rows.height() * rows.width());
            }
        };
    }

    /**
     * Restores every work item, interleaving their tiles into batches; {@code onDone} gets each item
     * right after its last rows went to its sink. Items are opened (their source first read) lazily,
     * only when the batch has room, so few are in flight at once.
     */
    public <W extends Work> void restoreAll(Iterator<W> works, Consumer<W> onDone) {
        List<Task<W>> open = new ArrayList<>();
        while (true) {
            List<Tile<W>> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize) {
                Task<W> next = null;
                for (Task<W> t : open) {
                    if (t.hasPendingTile()) {
                        next = t;
                        break;
                    }
                }
                if (next == null) {
                    if (!works.hasNext()) break;
                    open.add(new Task<>(works.next()));
                    continue;
                }
                batch.add(next.nextTile());
            }
            if (batch.isEmpty()) return;
            List<Image> inputs = new ArrayList<>(batch.size());
            for (Tile<W> t : batch) inputs.add(t.pixels);
            List<Image> outputs = model.restore(inputs);
            for (int i = 0; i < batch.size(); i++) {
                Tile<W> t = batch.get(i);
                t.task.accept(t, outputs.get(i));
                if (t.task.done()) {
                    open.remove(t.task);
                    onDone.accept(t.task.work);
                }
            }
        }
    }

    private record Tile<W extends Work>(Task<W> task, int row, int col, Image pixels) {}

    /** One image in flight: its tile grid, the current tile row, and that row's blending sums. */
    private final class Task<W extends Work> {
        final W work;
        final Source source;
        final Sink sink;
        final Tiling rows;
        final Tiling cols;
        final int channels;
        final int width;
        final float[] sum;
        final float[] weight;
        int row;
        int handedOut;
        int received;

        Task(W work) {
            this.work = work;
            this.source = work.source();
            this.sink = work.sink();
            this.channels = source.channels();
            this.width = source.width();
            this.rows = new Tiling(source.height(), tileSize, Math.min(overlap, Math.max(0, source.height() - 1)), marginFor(source.height()));
            this.cols = new Tiling(width, tileSize, Math.min(overlap, Math.max(0, width - 1)), marginFor(width));
            this.sum = new float[channels * rows.tile() * width];
            this.weight = new float[rows.tile() * width];
        }

        /** The configured margin, unless an axis is shorter than a tile (one tile, no blending). */
        private int marginFor(int length) {
            return length <= tileSize ? 0 : margin;
        }

        boolean hasPendingTile() {
            return row < rows.count() && handedOut < cols.count();
        }

        boolean done() {
            return row >= rows.count();
        }

        Tile<W> nextTile() {
            int c = handedOut++;
            Image pixels = source.read(rows.start(row), cols.start(c), rows.tile(), cols.tile());
            return new Tile<>(this, row, c, pixels);
        }

        void accept(Tile<W> tile, Image restored) {
            if (restored.channels() != channels || restored.height() != rows.tile() || restored.width() != cols.tile()) {
                throw new IllegalStateException("The model returned " + restored + " for a tile of " + tile.pixels);
            }
            float[] wy = rows.weights(tile.row);
            float[] wx = cols.weights(tile.col);
            int x0 = cols.start(tile.col);
            int th = rows.tile();
            int tw = cols.tile();
            float[] r = restored.data();
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    float w = wy[y] * wx[x];
                    if (w == 0f) continue;
                    int at = y * width + x0 + x;
                    weight[at] += w;
                    for (int c = 0; c < channels; c++) {
                        sum[c * th * width + at] += w * r[(c * th + y) * tw + x];
                    }
                }
            }
            if (++received == cols.count()) finishRow();
        }

        /** Writes the rows no later tile touches, and moves the rest of the band up. */
        private void finishRow() {
            int th = rows.tile();
            int top = rows.start(row);
            int finished = rows.finalUpTo(row) - top;
            Image out = new Image(channels, finished, width);
            float[] o = out.data();
            for (int y = 0; y < finished; y++) {
                for (int x = 0; x < width; x++) {
                    int at = y * width + x;
                    float w = weight[at];
                    if (!(w > 0f)) {
                        throw new IllegalStateException("No tile covers pixel (" + (top + y) + ", " + x + ") with positive weight");
                    }
                    for (int c = 0; c < channels; c++) o[(c * finished + y) * width + x] = sum[c * th * width + at] / w;
                }
            }
            sink.write(top, out);
            int keep = th - finished;
            int plane = th * width;
            System.arraycopy(weight, finished * width, weight, 0, keep * width);
            Arrays.fill(weight, keep * width, plane, 0f);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(sum, c * plane + finished * width, sum, c * plane, keep * width);
                Arrays.fill(sum, c * plane + keep * width, (c + 1) * plane, 0f);
            }
            row++;
            handedOut = 0;
            received = 0;
        }
    }
}
