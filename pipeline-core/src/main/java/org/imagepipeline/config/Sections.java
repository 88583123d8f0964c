package org.imagepipeline.config;

import org.imagepipeline.data.IngestSettings;
import org.imagepipeline.model.Loss;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.UnetDownsample;
import org.imagepipeline.model.UnetUpsample;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Maps config sections onto the settings records that live beside the code using them
 * ({@link IngestSettings}, {@link ModelSpec}); those records check cross-field rules themselves,
 * and their complaints are reported with the section's path.
 */
final class Sections {
    private Sections() {}

    static IngestSettings ingest(ConfigReader r, RunSettings run) {
        int knownErrors = r.errors().size();
        String p = "pipeline.ingest.";
        String catalog = RunSettings.stripSlash(r.string(p + "catalog"));
        if (catalog.isEmpty()) catalog = run.root() + "/catalog";
        String input = r.string(p + "input").trim();
        long maxPixels = r.integer(p + "max-pixels", 1, Long.MAX_VALUE);
        double val = r.number(p + "val-fraction", 0, 1);
        double test = r.number(p + "test-fraction", 0, 1);
        int minPartitions = r.int32(p + "min-partitions", 0, 1 << 20);
        if (val + test >= 1) r.fail(p + "test-fraction", "val-fraction + test-fraction < 1 so some images are left to train on");
        try {
            return new IngestSettings(input, catalog, maxPixels, val, test, minPartitions);
        } catch (IllegalArgumentException e) {
            // The record's own checks repeat what the reader already reported; add only what is new.
            if (r.errors().size() == knownErrors) r.errors().add("pipeline.ingest: " + e.getMessage());
            return null;
        }
    }

    static ModelSpec model(ConfigReader r, RunSettings run) {
        int knownErrors = r.errors().size();
        String m = "pipeline.model.";
        String t = "pipeline.train.";
        ModelType type = r.choice(m + "type", ModelType.class);
        int channels = r.int32(m + "channels", 1, 3);
        if (channels == 2) r.fail(m + "channels", "1 (gray) or 3 (RGB)");
        DataType dataType = r.choice(m + "data-type", DataType.FLOAT, DataType.DOUBLE);
        try {
            return ModelSpec.builder(type, channels)
                    .dncnnDepth(r.int32(m + "dncnn.depth", 2, 1000))
                    .dncnnFeatures(r.int32(m + "dncnn.features", 1, 4096))
                    .batchNorm(r.bool(m + "dncnn.batch-norm"))
                    .unetBaseFeatures(r.int32(m + "unet.base-features", 1, 4096))
                    .unetLevels(r.int32(m + "unet.levels", 1, 8))
                    .unetDownsample(r.choice(m + "unet.downsample", UnetDownsample.class))
                    .unetUpsample(r.choice(m + "unet.upsample", UnetUpsample.class))
                    .loss(r.choice(m + "loss", Loss.class))
                    .learningRate(r.number(t + "learning-rate", 1e-12, 10))
                    .weightDecay(r.number(t + "weight-decay", 0, 1))
                    .lrSchedule(r.choice(t + "lr-schedule", LrSchedule.class))
                    .lrGamma(r.number(t + "lr-gamma", 1e-6, 1))
                    .lrStepEpochs(r.int32(t + "lr-step-epochs", 1, 1_000_000))
                    // 0 = "every iteration of every epoch", resolved by the trainer once it knows the data size.
                    .lrCosineIterations(Math.max(1, r.int32(t + "lr-cosine-iterations", 0, Integer.MAX_VALUE)))
                    .lrMinimum(r.number(t + "lr-minimum", 0, 10))
                    .adamBeta1(r.number(t + "adam-beta1", 0, 0.999999))
                    .adamBeta2(r.number(t + "adam-beta2", 0, 0.999999999))
                    .seed(run.seed())
                    .dataType(dataType)
                    .build();
        } catch (IllegalArgumentException e) {
            if (r.errors().size() == knownErrors) r.errors().add("pipeline.model / pipeline.train: " + e.getMessage());
            return null;
        }
    }
}
