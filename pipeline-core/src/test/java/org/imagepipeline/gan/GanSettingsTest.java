package org.imagepipeline.gan;

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
        assertEquals(GanSettings.TRANSPOSED, g.upsampling(), "DCGAN's transposed convolutions by default");
        assertEquals(0, g.restorationMix().images(), "mixing GAN images into restoration is off by default");
        assertEquals(0.9, g.realLabel(), 1e-12);
        assertEquals(0.5, Math.pow(g.emaDecay(), g.emaHalfLifeSteps()), 1e-12, "the average halves in half-life steps");
        assertEquals(4, g.baseSide());
        assertEquals(3, g.levels());
        GanSettings mnist = GanTestSettings.gan(Map.of());
        assertEquals(7, mnist.baseSide());
        assertEquals(2, mnist.levels());
    }

    @Test
    void everyBadKeyIsReportedAtOnce() {
        SettingsException e = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(), Map.of(
                "gan.resolution", "30", "gan.batch-size", "15", "gan.channels", "2", "gan.restoration-mix.images", "10",
                "gan.label-smoothing", "0.7", "gan.upsampling", "bilinear")));
        for (String key : List.of("pipeline.gan.resolution", "pipeline.gan.batch-size", "pipeline.gan.channels",
                "pipeline.gan.restoration-mix.checkpoint", "pipeline.gan.label-smoothing", "pipeline.gan.upsampling")) {
            assertTrue(e.getMessage().contains(key), key + " missing from: " + e.getMessage());
        }
    }
}
