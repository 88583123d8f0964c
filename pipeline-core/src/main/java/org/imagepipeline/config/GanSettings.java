package org.imagepipeline.config;

import java.io.Serializable;
import java.util.Locale;

/**
 * Settings of GAN training and sampling (pipeline.gan.*), validated up front. See reference.conf
 * for each field's meaning and units.
 *
 * @param resolution          side of the square images, 28, 32 or 64
 * @param channels            1 (gray) or 3 (RGB)
 * @param latentSize          length of the latent vector z
 * @param generatorFeatures   feature maps of the generator's last hidden layer (doubled per level towards z)
 * @param discriminatorFeatures feature maps of the discriminator's first layer (doubled per level)
 * @param upsampling          how the generator doubles its resolution: {@link Upsampling#TRANSPOSED} (4×4 stride-2
 *                            transposed convolution, DCGAN's) or {@link Upsampling#RESIZE} (nearest ×2, then 3×3 convolution)
 * @param generatorBaseConvs  3×3 stride-1 convolution + batch norm + ReLU blocks at the generator's base resolution
 * @param steps               rounds to train in total (one round = a discriminator phase and a generator phase)
 * @param batchSize           minibatch per worker; a discriminator minibatch is half real, half generated
 * @param dSteps              discriminator minibatches per worker per round
 * @param gSteps              generator minibatches per worker per round
 * @param learningRateD       Adam learning rate of the discriminator
 * @param learningRateG       Adam learning rate of the generator
 * @param beta1               Adam beta1 (both networks)
 * @param beta2               Adam beta2 (both networks)
 * @param lrDecayStart        share of the run (rounds, or the time budget when that ends it first) after which both
 *                            learning rates fall linearly to 0 at its end; 1 = constant
 * @param labelSmoothing      the discriminator's target for real images is 1 - labelSmoothing
 * @param emaHalfLifeSteps    half-life of the generator's weight average, in rounds; 0 = no averaging
 * @param emaRampup           while emaRampup × rounds done is shorter, that is the half-life instead; 0 = off
 * @param logEvery            a metrics.jsonl line (means over the rounds since the last) every this many rounds
 * @param sampleEvery         a sample grid every this many rounds
 * @param sampleGrid          the grid is sampleGrid x sampleGrid images
 * @param checkpointEvery     a checkpoint every this many rounds (and at the end)
 * @param keepCheckpoints     committed checkpoints kept
 * @param dWinSteps           rounds in a row in which the discriminator wins completely before a warning
 * @param resume              continue run.id from its newest committed checkpoint
 * @param timeBudgetSeconds   stop (with a checkpoint) after this long; 0 = no limit
 * @param quality             FD-classifier and classifier-score settings
 * @param restorationMix      GAN images mixed into restoration training
 * @param generate            settings of the generate job
 * @param injectNanAtStep     testing hook pipeline.testing.gan.inject-nan-at-step ({@link TestingHooks}): the
 *                            discriminator's weights turn NaN before this round (0: off)
 */
