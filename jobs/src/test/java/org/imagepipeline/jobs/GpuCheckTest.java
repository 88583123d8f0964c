package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gpu-check job's CPU half: the reference it writes is what verify reads, and verify's
 * comparison of this backend against that reference passes (here CPU against CPU).
 */
class GpuCheckTest {

    @Test
    void referenceThenCompareOnTheSameBackendAgrees(@TempDir Path dir) throws Exception {
        GpuCheck.writeReference(dir);
        for (String f : new String[] {GpuCheck.MODEL, GpuCheck.INPUT, GpuCheck.EXPECTED, GpuCheck.IMAGE,
                GpuCheck.EXPECTED_RESTORED, GpuCheck.INFO}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        GpuCheck.Comparison c = GpuCheck.compare(dir, GpuCheck.TOLERANCE);
        assertTrue(c.pass(), c.toString());
        assertTrue(c.forwardMaxAbsDiff() < 1e-6, c.toString());
        assertTrue(c.restoreMaxAbsDiff() < 1e-6, c.toString());
    }

    @Test
    void aChangedExpectationFailsTheComparison(@TempDir Path dir) throws Exception {
        GpuCheck.writeReference(dir);
        // The restore expectation of another image shape can never match.
        Files.copy(dir.resolve(GpuCheck.EXPECTED), dir.resolve(GpuCheck.EXPECTED_RESTORED),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        GpuCheck.Comparison c = GpuCheck.compare(dir, GpuCheck.TOLERANCE);
        assertEquals(Double.POSITIVE_INFINITY, c.restoreMaxAbsDiff());
        assertTrue(!c.pass(), c.toString());
    }

    @Test
    void aMissingReferenceIsNamed(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GpuCheck.compare(dir, GpuCheck.TOLERANCE));
        assertTrue(e.getMessage().contains("has no model.zip"), e.getMessage());
        assertTrue(e.getMessage().contains("gpu-check reference"), e.getMessage());
    }

    @Test
    void throughputIsMeasured() {
        ObjectNode n = GpuCheck.trainThroughput(GpuCheck.REFERENCE_SPEC, 4, 24, 1, 2);
        assertTrue(n.get("samples_per_second").asDouble() > 0, n.toString());
        assertEquals(4, n.get("batch").asInt());
        assertTrue(n.has("conv_helper"), n.toString());
    }

    @Test
    void theJobNeedsAModeAndADirectory(@TempDir Path dir) {
        assertEquals(1, Main.run(new String[] {"gpu-check"}));
        assertEquals(1, Main.run(new String[] {"gpu-check", "reference"}));
        assertEquals(0, Main.run(new String[] {"gpu-check", "reference", dir.toString()}));
        assertTrue(Files.isRegularFile(dir.resolve(GpuCheck.MODEL)));
        // verify refuses the CPU build (or a machine without a supported GPU) with exit status 1.
        assertEquals(1, Main.run(new String[] {"gpu-check", "verify", dir.toString()}));
    }
}
