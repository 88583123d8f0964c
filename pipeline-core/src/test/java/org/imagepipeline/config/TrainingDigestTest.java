package org.imagepipeline.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The versioned, canonical training hash of restoration and GAN runs. */
class TrainingDigestTest {

    private static PipelineSettings load(Map<String, String> overrides) {
        return PipelineSettings.load(List.of(), overrides);
    }

    @Test
    void theDefaultsListExactlyTheseValuesInCanonicalForm() {
        assertEquals("""
                digest.kind=restoration
                digest.version=2
                gan.restoration-mix.images=0
                model.channels=1
                model.data-type=float
                model.dncnn.batch-norm=false
                model.dncnn.depth=17
                model.dncnn.features=64
                model.loss=mse
                model.type=dncnn
                prepare.degradations.downscale.enabled=false
                prepare.degradations.gaussian-blur.enabled=false
                prepare.degradations.gaussian-noise.enabled=true
                prepare.degradations.gaussian-noise.sigma=[25, 25]
                prepare.degradations.jpeg.enabled=false
                prepare.degradations.mask.enabled=false
                prepare.degradations.motion-blur.enabled=false
                prepare.degradations.poisson-noise.enabled=false
                prepare.flips=true
                prepare.patch-size=40
                prepare.patches-per-image=16
                prepare.rot90=true
                run.seed=42
                train.adam-beta1=0.9
                train.adam-beta2=0.999
                train.adversarial.weight=0
                train.averaging-frequency=5
                train.batch-size-per-worker=16
                train.learning-rate=0.001
                train.lr-gamma=0.5
                train.lr-schedule=step
                train.lr-step-epochs=4
                train.weight-decay=0
                train.workers=0
                """, load(Map.of()).trainingDigest().text());
        String hash = load(Map.of()).trainingHash();
        assertTrue(hash.matches("v2-[0-9a-f]{16}"), hash);
    }

    @Test
    void numbersAreCanonicalWhateverTheirSpelling() {
        assertEquals(load(Map.of()).trainingHash(), load(Map.of("train.adam-beta1", "0.90", "train.lr-gamma", "5e-1",
                "train.weight-decay", "0.0", "prepare.degradations.gaussian-noise.sigma", "[25.0, 25]")).trainingHash());
        assertEquals("0.00001", TrainingDigest.number(1e-5));
        assertEquals("1", TrainingDigest.number(1.0));
        assertEquals("0", TrainingDigest.number(-0.0));
        assertEquals("123456789012", TrainingDigest.number(123456789012.0));
        assertEquals("2.5", TrainingDigest.number(2.50));
        assertTrue(load(Map.of()).gan().trainingDigest(42, 2).text().contains("gan.lr-decay-start=1\n"));
    }

    @Test
    void settingsThatDoNotShapeTheWeightsLeaveTheRestorationHash() {
        String base = load(Map.of()).trainingHash();
        for (Map<String, String> irrelevant : List.of(
                Map.of("train.epochs", "50"), Map.of("train.time-budget-seconds", "600"), Map.of("train.patience", "3"),
                Map.of("train.resume", "true"), Map.of("run.id", "another"), Map.of("train.keep-checkpoints", "9"),
                Map.of("train.val-max-images", "3", "train.val-crop", "64"), Map.of("train.training-approach", "export"),
                Map.of("prepare.output", "elsewhere", "prepare.preview-pairs", "2"), Map.of("eval.crop", "64"),
                Map.of("restore.tile-size", "256"), Map.of("registry.register-as", "denoiser"), Map.of("gan.steps", "7"),
                // The U-Net's values for a DnCNN, the other schedule's, the adversarial term's while it is off:
                Map.of("model.unet.levels", "2", "model.unet.downsample", "strided"), Map.of("train.lr-minimum", "0.0001"),
                Map.of("train.adversarial.discriminator-features", "8"), Map.of("prepare.degradations.jpeg.quality", "[5, 10]"),
                Map.of("gan.restoration-mix.checkpoint", "somewhere"))) {
            assertEquals(base, load(irrelevant).trainingHash(), irrelevant.toString());
            assertTrue(load(irrelevant).acceptsTrainingHash(base), irrelevant.toString());
        }
    }

