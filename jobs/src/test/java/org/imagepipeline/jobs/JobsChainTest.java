package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imagepipeline.data.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs as a user runs them, one after another through the dispatcher on local[2]: ingest,
 * prepare, train-restoration (then resume it for one more epoch), evaluate.
 */
class JobsChainTest {
    @TempDir Path tmp;

    private static final List<String> SETTINGS = List.of(
            "ingest.val-fraction=0.2", "ingest.test-fraction=0.2",
            "model.dncnn.depth=3", "model.dncnn.features=8", "model.dncnn.batch-norm=false",
            "prepare.patch-size=16", "prepare.patches-per-image=4", "prepare.preview-pairs=4",
            "train.batch-size-per-worker=4", "train.val-crop=32", "eval.crop=32", "eval.samples=1");

    private String[] args(String job, String... extra) {
        return LocalArgs.of(tmp, job, SETTINGS, extra);
    }

    @Test
    void ingestPrepareTrainResumeEvaluate() throws Exception {
        SyntheticImages.writePngs(tmp.resolve("images"), 20, 40, 1, 3);
        Files.writeString(tmp.resolve("images/notes.png"), "not an image");

        assertEquals(0, Main.run(args("ingest")));
        assertTrue(Files.isDirectory(tmp.resolve("catalog/images")));
        assertTrue(Files.isDirectory(tmp.resolve("catalog/rejects")));

        assertEquals(0, Main.run(args("prepare", "run.id=prep")));
        JsonNode prep = new ObjectMapper().readTree(tmp.resolve("runs/prep/prepare/summary.json").toFile());
        assertEquals(0, prep.get("patches").asLong() % 4, "4 patches for each train image");
        assertTrue(prep.get("patches").asLong() >= 4 * 8, "most of the 20 images are in the train split");
        assertTrue(Files.size(tmp.resolve("runs/prep/prepare/preview.png")) > 0);

        assertEquals(0, Main.run(args("train-restoration", "run.id=r1", "train.epochs=1")));
        assertTrue(Files.exists(tmp.resolve("runs/r1/config.conf")));
        assertTrue(Files.readString(tmp.resolve("runs/r1/config.conf")).contains("batch-size-per-worker"));
        assertEquals(0, Main.run(args("train-restoration", "run.id=r1", "train.epochs=2", "train.resume=true")));
        List<String> lines = Files.readAllLines(tmp.resolve("runs/r1/metrics.jsonl"));
        assertEquals(2, lines.size());
        assertEquals(2, new ObjectMapper().readTree(lines.get(1)).get("epoch").asInt());

        // Settings that differ from the run's own model settings do not break the checkpoint.
        assertEquals(0, Main.run(args("evaluate", "run.id=r1", "model.dncnn.depth=5")));
        JsonNode eval = new ObjectMapper().readTree(tmp.resolve("runs/r1/eval/metrics.json").toFile());
        assertTrue(eval.get("images").asInt() > 0);
        assertTrue(eval.get("checkpoint").asText().contains("runs/r1/checkpoints/epoch-000"));
        try (Stream<Path> s = Files.list(tmp.resolve("runs/r1/eval/samples"))) {
            assertEquals(3, s.count());
        }
    }

    @Test
    void jobsThatNeedARunSayWhichKey() {
        assertEquals(1, Main.run(args("evaluate")));
        assertEquals(1, Main.run(args("train-restoration", "train.resume=true")));
        assertEquals(1, Main.run(args("evaluate", "run.id=missing")));
    }
}
