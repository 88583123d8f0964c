package org.imagepipeline.restore;

import org.apache.hadoop.conf.Configuration;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.RestoreSettings;
import org.imagepipeline.config.SettingsException;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.Image;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a retried restore task learns which file took its predecessors' executors down: the markers
 * ({@link ExecutorLossMarkers}) and {@link PartitionRestorer} in its retried mode, on the local
 * file system. The executor deaths themselves are in the jobs module's StandaloneClusterTest.
 */
class ExecutorLossTest {
    private static final Configuration CONF = new Configuration();

    @TempDir Path tmp;

    private org.apache.hadoop.fs.Path dir() {
        return new org.apache.hadoop.fs.Path(tmp.resolve("attempts/task-00003").toUri());
    }

    @Test
    void aFileStartedAndNeverFinishedCountsForLaterAttemptsOnly() {
        String odd = "deep/ünïcödé name: with spaces/../x?.png";
        ExecutorLossMarkers first = new ExecutorLossMarkers(CONF, dir(), "3", 11);
        assertEquals(0, first.earlierLosses(odd), "no folder yet: no losses");
        first.started(odd);
        first.started("done.png");
        first.finished("done.png");
        // attempt 11 died here, with `odd` in flight

        ExecutorLossMarkers second = new ExecutorLossMarkers(CONF, dir(), "3", 12);
        assertEquals(1, second.earlierLosses(odd));
        assertEquals(0, second.earlierLosses("done.png"), "a finished file does not count");
        assertEquals(0, second.earlierLosses("deep/other.png"));
        assertEquals(0, new ExecutorLossMarkers(CONF, dir(), "3", 11).earlierLosses(odd), "an attempt's own marker does not count");
        second.started(odd);

        assertEquals(2, new ExecutorLossMarkers(CONF, dir(), "3", 13).earlierLosses(odd));
        assertEquals(0, new ExecutorLossMarkers(CONF, new org.apache.hadoop.fs.Path(tmp.resolve("attempts/task-00004").toUri()),
                "4", 13).earlierLosses(odd), "another task's markers are its own");
    }

    @Test
    void aRetriedTaskFailsTheFileThatKilledAnEarlierAttemptAndRestoresTheRestOneAtATime() throws IOException {
        Path in = tmp.resolve("in");
        SyntheticImages.writePngs(in, 4, 24, 3, 5);
        List<PartitionRestorer.Planned> planned = new ArrayList<>();
        try (Stream<Path> files = Files.list(in)) {
            for (Path f : files.sorted().toList()) {
                String rel = f.getFileName().toString();
                planned.add(new PartitionRestorer.Planned(new InputListing.Entry(rel, f.toUri().toString(), Files.size(f), null),
                        rel, "png", null));
            }
        }
        String poisoned = planned.get(1).entry().rel();
        new ExecutorLossMarkers(CONF, dir(), "3 of stage 1", 7).started(poisoned); // attempt 7 died on it

        Path out = tmp.resolve("out");
        List<Long> markersDuringForwardPasses = new ArrayList<>();
        TileModel identity = tiles -> {
            markersDuringForwardPasses.add(markerCount(".8"));
            return tiles.stream().map(Image::copy).toList();
        };
        List<ManifestRow> rows = restorer(identity, out, Map.of()).run(planned.iterator(),
                new ExecutorLossMarkers(CONF, dir(), "3 of stage 1", 8));

        Map<String, ManifestRow> byInput = new HashMap<>();
        for (ManifestRow r : rows) assertEquals(null, byInput.put(r.input(), r), "one row per input");
        assertEquals(4, byInput.size());
        ManifestRow failed = byInput.get(poisoned);
        assertEquals(ManifestRow.FAILED, failed.status());
        assertTrue(failed.reason().startsWith("the executor died while restoring this file (1 attempt of task 3 of stage 1)"),
                failed.reason());
        assertFalse(Files.exists(out.resolve(poisoned)), "the poisoned file is not restored again");
        for (PartitionRestorer.Planned p : planned) {
            if (p.entry().rel().equals(poisoned)) continue;
            assertEquals(ManifestRow.RESTORED, byInput.get(p.entry().rel()).status(), byInput.toString());
            BufferedImage img = ImageIO.read(out.resolve(p.outRel()).toFile());
            assertTrue(img != null && img.getWidth() == 24, "a whole output for " + p.entry().rel());
        }
        // One file at a time: exactly this attempt's one marker during each forward pass, so a death names one file.
        assertFalse(markersDuringForwardPasses.isEmpty());
        assertTrue(markersDuringForwardPasses.stream().allMatch(n -> n == 1L), markersDuringForwardPasses.toString());
        assertEquals(0, markerCount(".8"), "finished files leave no marker");
        assertEquals(1, markerCount(".7"), "the dead attempt's marker stays until the job ends");
    }

