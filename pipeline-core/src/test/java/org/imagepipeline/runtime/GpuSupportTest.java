package org.imagepipeline.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verdicts on nvidia-smi's name,compute_cap lines; no GPU needed. */
class GpuSupportTest {

    @Test
    void theSupportedListIsWhatTheReleasedNatives() {
        assertEquals(List.of("3.7", "5.0", "5.2", "6.0", "6.1", "7.0", "7.5", "8.0", "8.6"), GpuSupport.SUPPORTED);
    }

    @Test
    void h100IsUnsupportedWithAMessageNamingDeviceCapabilityAndList() {
        GpuSupport.Assessment a = GpuSupport.assess(List.of("NVIDIA H100 80GB HBM3, 9.0"));
        assertEquals(GpuSupport.Verdict.UNSUPPORTED, a.verdict());
        assertEquals(3, a.verdict().exitCode());
        assertFalse(a.ok());
        assertEquals(List.of(new GpuSupport.Device(0, "NVIDIA H100 80GB HBM3", "9.0")), a.devices());
        assertTrue(a.message().contains("\"NVIDIA H100 80GB HBM3\" (compute capability 9.0)"), a.message());
        assertTrue(a.message().contains("3.7, 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0, 8.6"), a.message());
        assertTrue(a.message().contains("no PTX"), a.message());
    }

    @Test
    void v100IsSupported() {
        GpuSupport.Assessment a = GpuSupport.assess(List.of("Tesla V100-SXM2-16GB, 7.0"));
        assertEquals(GpuSupport.Verdict.SUPPORTED, a.verdict());
        assertEquals(0, a.verdict().exitCode());
        assertTrue(a.ok());
        assertTrue(a.message().contains("Tesla V100-SXM2-16GB"), a.message());
    }

    @Test
    void adaL4IsUnsupportedAlthoughItIsAnEightPointSomething() {
        GpuSupport.Assessment a = GpuSupport.assess(List.of("NVIDIA L4, 8.9"));
        assertEquals(GpuSupport.Verdict.UNSUPPORTED, a.verdict());
        assertTrue(a.message().contains("\"NVIDIA L4\" (compute capability 8.9)"), a.message());
    }

    @Test
    void otherCapabilitiesBetweenTheListedOnesAreUnsupported() {
        for (String cap : List.of("7.2", "8.7", "3.5", "3.0", "10.0", "12.0")) {
            assertFalse(GpuSupport.isSupported(cap), cap);
        }
        for (String cap : List.of("3.7", "6.1", "7.5", "8.0", " 8.6 ")) {
            assertTrue(GpuSupport.isSupported(cap), cap);
        }
    }

    @Test
    void severalGpusAreUnsupportedWhenAnyIsAndTheGoodOnesAreNamed() {
        GpuSupport.Assessment a = GpuSupport.assess(List.of("NVIDIA A100-SXM4-40GB, 8.0", "", "NVIDIA H200, 9.0"));
        assertEquals(GpuSupport.Verdict.UNSUPPORTED, a.verdict());
        assertEquals(2, a.devices().size());
        assertEquals(1, a.devices().get(1).index());
        assertTrue(a.message().contains("\"NVIDIA H200\""), a.message());
        assertTrue(a.message().contains("CUDA_VISIBLE_DEVICES"), a.message());
        assertTrue(GpuSupport.assess(List.of("Tesla T4, 7.5", "NVIDIA A10, 8.6")).ok());
    }

    @Test
    void aNameWithACommaReadsToTheLastComma() {
        GpuSupport.Device d = GpuSupport.parseLine(0, "Vendor, Model X, 6.1");
        assertEquals("Vendor, Model X", d.name());
        assertEquals("6.1", d.capability());
        assertEquals("8.6", GpuSupport.parseLine(0, "GeForce RTX 3090,08.06").capability());
    }

    @Test
    void noLinesMeansNoGpu() {
        GpuSupport.Assessment a = GpuSupport.assess(List.of("", "  "));
        assertEquals(GpuSupport.Verdict.NO_GPU, a.verdict());
        assertEquals(2, a.verdict().exitCode());
        assertTrue(a.message().contains("listed no GPU"), a.message());
    }

    @Test
    void garbageIsAClearError() {
        GpuSupport.Assessment a = GpuSupport.assess(List.of("Field \"compute_cap\" is not a valid field to query."));
        assertEquals(GpuSupport.Verdict.UNREADABLE, a.verdict());
        assertEquals(2, a.verdict().exitCode());
        assertTrue(a.message().contains("has no comma"), a.message());
        assertTrue(a.message().contains("\"<name>, <major>.<minor>\""), a.message());

        GpuSupport.Assessment na = GpuSupport.assess(List.of("Tesla K80, [N/A]"));
        assertEquals(GpuSupport.Verdict.UNREADABLE, na.verdict());
        assertTrue(na.message().contains("capability \"[N/A]\""), na.message());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSupport.parseLine(2, ", 7.0"));
        assertTrue(e.getMessage().startsWith("Line 3 of nvidia-smi's output"), e.getMessage());
    }
}
