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
    void anUnsetTileMarginIsTheRadiusCappedToFitTheOverlap() {
        RestoreSettings defaults = PipelineSettings.load(List.of(), Map.of()).restore();
        assertEquals(40, defaults.tileOverlap());
        assertEquals(17, defaults.resolvedTileMargin(17), "DnCNN-17's radius fits in an overlap of 40");
        assertEquals(19, defaults.resolvedTileMargin(30), "capped at (40 - 1) / 2");
        RestoreSettings small = PipelineSettings.load(List.of(), Map.of("restore.tile-overlap", "8")).restore();
        assertEquals(3, small.resolvedTileMargin(17));
        RestoreSettings none = PipelineSettings.load(List.of(), Map.of("restore.tile-overlap", "0")).restore();
        assertEquals(0, none.resolvedTileMargin(17), "no overlap, no margin");
        RestoreSettings set = PipelineSettings.load(List.of(), Map.of("restore.tile-overlap", "8", "restore.tile-margin", "2"))
                .restore();
        assertEquals(2, set.resolvedTileMargin(17), "a margin that is set is kept, whatever the model");
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