    @Test
    void aFileIsTriedAgainUntilItHasKilledMaxExecutorLossesAttempts() throws IOException {
        PartitionRestorer.Planned p = onePng();
        new ExecutorLossMarkers(CONF, dir(), "3", 7).started(p.entry().rel());

        List<ManifestRow> rows = restorer(tiles -> tiles.stream().map(Image::copy).toList(), tmp.resolve("out"),
                Map.of("restore.max-executor-losses-per-file", "2")).run(List.of(p).iterator(), new ExecutorLossMarkers(CONF, dir(), "3", 8));
        assertEquals(ManifestRow.RESTORED, rows.get(0).status(), "one loss of two allowed: " + rows);
    }

    @Test
    void anAttemptEndedByAnExceptionDoesNotBlameItsFile() throws IOException {
        PartitionRestorer.Planned p = onePng();
        TileModel broken = tiles -> {
            throw new IllegalStateException("no native backend");
        };
        assertThrows(IllegalStateException.class, () -> restorer(broken, tmp.resolve("out"), Map.of())
                .run(List.of(p).iterator(), new ExecutorLossMarkers(CONF, dir(), "3", 8)));
        assertEquals(0, new ExecutorLossMarkers(CONF, dir(), "3", 9).earlierLosses(p.entry().rel()),
                "the JVM survived: the next attempt tries the file again");
    }

    @Test
    void settingsAreValidatedAndTheHaltHookIsRefusedInLocalMode() {
        RestoreSettings defaults = PipelineSettings.load(List.of(), Map.of()).restore();
        assertEquals(1, defaults.maxExecutorLossesPerFile());
        assertEquals("", defaults.haltOn());
        var bad = assertThrows(SettingsException.class,
                () -> PipelineSettings.load(List.of(), Map.of("restore.max-executor-losses-per-file", "0")));
        assertTrue(bad.getMessage().contains("pipeline.restore.max-executor-losses-per-file"), bad.getMessage());

        RestoreSettings halting = PipelineSettings.load(List.of(), Map.of("testing.restore.halt-on", "*.png")).restore();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BulkRestore.checkExecutorLossSettings(halting, TestSpark.get()));
        assertTrue(e.getMessage().contains("pipeline.testing.restore.halt-on") && e.getMessage().contains("local[2]"), e.getMessage());
    }

    /** One small gray PNG, planned to a.png. */
    private PartitionRestorer.Planned onePng() throws IOException {
        Path in = tmp.resolve("in");
        SyntheticImages.writePngs(in, 1, 16, 1, 5);
        Path f = in.resolve("synthetic-00000.png");
        return new PartitionRestorer.Planned(new InputListing.Entry(f.getFileName().toString(), f.toUri().toString(), Files.size(f),
                null), "a.png", "png", null);
    }

    private PartitionRestorer restorer(TileModel model, Path out, Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>(Map.of("restore.tile-size", "16", "restore.tile-overlap", "4"));
        keys.putAll(overrides);
        RestoreSettings s = PipelineSettings.load(List.of(), keys).restore();
        return new PartitionRestorer(CONF, s, model, 0, "m", "v1", new org.apache.hadoop.fs.Path(out.toUri()), "run", Map.of());
    }

    private long markerCount(String attemptSuffix) {
        try (Stream<Path> s = Files.list(tmp.resolve("attempts/task-00003"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(attemptSuffix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
