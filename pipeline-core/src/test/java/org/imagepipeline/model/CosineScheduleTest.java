package org.imagepipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CosineScheduleTest {
    @Test
    void annealsFromInitialToFinalThenHolds() {
        CosineSchedule s = new CosineSchedule(1.0, 0.1, 100);
        assertEquals(1.0, s.valueAt(0, 0), 1e-12);
        assertEquals(0.55, s.valueAt(50, 0), 1e-12);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI * 0.25)), s.valueAt(25, 3), 1e-12);
        assertEquals(0.1, s.valueAt(100, 0), 1e-12);
        assertEquals(0.1, s.valueAt(5000, 9), 1e-12);
    }
}
