package org.imagepipeline.config;

import org.imagepipeline.model.AdversarialSettings;
import java.io.Serializable;
import java.util.Locale;

/**
 * Settings of the distributed training loop (pipeline.train.*); the optimiser's settings
 * (learning rate, schedule, Adam, weight decay) go into the {@link org.imagepipeline.model.ModelSpec}. See reference.conf for each field's meaning and units.
 */
public record TrainSettings(int epochs, int batchSizePerWorker, int averagingFrequency, int workers,
                            TrainingApproach trainingApproach, String exportDir, int patience, boolean resume,
                            int keepCheckpoints, int valMaxImages, int valCrop, long timeBudgetSeconds,
                            int lrCosineIterations, AdversarialSettings adversarial)
        implements Serializable {

    /** How dl4j-spark moves minibatches to the workers (pipeline.train.training-approach); {@code toString()} is the configuration's word. */
    public enum TrainingApproach {
        /** In memory. */
        DIRECT,
        /** Serialized to export-dir, on a filesystem all executors share. */
        EXPORT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The data-parallel workers a run trains with: train.workers, or for 0 (its default) Spark's
     * default parallelism, {@code defaultParallelism}. Every place that needs the count asks here.
     */
    public int resolvedWorkers(int defaultParallelism) {
        return workers > 0 ? workers : defaultParallelism;
    }

    static TrainSettings read(ConfigReader r) {
        String p = "pipeline.train.";
        TrainingApproach approach = r.choice(p + "training-approach", TrainingApproach.class);
        String exportDir = r.string(p + "export-dir");
        return new TrainSettings(
                r.int32(p + "epochs", 1, 1_000_000),
                r.int32(p + "batch-size-per-worker", 1, 1 << 20),
                r.int32(p + "averaging-frequency", 1, 1 << 20),
                r.int32(p + "workers", 0, 1 << 16),
                approach, exportDir,
                r.int32(p + "patience", 0, 1_000_000),
                r.bool(p + "resume"),
                r.int32(p + "keep-checkpoints", 1, 1_000_000),
                r.int32(p + "val-max-images", 1, 1_000_000),
                r.int32(p + "val-crop", 8, 1 << 16),
                r.integer(p + "time-budget-seconds", 0, Long.MAX_VALUE),
                r.int32(p + "lr-cosine-iterations", 0, Integer.MAX_VALUE),
                readAdversarial(r));
    }

    private static AdversarialSettings readAdversarial(ConfigReader r) {
        String p = "pipeline.train.adversarial.";
        return new AdversarialSettings(
                r.number(p + "weight", 0, 1e6),
                r.int32(p + "discriminator-features", 1, 4096),
                r.int32(p + "discriminator-levels", 1, 8),
                r.number(p + "learning-rate", 1e-12, 10),
                r.number(p + "adam-beta1", 0, 0.999999),
                r.number(p + "adam-beta2", 0, 0.999999999),
                r.number(p + "label-smoothing", 0, 0.5));
    }
}
