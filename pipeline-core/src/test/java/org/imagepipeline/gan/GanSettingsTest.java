package org.imagepipeline.gan;

import org.imagepipeline.config.GanSettings;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.SettingsException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanSettingsTest {

    @Test
    void defaultsAreDcgansAndDerivedValuesFollow() {
        GanSettings g = PipelineSettings.load(List.of(), Map.of()).gan();
        assertEquals(2e-4, g.learningRateD(), 0);
        assertEquals(2e-4, g.learningRateG(), 0);
        assertEquals(0.5, g.beta1(), 0);
        assertEquals(GanSettings.Upsampling.TRANSPOSED, g.upsampling(), "DCGAN's transposed convolutions by default");
        assertEquals(0, g.restorationMix().images(), "mixing GAN images into restoration is off by default");
        assertEquals(0.9, g.realLabel(), 1e-12);
        assertEquals(0.5, Math.pow(g.emaDecay(1), g.emaHalfLifeSteps()), 1e-12, "the average halves in half-life steps");
        assertEquals(g.emaDecay(1), g.emaDecay(5000), 0, "no ramp-up by default");
        assertEquals(1, g.lrFactor(0.99), 0, "constant learning rates by default");
        assertEquals(4, g.baseSide());
        assertEquals(3, g.levels());
        GanSettings mnist = GanTestSettings.gan(Map.of());
        assertEquals(7, mnist.baseSide());
        assertEquals(2, mnist.levels());
    }

    @Test
    void emaHalfLifeRampsUpWithTheRoundsDoneAndLearningRatesDecayLinearlyToZero() {
        GanSettings g = GanTestSettings.gan(Map.of("gan.ema-half-life-steps", "200", "gan.ema-rampup", "0.1",
                "gan.lr-decay-start", "0.6"));
        assertEquals(0.5, Math.pow(g.emaDecay(100), 10), 1e-12, "after 100 rounds the half-life is 0.1 x 100 = 10 rounds");
        assertEquals(0.5, Math.pow(g.emaDecay(1500), 150), 1e-12);
        assertEquals(0.5, Math.pow(g.emaDecay(2000), 200), 1e-12, "capped at ema-half-life-steps");
        assertEquals(0.5, Math.pow(g.emaDecay(9000), 200), 1e-12);
        assertEquals(1, g.lrFactor(0), 0);
        assertEquals(1, g.lrFactor(0.6), 0, "constant up to lr-decay-start");
        assertEquals(0.5, g.lrFactor(0.8), 1e-12, "halfway down between 0.6 and the end");
        assertEquals(0, g.lrFactor(1), 0);
        assertEquals(0, g.lrFactor(1.3), 0, "never negative past the end (a time budget overrun)");
        GanSettings plain = GanTestSettings.gan(Map.of("gan.ema-half-life-steps", "200"));
        assertTrue(!plain.trainingHash(1, 1).equals(g.trainingHash(1, 1)), "the schedule shapes the weights");
        assertEquals(plain.trainingHash(1, 1), GanTestSettings.gan(Map.of("gan.ema-half-life-steps", "200", "gan.ema-rampup", "0",
                "gan.lr-decay-start", "1")).trainingHash(1, 1), "the defaults keep old runs' hash, so they still resume");
    }

    @Test
    void everyBadKeyIsReportedAtOnce() {
        SettingsException e = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(), Map.of(
                "gan.resolution", "30", "gan.batch-size", "15", "gan.channels", "2", "gan.restoration-mix.images", "10",
                "gan.label-smoothing", "0.7", "gan.upsampling", "bilinear", "gan.lr-decay-start", "1.5", "gan.ema-rampup", "-1")));
        for (String key : List.of("pipeline.gan.resolution", "pipeline.gan.batch-size", "pipeline.gan.channels",
                "pipeline.gan.restoration-mix.checkpoint", "pipeline.gan.label-smoothing", "pipeline.gan.upsampling",
                "pipeline.gan.lr-decay-start", "pipeline.gan.ema-rampup")) {
            assertTrue(e.getMessage().contains(key), key + " missing from: " + e.getMessage());
        }
    }
}
