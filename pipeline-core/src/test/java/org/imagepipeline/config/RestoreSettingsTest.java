package org.imagepipeline.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestoreSettingsTest {
    @Test
    void defaultsAndListsAreRead() {
        RestoreSettings r = PipelineSettings.load(List.of(), Map.of("restore.model", "file:/a/run, file:/b/ckpt",
                "restore.exclude-globs", "*.txt,tmp/*")).restore();
        assertEquals(List.of("file:/a/run", "file:/b/ckpt"), r.models());
        assertEquals(List.of("*"), r.include());
        assertEquals(List.of("*.txt", "tmp/*"), r.exclude());
        assertEquals(RestoreSettings.Format.SAME, r.format());
        assertEquals(-1, r.tileMargin());
        assertFalse(r.selfEnsemble());
        assertFalse(r.allowOutputInsideInput());
    }

    @Test
    void everyBadKeyIsReportedAtOnce() {
        SettingsException e = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(), Map.of(
                "restore.format", "webp", "restore.jpeg-quality", "0", "restore.tile-size", "64",
                "restore.tile-overlap", "64", "restore.batch-size", "x")));
        String m = e.getMessage();
        for (String key : List.of("pipeline.restore.format", "pipeline.restore.jpeg-quality", "pipeline.restore.tile-overlap",
                "pipeline.restore.batch-size")) {
            assertTrue(m.contains(key), key + " in: " + m);
        }
        assertTrue(m.contains("webp"), m);
        SettingsException margin = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(), Map.of(
                "restore.tile-overlap", "8", "restore.tile-margin", "4")));
        assertTrue(margin.getMessage().contains("pipeline.restore.tile-margin"), margin.getMessage());
    }
}
