package org.imagepipeline.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {

    private static String hashOf(int i) {
        return ContentHash.sha256Hex(("image-" + i).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sha256MatchesTheStandardTestVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                ContentHash.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void fractionsAreRespectedOverManyHashes() {
        int n = 40_000;
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(Splits.assign(hashOf(i), 0.1, 0.2), 1, Integer::sum);
        }
        // Binomial standard deviations are 60 (val) and 80 (test); allow 4 of them.
        assertEquals(0.1 * n, counts.get(Splits.VAL), 240);
        assertEquals(0.2 * n, counts.get(Splits.TEST), 320);
        assertEquals(n, counts.get(Splits.TRAIN) + counts.get(Splits.VAL) + counts.get(Splits.TEST));
    }

    @Test
    void theSplitDependsOnTheHashOnly() {
        String hash = hashOf(42);
        String first = Splits.assign(hash, 0.15, 0.15);
        for (int i = 0; i < 100; i++) {
            assertEquals(first, Splits.assign(new String(hash.toCharArray()), 0.15, 0.15));
        }
        assertEquals(Splits.TEST, Splits.assign("0000000000000000" + "00".repeat(24), 0.1, 0.1));
        assertEquals(Splits.TRAIN, Splits.assign("ffffffffffffffff" + "00".repeat(24), 0.1, 0.1));
        assertEquals(Splits.TRAIN, Splits.assign(hash, 0, 0));
    }

    @Test
    void growingTheValidationShareNeverMovesTestImages() {
        for (int i = 0; i < 5_000; i++) {
            String h = hashOf(i);
            String small = Splits.assign(h, 0.05, 0.1);
            String large = Splits.assign(h, 0.2, 0.1);
            if (small.equals(Splits.TEST)) assertEquals(Splits.TEST, large);
            if (small.equals(Splits.VAL)) assertEquals(Splits.VAL, large);
            if (large.equals(Splits.TEST)) assertEquals(Splits.TEST, small);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Splits.assign(hashOf(1), 0.6, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Splits.assign(hashOf(1), -0.1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Splits.assign(hashOf(1), Double.NaN, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Splits.assign("abc", 0.1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Splits.assign("zzzzzzzzzzzzzzzzzz", 0.1, 0.1));
    }

    @Test
    void ingestSettingsReportEveryProblemAtOnce() {
        new IngestSettings("hdfs://nn/images", "file:/tmp/catalog", 1, 0.1, 0.1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IngestSettings(null, null, 0, 0.7, 0.5, -1));
        String m = e.getMessage();
        assertTrue(m.startsWith("Invalid ingest settings: pipeline.ingest.input must name"), m);
        for (String key : new String[] {"catalog", "max-pixels", "val-fraction + pipeline.ingest.test-fraction",
                "min-partitions"}) {
            assertTrue(m.contains("pipeline.ingest." + key), key + " missing from: " + m);
        }
        assertTrue(m.endsWith("got -1."), m);
        assertThrows(IllegalArgumentException.class, () -> new IngestSettings("a", "b", 1, 1.0, 0, 0));
    }
}