    @Test
    void everyValueThatShapesTheWeightsChangesTheRestorationHashAndIsRefused() {
        PipelineSettings base = load(Map.of());
        for (Map<String, String> relevant : List.of(
                Map.of("run.seed", "7"), Map.of("model.dncnn.depth", "9"), Map.of("model.dncnn.features", "32"),
                Map.of("model.dncnn.batch-norm", "true"), Map.of("model.channels", "3"), Map.of("model.loss", "l1"),
                Map.of("model.data-type", "double"), Map.of("model.type", "unet"), Map.of("train.learning-rate", "0.002"),
                Map.of("train.adam-beta2", "0.99"), Map.of("train.weight-decay", "0.01"), Map.of("train.lr-schedule", "none"),
                Map.of("train.lr-gamma", "0.25"), Map.of("train.lr-step-epochs", "2"), Map.of("train.batch-size-per-worker", "8"),
                Map.of("train.averaging-frequency", "2"), Map.of("train.workers", "2"), Map.of("prepare.patch-size", "48"),
                Map.of("prepare.patches-per-image", "4"), Map.of("prepare.flips", "false"), Map.of("prepare.rot90", "false"),
                Map.of("prepare.degradations.gaussian-noise.sigma", "[15, 25]"), Map.of("prepare.degradations.jpeg.enabled", "true"),
                Map.of("train.adversarial.weight", "0.001"),
                Map.of("gan.restoration-mix.images", "4", "gan.restoration-mix.checkpoint", "c"))) {
            PipelineSettings other = load(relevant);
            assertNotEquals(base.trainingHash(), other.trainingHash(), relevant.toString());
            assertFalse(other.acceptsTrainingHash(base.trainingHash()), relevant.toString());
            if (!relevant.containsKey("gan.restoration-mix.images")) {
                // v1 did not list the mix: a v1 checkpoint is as lax about it as v1 was.
                assertFalse(other.acceptsTrainingHash(base.legacyTrainingHash()), "nor the old form of another's: " + relevant);
            }
        }
        PipelineSettings cosine = load(Map.of("train.lr-schedule", "cosine"));
        assertNotEquals(cosine.trainingHash(), load(Map.of("train.lr-schedule", "cosine", "train.lr-cosine-iterations", "100")).trainingHash());
        assertNotEquals(cosine.trainingHash(), load(Map.of("train.lr-schedule", "cosine", "train.lr-minimum", "0")).trainingHash());
        PipelineSettings adversarial = load(Map.of("train.adversarial.weight", "0.001"));
        assertNotEquals(adversarial.trainingHash(),
                load(Map.of("train.adversarial.weight", "0.001", "train.adversarial.discriminator-levels", "2")).trainingHash());
    }

    @Test
    void theGanHashListsItsValuesAndIgnoresCadencesBudgetAndResume() {
        GanSettings g = load(Map.of()).gan();
        String base = g.trainingHash(42, 2);
        assertTrue(base.matches("v2-[0-9a-f]{16}"), base);
        assertEquals(23, g.trainingDigest(42, 2).values().size(), g.trainingDigest(42, 2).text());
        assertTrue(g.trainingDigest(42, 2).text().contains("gan.upsampling=transposed\n"), g.trainingDigest(42, 2).text());
        for (Map<String, String> irrelevant : List.of(Map.of("gan.steps", "9"), Map.of("gan.time-budget-seconds", "60"),
                Map.of("gan.resume", "true"), Map.of("run.id", "x"), Map.of("gan.log-every", "3"), Map.of("gan.sample-every", "3"),
                Map.of("gan.checkpoint-every", "3"), Map.of("gan.keep-checkpoints", "9"), Map.of("gan.quality.every", "5"),
                Map.of("gan.d-win-steps", "3"), Map.of("train.epochs", "3"), Map.of("model.dncnn.depth", "5"))) {
            assertEquals(base, load(irrelevant).gan().trainingHash(42, 2), irrelevant.toString());
        }
        for (Map<String, String> relevant : List.of(Map.of("gan.upsampling", "resize"), Map.of("gan.generator-base-convs", "1"),
                Map.of("gan.lr-decay-start", "0.5"), Map.of("gan.ema-rampup", "0.5"), Map.of("gan.latent-size", "50"),
                Map.of("gan.batch-size", "32"), Map.of("gan.d-steps", "2"), Map.of("gan.learning-rate-g", "0.001"),
                Map.of("gan.label-smoothing", "0"), Map.of("gan.sample-grid", "4"))) {
            GanSettings other = load(relevant).gan();
            assertNotEquals(base, other.trainingHash(42, 2), relevant.toString());
            assertFalse(other.acceptsTrainingHash(base, 42, 2), relevant.toString());
        }
        assertNotEquals(base, g.trainingHash(7, 2), "the seed");
        assertNotEquals(base, g.trainingHash(42, 3), "the workers");
        assertNotEquals(base, load(Map.of()).trainingHash(), "a GAN and a restoration hash never meet");
    }
}
