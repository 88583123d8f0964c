package org.imagepipeline.config;

import java.util.List;
import java.util.Map;

/**
 * Settings (pipeline.-relative overrides of reference.conf) whose v1 training hashes were
 * recorded with the code that computed them (LegacyCheckpointsMaker#printHashes), so the legacy
 * form stays exactly what old checkpoints carry.
 */
final class LegacyHashCases {
    private LegacyHashCases() {}

    static final List<Map<String, String>> RESTORATION = List.of(
            Map.of(),
            Map.of("model.type", "unet", "prepare.patch-size", "48", "model.unet.downsample", "strided",
                    "model.unet.upsample", "deconv", "model.unet.levels", "2", "model.unet.base-features", "8"),
            Map.of("train.adversarial.weight", "0.001", "train.adversarial.discriminator-features", "16"),
            Map.of("model.channels", "3", "model.loss", "l1", "model.data-type", "double", "train.lr-schedule", "cosine",
                    "train.lr-cosine-iterations", "0", "train.lr-minimum", "0.0001", "train.workers", "3",
                    "train.weight-decay", "0.0001", "model.dncnn.batch-norm", "true"),
            Map.of("prepare.degradations.mask.enabled", "true", "prepare.degradations.mask.fill", "noise",
                    "prepare.degradations.jpeg.enabled", "true", "prepare.degradations.jpeg.quality", "[30, 50]",
                    "prepare.degradations.gaussian-noise.sigma", "[5, 50]", "prepare.flips", "false",
                    "train.lr-schedule", "none", "run.seed", "-9", "train.batch-size-per-worker", "3"),
            Map.of("prepare.degradations.downscale.enabled", "true", "prepare.degradations.motion-blur.enabled", "true",
                    "prepare.degradations.poisson-noise.enabled", "true", "prepare.degradations.gaussian-blur.enabled", "true",
                    "prepare.output", "elsewhere", "prepare.preview-pairs", "3", "train.lr-gamma", "0.25",
                    "train.lr-step-epochs", "2", "train.learning-rate", "0.0005"));

    static final List<Map<String, String>> GAN = List.of(
            Map.of(),
            Map.of("gan.upsampling", "resize", "gan.generator-base-convs", "1", "gan.lr-decay-start", "0.5",
                    "gan.ema-rampup", "0.5"),
            Map.of("gan.resolution", "28", "gan.latent-size", "8", "gan.generator-features", "4",
                    "gan.discriminator-features", "4", "gan.batch-size", "16", "gan.d-steps", "2", "gan.learning-rate-d", "0.002",
                    "gan.learning-rate-g", "0.002", "gan.ema-half-life-steps", "2", "gan.sample-grid", "3"),
            Map.of("gan.channels", "3", "gan.resolution", "64", "gan.label-smoothing", "0", "gan.adam-beta1", "0",
                    "gan.adam-beta2", "0.99", "gan.ema-half-life-steps", "0", "gan.g-steps", "3"));
}
