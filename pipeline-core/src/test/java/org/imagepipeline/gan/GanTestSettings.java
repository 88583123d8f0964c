package org.imagepipeline.gan;

import org.imagepipeline.config.GanSettings;
import org.imagepipeline.config.PipelineSettings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tiny GAN settings for tests: 28 px gray, small latent and feature counts. */
final class GanTestSettings {
    private GanTestSettings() {}

    static PipelineSettings settings(Map<String, String> extra) {
        Map<String, String> o = new HashMap<>();
        o.put("gan.resolution", "28");
        o.put("gan.channels", "1");
        o.put("gan.latent-size", "8");
        o.put("gan.generator-features", "4");
        o.put("gan.discriminator-features", "4");
        o.putAll(extra);
        return PipelineSettings.load(List.of(), o);
    }

    static GanSettings gan(Map<String, String> extra) {
        return settings(extra).gan();
    }
}
