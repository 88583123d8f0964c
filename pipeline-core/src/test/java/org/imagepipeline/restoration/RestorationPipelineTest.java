package org.imagepipeline.restoration;

import org.imagepipeline.store.MetricsLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.eval.Evaluator;
import org.imagepipeline.report.RunReport;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.testing.GeneratedImagesRoot;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restoration chain end to end on local[2]: generated images, ingest, parameter-averaged
 * training, checkpoints, evaluation and report; and resume equivalence.
 */
class RestorationPipelineTest {
    @TempDir static java.nio.file.Path tmp;
    static SparkSession spark;
    static GeneratedImagesRoot data;

    @BeforeAll
    static void ingestGeneratedImages() {
        spark = TestSpark.get();
        data = new GeneratedImagesRoot(tmp, 36, 64, 3, 7, """
                ingest.val-fraction = 0.15
                ingest.test-fraction = 0.15
                model.dncnn.depth = 4
                model.dncnn.features = 12
                model.dncnn.batch-norm = false
                prepare.patch-size = 24
                prepare.patches-per-image = 8
                train.batch-size-per-worker = 8
                train.averaging-frequency = 2
                train.learning-rate = 0.01
                train.val-max-images = 4
                train.val-crop = 48
                eval.crop = 48
                eval.samples = 2
                """);
    }

    static PipelineSettings settings(Map<String, String> extra) {
        return data.settings(extra);
    }

    private static RunDir run(String id) {
        return data.run(id);
    }

    @Test
    void trainsCheckpointsEvaluatesAndBeatsTheDegradedInput() throws Exception {
        PipelineSettings s = settings(Map.of("train.epochs", "3"));
        RunDir run = run("e2e");
        RestorationTrainer.Result r = new RestorationTrainer(s).train(spark, run, s.catalogDir());
        assertEquals(3, r.epochsDone());

        List<JsonNode> lines = MetricsLog.read(run);
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) {
            JsonNode l = lines.get(i);
            assertEquals(i + 1, l.get("epoch").asInt());
            assertTrue(l.get("train_loss").asDouble() > 0);
            assertTrue(l.get("samples_per_second").asDouble() > 0);
            assertTrue(l.get("val").get("ssim").asDouble() > 0);
        }
        assertTrue(lines.get(2).get("iteration").asLong() > lines.get(0).get("iteration").asLong());
        assertEquals(List.of(1, 2, 3), new CheckpointStore(run.checkpoints(), run.hadoopConf()).committedEpochs());

        Evaluator.Result e = Evaluator.run(spark, s, run, new Path(r.bestCheckpoint()), s.catalogDir());
        assertTrue(e.images() > 0);
        assertTrue(e.output().psnr() > e.input().psnr() + 1.0,
                "restored PSNR " + e.output().psnr() + " should beat the noisy input's " + e.input().psnr());
        assertTrue(e.output().ssim() > e.input().ssim());
        JsonNode doc = new ObjectMapper().readTree(tmp.resolve("runs/e2e/eval/metrics.json").toFile());
        assertEquals(e.images(), doc.get("images").asLong());
        assertEquals(e.output().psnr(), doc.get("output").get("psnr").asDouble(), 1e-9);
        try (var samples = Files.list(tmp.resolve("runs/e2e/eval/samples"))) {
            assertEquals(6, samples.count(), "degraded, restored and truth for 2 samples");
        }
        assertTrue(Files.size(tmp.resolve("runs/e2e/samples/epoch-0003.png")) > 0);

        RunReport.write(run);
        String html = Files.readString(tmp.resolve("runs/e2e/report/index.html"));
        assertTrue(html.contains("restored") && html.contains("epoch-0003.png"), html);
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() {
        PipelineSettings full = settings(Map.of("train.epochs", "3"));
        RunDir a = run("straight");
        new RestorationTrainer(full).train(spark, a, full.catalogDir());

        RunDir b = run("interrupted");
        new RestorationTrainer(settings(Map.of("train.epochs", "2"))).train(spark, b, full.catalogDir());
        new RestorationTrainer(settings(Map.of("train.epochs", "3", "train.resume", "true"))).train(spark, b, full.catalogDir());

        var wa = new CheckpointStore(a.checkpoints(), a.hadoopConf()).loadNewest().orElseThrow();
        var wb = new CheckpointStore(b.checkpoints(), b.hadoopConf()).loadNewest().orElseThrow();
        assertEquals(3, wb.state().epochsDone());
        assertEquals(wa.state().iteration(), wb.state().iteration());
        double maxDiff = wa.graph().params().sub(wb.graph().params()).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-4, "resumed weights differ from the uninterrupted run's by " + maxDiff);
        assertEquals(3, MetricsLog.read(b).size(), "one metrics line per epoch, none repeated");
    }

    @Test
    void learningRateScheduleReachesTheWorkers() {
        // Step schedule: x1e-6 after the first epoch. If the workers used the schedule, epoch 2
        // barely moves the weights; if they kept the initial rate, it moves them as much as epoch 1.
        PipelineSettings s = settings(Map.of("train.epochs", "2", "train.lr-schedule", "step",
                "train.lr-step-epochs", "1", "train.lr-gamma", "0.000001"));
        RunDir run = run("schedule");
        new RestorationTrainer(s).train(spark, run, s.catalogDir());
        List<JsonNode> lines = MetricsLog.read(run);
        assertEquals(0.01, lines.get(0).get("learning_rate").asDouble(), 1e-12);
        assertEquals(0.01e-6, lines.get(1).get("learning_rate").asDouble(), 1e-15);

        CheckpointStore store = new CheckpointStore(run.checkpoints(), run.hadoopConf());
        var first = CheckpointStore.load(store.dirFor(1), run.hadoopConf()).graph().params();
        var second = CheckpointStore.load(store.dirFor(2), run.hadoopConf()).graph().params();
        var initial = org.imagepipeline.model.RestorationModels.build(s.model()).params();
        double epoch1 = first.sub(initial).norm2Number().doubleValue();
        double epoch2 = second.sub(first).norm2Number().doubleValue();
        assertTrue(epoch2 < epoch1 * 1e-3, "epoch 2 moved the weights by " + epoch2 + " vs " + epoch1 + " in epoch 1");
    }
}
