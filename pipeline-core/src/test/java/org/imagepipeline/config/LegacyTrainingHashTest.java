package org.imagepipeline.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The v1 training hashes of {@link LegacyHashCases}, as the code of commit e5f0617 computed them
 * (its trainingHash methods, printed by LegacyCheckpointsMaker#printHashes then): checkpoints
 * recorded them, so the legacy form must reproduce them and resume must accept them.
 */
class LegacyTrainingHashTest {
    private static final List<String> RESTORATION = List.of("0779a27424c0e10b", "d32a5cde88f6526a", "0072c5a5cc62d23b",
            "ffd6e0d1a04eb75b", "3b2f9c034a048bad", "1b3c112098433ca8");
    /** At seed 42 with 2 workers, then at seed 7 with 3. */
    private static final List<String> GAN = List.of("afd25a1e937ba82e", "9cc0a4ee47943c7f", "73fc088bbf3b8d33", "8cdde2f4ebec2c87",
            "467de7ab2cf14036", "a0c9536c8fa9f607", "7cac518512536f6f", "b4cadf044699c550");

    @Test
    void restorationHashesAreTheRecordedOnes() {
        for (int i = 0; i < RESTORATION.size(); i++) {
            Map<String, String> o = LegacyHashCases.RESTORATION.get(i);
            PipelineSettings s = PipelineSettings.load(List.of(), o);
            assertEquals(RESTORATION.get(i), s.legacyTrainingHash(), o.toString());
            assertTrue(s.acceptsTrainingHash(RESTORATION.get(i)), o.toString());
        }
    }

    @Test
    void ganHashesAreTheRecordedOnes() {
        for (int i = 0; i < LegacyHashCases.GAN.size(); i++) {
            Map<String, String> o = LegacyHashCases.GAN.get(i);
            GanSettings g = PipelineSettings.load(List.of(), o).gan();
            assertEquals(GAN.get(2 * i), g.legacyTrainingHash(42, 2), o.toString());
            assertEquals(GAN.get(2 * i + 1), g.legacyTrainingHash(7, 3), o.toString());
            assertTrue(g.acceptsTrainingHash(GAN.get(2 * i), 42, 2), o.toString());
            assertFalse(g.acceptsTrainingHash(GAN.get(2 * i), 42, 3), "v1 hashed the workers too: " + o);
        }
    }
}
