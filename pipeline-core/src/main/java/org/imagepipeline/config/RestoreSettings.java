package org.imagepipeline.config;

import org.imagepipeline.image.ImageEncoder;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the restore job (pipeline.restore.*); see reference.conf for each key.
 *
 * @param format     the output format, or {@link Format#SAME} for each input's own (png for bmp and gif)
 * @param tileMargin -1 for "the model's receptive-field radius, capped to fit the overlap" ({@link #resolvedTileMargin})
 * @param stopAfterOutputs testing hook pipeline.testing.restore.stop-after-outputs ({@link TestingHooks}); 0 when off
 * @param haltOn     testing hook pipeline.testing.restore.halt-on ({@link TestingHooks}): a glob on the input's
 *                   relative path; "" when off
 */
public record RestoreSettings(String input, String output, List<String> models, List<String> include, List<String> exclude,
                              Format format, int jpegQuality, int tileSize, int tileOverlap, int tileMargin, int batchSize,
                              boolean selfEnsemble, long maxPixels, int filesPerPartition, boolean allowOutputInsideInput,
                              int stopAfterOutputs, int maxExecutorLossesPerFile, String haltOn) implements Serializable {

    /**
     * The output format (pipeline.restore.format): the input's own, or one that {@link ImageEncoder}
     * writes ({@link ImageEncoder#FORMATS}). {@code toString()} is the configuration's word, and for
     * the formats the encoder's name.
     */
    public enum Format {
        /** png, jpeg and tiff inputs stay as they are; bmp and gif become png. */
        SAME,
        PNG,
        JPEG,
        TIFF;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The zero-weight margin at interior tile edges for a model of receptive-field radius
     * {@code receptiveRadius}: tile-margin when set (>= 0); for -1 the radius, capped at
     * (tile-overlap - 1) / 2 so that the margins of two neighbours fit in their overlap, and 0
     * without overlap. The one rule for the restore job and the benches.
     */
    public int resolvedTileMargin(int receptiveRadius) {
        if (tileMargin >= 0) return tileMargin;
        return tileOverlap == 0 ? 0 : Math.min(receptiveRadius, (tileOverlap - 1) / 2);
    }

    static RestoreSettings read(ConfigReader r, TestingHooks hooks) {
        String p = "pipeline.restore.";
        int tile = r.int32(p + "tile-size", 8, 4096);
        int overlap = r.int32(p + "tile-overlap", 0, 4095);
        int margin = r.int32(p + "tile-margin", -1, 2047);
        if (overlap >= tile) r.fail(p + "tile-overlap", "less than tile-size (" + tile + ")");
        if (margin >= 0 && (overlap == 0 ? margin != 0 : 2 * margin >= overlap)) {
            r.fail(p + "tile-margin", "-1, or less than half of tile-overlap (" + overlap + ")");
        }
        return new RestoreSettings(r.string(p + "input").trim(), RunSettings.stripSlash(r.string(p + "output").trim()),
                list(r.string(p + "model")), list(r.string(p + "include-globs")), list(r.string(p + "exclude-globs")),
                r.choice(p + "format", Format.class), r.int32(p + "jpeg-quality", 1, 100),
                tile, overlap, margin, r.int32(p + "batch-size", 1, 4096), r.bool(p + "self-ensemble"),
                r.integer(p + "max-pixels", 1, Long.MAX_VALUE), r.int32(p + "files-per-partition", 0, 1 << 20),
                r.bool(p + "allow-output-inside-input"), hooks.restoreStopAfterOutputs(),
                r.int32(p + "max-executor-losses-per-file", 1, 1000), hooks.restoreHaltOn());
    }

    private static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            if (!s.isBlank()) out.add(s.trim());
        }
        return List.copyOf(out);
    }
}
