package org.imagepipeline.jobs;

import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.restore.BulkRestore;

import java.util.List;

final class RestoreJob implements Job {
    @Override public String name() { return "restore"; }

    @Override public String summary() { return "restore a folder tree of images with a trained model, resumably, with a manifest"; }

    @Override public String help() {
        return """
                Restores every image under restore.input (recursively; any Hadoop path) with a trained
                model and writes the restored copy under restore.output, mirroring relative paths.
                Inputs are never modified; each output appears atomically (temporary name, then rename;
                on s3a one upload). Images are restored in overlapping, feathered tiles, so memory is
                bounded by the tile, and tiles of several images share forward passes. Dimensions, EXIF
                orientation (pixels written upright, orientation tag set to 1), ICC profile, EXIF and
                XMP (PNG and JPEG outputs), 16-bit depth, alpha (passed through, not restored) and
                grayscale are kept.

                Writes <output>/_manifest/manifest.jsonl and manifest.parquet: one line per input
                (restored, skipped or failed, with the reason, input size and SHA-256, output path,
                size, model id and version, timings). A rerun skips inputs already restored with the
                same model and unchanged bytes, and retries failed ones; after a crash it finishes
                the rest. Prints a summary: counts per status, megapixels/s, the manifest's path.

                keys: restore.input, restore.output, restore.model (registered name or name@version, checkpoint dir or run dir; several,
                      comma-separated, are averaged), restore.include-globs / restore.exclude-globs,
                      restore.format (same|png|jpeg|tiff), restore.jpeg-quality, restore.tile-size,
                      restore.tile-overlap, restore.tile-margin, restore.batch-size,
                      restore.self-ensemble, restore.max-pixels, restore.files-per-partition,
                      restore.allow-output-inside-input, run.id (names the restore run)""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        try (Context ctx = new Context(s)) {
            BulkRestore.Summary summary;
            try {
                summary = BulkRestore.run(ctx.spark, s);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            System.out.println(summary.describe());
        }
    }
}
