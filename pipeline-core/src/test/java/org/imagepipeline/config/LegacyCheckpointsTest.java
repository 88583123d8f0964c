package org.imagepipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.imagepipeline.gan.GanCheckpoint;
import org.imagepipeline.gan.GanTrainer;
import org.imagepipeline.restoration.RestorationTrainer;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.MetricsLog;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.testing.GeneratedImagesRoot;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run directories of src/test/resources/legacy-checkpoints (made before the training hash was
 * versioned, recording the v1 hash; see its README) resume with the current code, loaded the way a
 * user resumes: with the run's own config.conf. A changed training-relevant setting is still refused.
 */
class LegacyCheckpointsTest {
    @TempDir Path tmp;

    @Test
    void aLegacyRestorationCheckpointResumesFromItsEpoch() throws Exception {
        Path root = tmp.resolve("restoration");
        Path run = copyLegacy("restoration", root.resolve("runs/legacy-restoration"));
        GeneratedImagesRoot data = new GeneratedImagesRoot(root, 16, 32, 1, 5, LegacyCheckpointsMaker.RESTORATION,
                o -> PipelineSettings.load(List.of(run.resolve("config.conf")), o));
        RunDir dir = data.run("legacy-restoration");
        CheckpointStore store = new CheckpointStore(dir.checkpoints(), dir.hadoopConf());
        String recorded = store.loadNewest().orElseThrow().state().configHash();
        assertEquals("7ce7e6916405397c", recorded, "the resource records the v1 hash");

        Map<String, String> resume = Map.of("run.id", "legacy-restoration", "train.resume", "true", "train.epochs", "3");
        PipelineSettings changed = data.settings(with(resume, "train.learning-rate", "0.002"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new RestorationTrainer(changed).train(TestSpark.get(), dir, changed.catalogDir()));
        assertTrue(refused.getMessage().contains("was trained with other settings (config hash " + recorded), refused.getMessage());

        PipelineSettings s = data.settings(resume);
        assertNotEquals(recorded, s.trainingHash(), "the current hash is the versioned digest");
        assertTrue(s.acceptsTrainingHash(recorded));
        RestorationTrainer.Result r = new RestorationTrainer(s).train(TestSpark.get(), dir, s.catalogDir());

        assertEquals(3, r.epochsDone());
        List<JsonNode> lines = MetricsLog.read(dir);
        assertEquals(List.of(3), lines.stream().map(l -> l.get("epoch").asInt()).toList(), "only the third epoch was trained");
        var third = CheckpointStore.load(store.dirFor(3), dir.hadoopConf()).state();
        assertEquals(3, third.epochsDone());
        assertEquals(4 + 2, third.iteration(), "the iteration count goes on from the legacy checkpoint's 4");
        assertEquals(s.trainingHash(), third.configHash(), "new checkpoints record the current hash");
    }

    @Test
    void aLegacyGanCheckpointResumesFromItsStep() throws Exception {
        Path root = tmp.resolve("gan");
        Path run = copyLegacy("gan", root.resolve("runs/legacy-gan"));
        GeneratedImagesRoot data = new GeneratedImagesRoot(root, 16, 28, 1, 5, LegacyCheckpointsMaker.GAN,
                o -> PipelineSettings.load(List.of(run.resolve("config.conf")), o));
        RunDir dir = data.run("legacy-gan");
        CheckpointStore store = GanCheckpoint.store(dir.checkpoints(), dir.hadoopConf());
        var legacy = GanCheckpoint.loadNewest(store, dir.hadoopConf()).orElseThrow().state();
        assertEquals("4af803a3b11035cb", legacy.configHash(), "the resource records the v1 hash");

        Map<String, String> resume = Map.of("run.id", "legacy-gan", "gan.resume", "true", "gan.steps", "3");
        PipelineSettings changed = data.settings(with(resume, "gan.label-smoothing", "0.2"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new GanTrainer(changed).train(TestSpark.get(), dir, changed.catalogDir()));
        assertTrue(refused.getMessage().contains("was trained with other settings (config hash " + legacy.configHash()),
                refused.getMessage());

        PipelineSettings s = data.settings(resume);
        GanTrainer.Result r = new GanTrainer(s).train(TestSpark.get(), dir, s.catalogDir());

        assertEquals(3, r.steps());
        assertEquals(List.of(3), MetricsLog.read(dir).stream().map(l -> l.get("step").asInt()).toList(),
                "only the third round was trained");
        var third = GanCheckpoint.loadNewest(store, dir.hadoopConf()).orElseThrow();
        assertEquals(store.dirFor(3), third.dir());
        assertEquals(3, third.state().step());
        // 2 workers x 4 images x (1 + 1) minibatches per round: the counter goes on from the legacy 32.
        assertEquals(legacy.examples() + 16, third.state().examples());
        assertEquals(s.gan().trainingHash(s.run().seed(), 2), third.state().configHash(), "new checkpoints record the current hash");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    /** Copies the resource run directory {@code name} to {@code to}. */
    private static Path copyLegacy(String name, Path to) throws IOException, URISyntaxException {
        Path from = Path.of(LegacyCheckpointsTest.class.getResource("/legacy-checkpoints/" + name).toURI());
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        return to;
    }
}