public record GanSettings(int resolution, int channels, int latentSize, int generatorFeatures, int discriminatorFeatures,
                          Upsampling upsampling, int generatorBaseConvs, int steps, int batchSize, int dSteps, int gSteps, double learningRateD, double learningRateG,
                          double beta1, double beta2, double lrDecayStart, double labelSmoothing, double emaHalfLifeSteps,
                          double emaRampup, int logEvery, int sampleEvery,
                          int sampleGrid, int checkpointEvery, int keepCheckpoints, int dWinSteps, boolean resume,
                          long timeBudgetSeconds, Quality quality, RestorationMix restorationMix, Generate generate,
                          int injectNanAtStep) implements Serializable {

    /** How the generator doubles its resolution (pipeline.gan.upsampling); {@code toString()} is the configuration's word. */
    public enum Upsampling {
        /** 4×4 stride-2 transposed convolutions, as DCGAN. */
        TRANSPOSED,
        /** Nearest-neighbour ×2 followed by a 3×3 convolution ("resize-convolution"). */
        RESIZE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Quality metrics (pipeline.gan.quality.*): every {@code every} rounds (0: never), FD-classifier
     * and classifier score of {@code samples} images of the averaged generator, in the feature
     * space of a classifier trained for {@code classifierEpochs} epochs on at most {@code maxImages}
     * labelled catalog images.
     */
    public record Quality(int every, int samples, int maxImages, int classifierEpochs) implements Serializable {}

    /**
     * GAN-generated images added to restoration training (pipeline.gan.restoration-mix.*):
     * {@code images} images of the averaged generator of {@code checkpoint}; 0 = off.
     */
    public record RestorationMix(String checkpoint, int images) implements Serializable {}

    /** Settings of the generate job (pipeline.gan.generate.*). */
    public record Generate(String checkpoint, String output, int count, long seed, boolean ema, int interpolationSteps)
            implements Serializable {}

    public GanSettings {
        if (resolution != 28 && resolution != 32 && resolution != 64) {
            throw new IllegalArgumentException("resolution must be 28, 32 or 64, not " + resolution);
        }
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
        if (upsampling == null) {
            throw new IllegalArgumentException("upsampling must be " + Upsampling.TRANSPOSED + " or " + Upsampling.RESIZE + ", not null");
        }
        if (batchSize < 2 || batchSize % 2 != 0) {
            throw new IllegalArgumentException("batch-size must be even (half real, half generated) and at least 2, not " + batchSize);
        }
    }

    /** Reads pipeline.gan.*; problems go to the reader's error list (null is returned then). */
    static GanSettings read(ConfigReader r, TestingHooks hooks) {
        int known = r.errors().size();
        String p = "pipeline.gan.";
        int resolution = r.int32(p + "resolution", 28, 64);
        if (resolution != 28 && resolution != 32 && resolution != 64) r.fail(p + "resolution", "28, 32 or 64");
        int channels = r.int32(p + "channels", 1, 3);
        if (channels == 2) r.fail(p + "channels", "1 (gray) or 3 (RGB)");
        int batch = r.int32(p + "batch-size", 2, 1 << 16);
        if (batch % 2 != 0) r.fail(p + "batch-size", "an even number (half real, half generated images)");
        Upsampling upsampling = r.choice(p + "upsampling", Upsampling.class);
        String g = p + "generate.";
        Generate gen = new Generate(r.string(g + "checkpoint").trim(), r.string(g + "output").trim(),
                r.int32(g + "count", 1, 1_000_000), r.integer(g + "seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.bool(g + "ema"), r.int32(g + "interpolation-steps", 0, 1000));
        String q = p + "quality.";
        Quality quality = new Quality(r.int32(q + "every", 0, Integer.MAX_VALUE), r.int32(q + "samples", 2, 1_000_000),
                r.int32(q + "max-images", 2, 10_000_000), r.int32(q + "classifier-epochs", 1, 1000));
        String m = p + "restoration-mix.";
        RestorationMix mix = new RestorationMix(r.string(m + "checkpoint").trim(), r.int32(m + "images", 0, 10_000_000));
        if (mix.images() > 0 && mix.checkpoint().isEmpty()) {
            r.fail(m + "checkpoint", "a GAN checkpoint directory (checkpoints/step-NNNN of a train-gan run) when "
                    + m + "images > 0");
        }
        GanSettings s = new GanSettings(resolution == 28 || resolution == 32 || resolution == 64 ? resolution : 28,
                channels == 2 ? 1 : channels,
                r.int32(p + "latent-size", 1, 1 << 16),
                r.int32(p + "generator-features", 1, 4096),
                r.int32(p + "discriminator-features", 1, 4096),
                upsampling,
                r.int32(p + "generator-base-convs", 0, 16),
                r.int32(p + "steps", 0, Integer.MAX_VALUE),
                batch % 2 == 0 ? batch : batch + 1,
                r.int32(p + "d-steps", 1, 1 << 16),
                r.int32(p + "g-steps", 1, 1 << 16),
                r.number(p + "learning-rate-d", 1e-12, 10),
                r.number(p + "learning-rate-g", 1e-12, 10),
                r.number(p + "adam-beta1", 0, 0.999999),
                r.number(p + "adam-beta2", 0, 0.999999999),
                r.number(p + "lr-decay-start", 0, 1),
                r.number(p + "label-smoothing", 0, 0.5),
                r.number(p + "ema-half-life-steps", 0, 1e12),
                r.number(p + "ema-rampup", 0, 1e6),
                r.int32(p + "log-every", 1, Integer.MAX_VALUE),
                r.int32(p + "sample-every", 1, Integer.MAX_VALUE),
                r.int32(p + "sample-grid", 1, 64),
                r.int32(p + "checkpoint-every", 1, Integer.MAX_VALUE),
                r.int32(p + "keep-checkpoints", 1, 1_000_000),
                r.int32(p + "d-win-steps", 1, Integer.MAX_VALUE),
                r.bool(p + "resume"),
                r.integer(p + "time-budget-seconds", 0, Long.MAX_VALUE),
                quality, mix, gen,
                hooks.ganInjectNanAtStep());
        return r.errors().size() == known ? s : null;
    }

    /** Side of the generator's first feature map: resolution / 2^upsamplings. */
    public int baseSide() {
        return resolution / (1 << levels());
    }

    /** Stride-2 (up or down) levels between the base feature map and the image. */
    public int levels() {
        return resolution == 28 ? 2 : resolution == 32 ? 3 : 4;
    }

    /**
     * The weight the EMA update after round {@code done} (1-based) keeps of the old average:
     * 0.5^(1/half-life), where the half-life is ema-half-life-steps or, while shorter, ema-rampup × done
     * (early weights are soon forgotten, as StyleGAN2-ADA's ramp-up); 0 when averaging is off.
     */
    public double emaDecay(int done) {
        if (emaHalfLifeSteps <= 0) return 0;
        double halfLife = emaRampup > 0 ? Math.min(emaHalfLifeSteps, emaRampup * done) : emaHalfLifeSteps;
        return Math.pow(0.5, 1.0 / halfLife);
    }

    /**
     * The factor on both learning rates for a round that starts at {@code progress} (the larger of
     * rounds done / steps and seconds used / time budget): 1 up to lr-decay-start, then falling
     * linearly to 0 at progress 1.
     */
    public double lrFactor(double progress) {
        if (progress <= lrDecayStart || lrDecayStart >= 1) return 1;
        return Math.max(0, (1 - progress) / (1 - lrDecayStart));
    }

    /**
     * The hash a GAN checkpoint records of what shapes its weights (see {@link #trainingDigest}):
     * {@code v2-} and 16 hex digits. Step count, cadences, quality, budget and resume are left out
     * so a run can be extended.
     *
     * @param seed    the run seed
     * @param workers the workers the run trains with ({@link TrainSettings#resolvedWorkers})
     */
    public String trainingHash(long seed, int workers) {
        return trainingDigest(seed, workers).hash();
    }

    /**
     * Whether a checkpoint that recorded {@code recorded} was trained with these settings, seed
     * and workers: the current {@link #trainingHash} or the v1 hash that checkpoints made before
     * the versioned digest carry.
     */
    public boolean acceptsTrainingHash(String recorded, long seed, int workers) {
        return trainingHash(seed, workers).equals(recorded) || legacyTrainingHash(seed, workers).equals(recorded);
    }

    /** The v1 hash (16 hex digits, no version), still accepted on resume. */
    String legacyTrainingHash(long seed, int workers) {
        return LegacyTrainingHash.gan(this, seed, workers);
    }

    /**
     * The values listed in the GAN training hash, version 2: run.seed, train.workers (as resolved),
     * and gan.resolution, channels, latent-size, generator-features, discriminator-features,
     * upsampling, generator-base-convs, batch-size, d-steps, g-steps, learning-rate-d,
     * learning-rate-g, adam-beta1, adam-beta2, lr-decay-start, label-smoothing,
     * ema-half-life-steps, ema-rampup and sample-grid (the checkpoint's fixed latent batch).
     */
    TrainingDigest trainingDigest(long seed, int workers) {
        String p = "gan.";
        return new TrainingDigest("gan").put("run.seed", seed).put("train.workers", workers)
                .put(p + "resolution", resolution).put(p + "channels", channels).put(p + "latent-size", latentSize)
                .put(p + "generator-features", generatorFeatures).put(p + "discriminator-features", discriminatorFeatures)
                .put(p + "upsampling", upsampling).put(p + "generator-base-convs", generatorBaseConvs)
                .put(p + "batch-size", batchSize).put(p + "d-steps", dSteps).put(p + "g-steps", gSteps)
                .put(p + "learning-rate-d", learningRateD).put(p + "learning-rate-g", learningRateG)
                .put(p + "adam-beta1", beta1).put(p + "adam-beta2", beta2).put(p + "lr-decay-start", lrDecayStart)
                .put(p + "label-smoothing", labelSmoothing).put(p + "ema-half-life-steps", emaHalfLifeSteps)
                .put(p + "ema-rampup", emaRampup).put(p + "sample-grid", sampleGrid);
    }

    /** The discriminator's target for real images. */
    public double realLabel() {
        return 1 - labelSmoothing;
    }
}
