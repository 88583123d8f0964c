package org.imagepipeline.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.model.RestorationModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    @TempDir java.nio.file.Path tmp;
    private CheckpointStore store;
    private ComputationGraph graph;

    @BeforeEach
    void setUp() {
        store = new CheckpointStore(new Path(tmp.toUri().toString(), "checkpoints"), new Configuration());
        graph = RestorationModels.build(PipelineSettings.load(List.of(),
                Map.of("model.dncnn.depth", "3", "model.dncnn.features", "4")).model());
    }

    private static TrainingState state(int epoch, int best) {
        return new TrainingState(epoch, epoch * 10L, 42, 20 + best, best, epoch - best, "abc", epoch);
    }

    private java.nio.file.Path local(int epoch, String file) {
        return tmp.resolve("checkpoints").resolve(String.format("epoch-%04d", epoch)).resolve(file);
    }

    @Test
    void roundTripKeepsParametersUpdaterAndState() {
        graph.params().addi(0.25);
        store.write(graph, state(1, 1));
        CheckpointStore.Loaded l = store.loadNewest().orElseThrow();
        assertEquals(state(1, 1), l.state());
        assertEquals(graph.params(), l.graph().params());
        assertEquals(graph.getUpdater().getStateViewArray(), l.graph().getUpdater().getStateViewArray());
        assertTrue(Files.exists(local(1, CheckpointStore.MARKER)));
    }

    @Test
    void checkpointWithoutCommitMarkerIsIgnored() throws Exception {
        store.write(graph, state(1, 1));
        store.write(graph, state(2, 2));
        Files.delete(local(2, CheckpointStore.MARKER));
        assertEquals(List.of(1), store.committedEpochs());
        assertEquals(1, store.loadNewest().orElseThrow().state().epochsDone());
    }

    @Test
    void corruptedModelFallsBackToThePreviousCheckpoint() throws Exception {
        store.write(graph, state(1, 1));
        graph.params().addi(1.0);
        store.write(graph, state(2, 2));
        try (RandomAccessFile f = new RandomAccessFile(local(2, CheckpointStore.MODEL).toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        CheckpointStore.Loaded l = store.loadNewest().orElseThrow();
        assertEquals(1, l.state().epochsDone());
        assertThrows(IllegalStateException.class, () -> CheckpointStore.load(store.dirFor(2), new Configuration()));
    }

    @Test
    void retentionKeepsTheNewestAndTheBest() {
        for (int e = 1; e <= 5; e++) store.write(graph, state(e, 2));
        store.retain(2, 2, java.util.Set.of());
        assertEquals(List.of(2, 4, 5), store.committedEpochs());
        assertEquals(store.dirFor(2), store.best());
        assertFalse(Files.exists(local(1, CheckpointStore.MODEL)));
    }

    @Test
    void retentionSparesPinnedCheckpoints() {
        for (int e = 1; e <= 5; e++) store.write(graph, state(e, 5));
        String pinned = HadoopIO.fs(store.dirFor(2), new Configuration()).makeQualified(store.dirFor(2)).toString();
        store.retain(1, 5, java.util.Set.of(pinned));
        assertEquals(List.of(2, 5), store.committedEpochs(), "the newest (and best) and the pinned one");
        assertEquals(2, CheckpointStore.load(store.dirFor(2), new Configuration()).state().epochsDone());
    }

    @Test
    void rewritingAnEpochReplacesAnUncommittedLeftover() throws Exception {
        Files.createDirectories(local(3, "x").getParent());
        Files.writeString(local(3, CheckpointStore.MODEL), "half a zip");
        store.write(graph, state(3, 3));
        assertEquals(3, store.loadNewest().orElseThrow().state().epochsDone());
    }
}
