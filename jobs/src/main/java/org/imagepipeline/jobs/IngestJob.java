package org.imagepipeline.jobs;

import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Ingest;
import org.imagepipeline.data.IngestSummary;

import java.util.List;

final class IngestJob implements Job {
    @Override public String name() { return "ingest"; }

    @Override public String summary() { return "decode and validate images into a Parquet catalog with splits and rejects"; }

    @Override public String help() {
        return """
                Reads every file under ingest.input (any Hadoop path: file:, hdfs:, s3a:; recursive),
                decodes it on the executors (PNG, JPEG incl. progressive and CMYK, BMP, GIF, TIFF; 8/16-bit;
                EXIF orientation applied), deduplicates by content hash, assigns train/val/test by hash
                and writes <catalog>/images and <catalog>/rejects (Parquet). One bad file never fails
                the job; it lands in rejects with its reason.

                keys: ingest.input (required), ingest.catalog (default <run.root>/catalog),
                      ingest.max-pixels, ingest.val-fraction, ingest.test-fraction, ingest.min-partitions
                example: pipeline ingest ingest.input=hdfs://nn/photos run.root=hdfs://nn/pipeline""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        if (s.ingest().input().isEmpty()) throw new UserError("ingest needs ingest.input=<folder or Hadoop path of images>");
        try (Context ctx = new Context(s)) {
            IngestSummary summary = Ingest.run(ctx.spark, s.ingest());
            System.out.println(summary);
        }
    }
}
