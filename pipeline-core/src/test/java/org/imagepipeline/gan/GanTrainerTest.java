package org.imagepipeline.gan;

import org.imagepipeline.config.GanSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.restoration.RestorationTrainer;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.testing.GeneratedImagesRoot;
import org.imagepipeline.testing.TestSpark;
import org.imagepipeline.store.MetricsLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny GAN trained end to end on generated images in local[2]; resume equivalence. */
class GanTrainerTest {
    @TempDir static Path tmp;
    static SparkSession spark;
    static GeneratedImagesRoot data;

    @BeforeAll
    static void ingestGeneratedImages() {
        spark = TestSpark.get();
        data = new GeneratedImagesRoot(tmp, 40, 32, 1, 11, """
                gan.batch-size = 16
                gan.d-steps = 2
                gan.g-steps = 1
                gan.learning-rate-d = 0.002
                gan.learning-rate-g = 0.002
                gan.ema-half-life-steps = 2
                gan.ema-rampup = 0.5
                gan.lr-decay-start = 0.5
                gan.log-every = 2
                gan.sample-every = 3
                gan.sample-grid = 3
                gan.checkpoint-every = 3
                gan.steps = 6
                """, GanTestSettings::settings);
    }

    static PipelineSettings settings(Map<String, String> extra) {
        return data.settings(extra);
    }

    private static RunDir run(String id) {
        return data.run(id);
    }

    /** The uninterrupted run both tests compare with, trained once (GAN rounds are the slow part of the suite). */
    private static RunDir straight;

    private static synchronized RunDir straightRun() {
        if (straight == null) {
            PipelineSettings s = settings(Map.of());
            RunDir run = run("straight");
            var cachedBefore = Set.copyOf(JavaSparkContext.fromSparkContext(spark.sparkContext()).getPersistentRDDs().keySet());
            GanTrainer.Result r = new GanTrainer(s).train(spark, run, s.catalogDir());
            assertEquals(6, r.steps());
            // 12 phases, each a fit whose training data dl4j-spark persists: none may stay cached.
            assertEquals(cachedBefore, Set.copyOf(JavaSparkContext.fromSparkContext(spark.sparkContext()).getPersistentRDDs().keySet()),
                    "RDDs left cached by the run");
            straight = run;
        }
        return straight;
    }

    @Test
    void trainsWritesGridsMetricsAndCheckpointsAndTheDiscriminatorLearns() throws Exception {
        RunDir run = straightRun();

        List<JsonNode> lines = MetricsLog.read(run);
        assertEquals(List.of(2, 4, 6), lines.stream().map(l -> l.get("step").asInt()).toList());
        double furthestFromChance = 0;
        for (JsonNode l : lines) {
            for (String key : List.of("d_loss", "g_loss", "samples_per_second")) {
                assertTrue(l.get(key).asDouble() > 0 && Double.isFinite(l.get(key).asDouble()), key + " in " + l);
            }
            assertTrue(l.get("d_real").asDouble() > 0 && l.get("d_real").asDouble() < 1, l.toString());
            assertTrue(l.get("d_fake").asDouble() > 0 && l.get("d_fake").asDouble() < 1, l.toString());
            furthestFromChance = Math.max(furthestFromChance, Math.abs(l.get("d_accuracy").asDouble() - 0.5));
        }
        assertTrue(furthestFromChance > 0.15, "the discriminator's accuracy stayed near 50%: " + lines);

        for (String grid : List.of("step-000003.png", "step-000006.png")) {
            var image = ImageCodec.decode(Files.readAllBytes(tmp.resolve("runs/straight/samples/" + grid)), grid, 1 << 20).image();
            // 3 x 3 images of 28 px with 2 px gaps.
            assertEquals(3 * 28 + 2 * 2, image.width());
            assertEquals(3 * 28 + 2 * 2, image.height());
        }
        CheckpointStore store = GanCheckpoint.store(run.checkpoints(), run.hadoopConf());
        assertEquals(List.of(3, 6), store.committedEpochs());
        GanCheckpoint.Loaded l = GanCheckpoint.loadNewest(store, run.hadoopConf()).orElseThrow();
        assertEquals(6, l.state().step());
        assertEquals(9, l.fixedZ().size(0), "the fixed latent batch of a 3x3 grid");
        assertFalse(l.ema().params().equalsWithEps(l.generator().params(), 1e-7), "EMA lags the generator");
        ComputationGraph ema = GanCheckpoint.generator(l.dir(), run.hadoopConf(), true);
        assertEquals(0, ema.params().sub(l.ema().params()).amaxNumber().doubleValue(), 0.0);
        // Round 6 of 6 starts 5/6 through the run: learning rates at (1 - 5/6) / (1 - 0.5) = 1/3 of the
        // configured ones, in the configurations that every phase ships to the workers.
        assertEquals(0.002 / 3, learningRate(l.discriminator(), "d_conv0"), 1e-9);
        assertEquals(0.002 / 3, learningRate(l.combined(), "g_out"), 1e-9);
    }

    @Test
    void aResumedRunGetsItsScheduledLearningRatesBackNotTheDecayedOnesItsCheckpointCarries() {
        GanSettings s = settings(Map.of("gan.lr-decay-start", "0.5")).gan();
        ComputationGraph d = GanModels.discriminator(s, 1);
        ComputationGraph c = GanModels.combined(s, 2);
        GanTrainer.setLearningRates(s, 0.9, d, c);
        assertEquals(0.002 / 5, learningRate(d, "d_conv0"), 1e-9, "0.9 through the run: 1/5 of the rate");
        // As a new session with a time budget, or with a larger gan.steps, starts: before the decay.
        GanTrainer.setLearningRates(s, 0.2, d, c);
        assertEquals(0.002, learningRate(d, "d_conv0"), 1e-9);
        assertEquals(0.002, learningRate(c, "g_out"), 1e-9);
    }

    private static double learningRate(ComputationGraph g, String layer) {
        var vertex = (LayerVertex) g.getConfiguration().getVertices().get(layer);
        return ((BaseLayer) vertex.getLayerConf().getLayer()).getIUpdater().getLearningRate(0, 0);
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() {
        RunDir a = straightRun();

        RunDir b = run("interrupted");
        // A crash in round 4 (the NaN hook): the run keeps its checkpoint of round 3, and the resumed run
        // goes on with the same learning-rate schedule and EMA ramp-up (both depend on the round).
        assertThrows(IllegalStateException.class, () -> new GanTrainer(settings(Map.of("testing.gan.inject-nan-at-step", "4")))
                .train(spark, b, settings(Map.of()).catalogDir()));
        new GanTrainer(settings(Map.of("gan.resume", "true"))).train(spark, b, settings(Map.of()).catalogDir());

        var la = GanCheckpoint.loadNewest(GanCheckpoint.store(a.checkpoints(), a.hadoopConf()), a.hadoopConf()).orElseThrow();
        var lb = GanCheckpoint.loadNewest(GanCheckpoint.store(b.checkpoints(), b.hadoopConf()), b.hadoopConf()).orElseThrow();
        assertEquals(6, lb.state().step());
        assertEquals(la.state().examples(), lb.state().examples(), "no counter restarted");
        assertEquals(0, la.fixedZ().sub(lb.fixedZ()).amaxNumber().doubleValue(), 0.0, "same fixed latent batch");
        for (String what : List.of("generator", "ema", "discriminator")) {
            ComputationGraph ga = what.equals("generator") ? la.generator() : what.equals("ema") ? la.ema() : la.discriminator();
            ComputationGraph gb = what.equals("generator") ? lb.generator() : what.equals("ema") ? lb.ema() : lb.discriminator();
            double diff = ga.params().sub(gb.params()).amaxNumber().doubleValue();
            assertTrue(diff < 1e-4, what + " weights of the resumed run differ by " + diff);
        }
        List<JsonNode> linesA = MetricsLog.read(a);
        List<JsonNode> linesB = MetricsLog.read(b);
        // Nothing was logged twice.
        assertEquals(List.of(2, 4, 6), linesB.stream().map(l -> l.get("step").asInt()).toList());
        assertEquals(linesA.get(2).get("d_loss").asDouble(), linesB.get(2).get("d_loss").asDouble(), 1e-4);
        assertEquals(linesA.get(2).get("d_accuracy").asDouble(), linesB.get(2).get("d_accuracy").asDouble(), 1e-4);
    }

    @Test
    void restorationTrainingMixesInGeneratedImagesOnlyWhenAsked() {
        PipelineSettings gs = settings(Map.of("gan.steps", "1"));
        RunDir gan = run("mix-source");
        GanTrainer.Result r = new GanTrainer(gs).train(spark, gan, gs.catalogDir());
        String checkpoint = r.lastCheckpoint().toString();

        var catalogTrain = Catalog.images(spark, gs.catalogDir(), "train", 1, Long.MAX_VALUE);
        long nCatalog = catalogTrain.count();
        PipelineSettings off = settings(Map.of());
        assertTrue(GanMix.mixInto(spark, off, catalogTrain) == catalogTrain, "off by default");
        PipelineSettings on = settings(Map.of("gan.restoration-mix.images", "5", "gan.restoration-mix.checkpoint", checkpoint));
        var mixed = GanMix.mixInto(spark, on, catalogTrain).collectAsMap();
        assertEquals(nCatalog + 5, mixed.size());
        var first = mixed.get("gan-000000");
        assertEquals(1, first.channels());
        assertEquals(28, first.width());
        assertEquals(first, GanMix.mixInto(spark, on, catalogTrain).collectAsMap().get("gan-000000"), "deterministic");

        Map<String, String> small = new HashMap<>(Map.of("gan.restoration-mix.images", "5", "gan.restoration-mix.checkpoint",
                checkpoint, "model.dncnn.depth", "3", "model.dncnn.features", "4", "prepare.patch-size", "16",
                "prepare.patches-per-image", "2", "train.epochs", "1", "train.val-crop", "16", "train.val-max-images", "2"));
        PipelineSettings restore = settings(small);
        RunDir rr = run("mix-restore");
        new RestorationTrainer(restore).train(spark, rr, restore.catalogDir());
        assertEquals((nCatalog + 5) * 2, MetricsLog.read(rr).get(0).get("samples").asLong(),
                "2 patches from each catalog and generated image");
    }

    @Test
    void aDiscriminatorThatWinsCompletelyForDWinStepsIsWarnedAbout() {
        // A generator whose learning rate explodes (10) draws saturated images; a discriminator with
        // 8 minibatches a round rejects every one of them within a few rounds.
        PipelineSettings s = settings(Map.of("gan.learning-rate-g", "10", "gan.learning-rate-d", "0.01",
                "gan.label-smoothing", "0", "gan.d-steps", "8", "gan.d-win-steps", "2", "gan.steps", "7", "gan.log-every", "1",
                "gan.checkpoint-every", "100", "gan.sample-every", "100"));
        RunDir run = run("d-wins");
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        var logger = (Logger) LogManager.getLogger(GanTrainer.class);
        var appender = new AbstractAppender("d-wins", null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.WARN) logged.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
        try {
            new GanTrainer(s).train(spark, run, s.catalogDir());
        } finally {
            logger.removeAppender(appender);
        }

        List<JsonNode> lines = MetricsLog.read(run);
        assertEquals(7, lines.size(), "one line per round");
        List<JsonNode> warned = lines.stream().filter(l -> l.has("warning")).toList();
        assertFalse(warned.isEmpty(), "no warning although the discriminator won: " + lines);
        for (JsonNode w : warned) {
            String text = w.get("warning").asText();
            assertTrue(text.contains("won completely for 2 steps"), text);
            assertTrue(logged.stream().anyMatch(m -> m.contains(text)), "the log says it too: " + logged);
            int step = w.get("step").asInt();
            // This round and the one before were complete wins; the one before those was not.
            for (JsonNode l : lines.subList(step - 2, step)) {
                assertEquals(1.0, l.get("d_accuracy").asDouble(), 0.0, l.toString());
                assertTrue(l.get("d_fake").asDouble() < 0.05, l.toString());
            }
            if (step > 2) {
                JsonNode before = lines.get(step - 3);
                assertFalse(before.get("d_accuracy").asDouble() >= 1.0 && before.get("d_fake").asDouble() < 0.05, before.toString());
            }
        }
    }

    @Test
    void aLossThatTurnsNanStopsTheRunNamingTheStepAndKeepsTheLastGoodCheckpoint() {
        // A learning rate of 10 (the largest allowed) does not do it: DL4J clips the cross-entropy, so
        // exploded weights give large but finite losses. The testing hook makes the weights NaN.
        PipelineSettings s = settings(Map.of("testing.gan.inject-nan-at-step", "3", "gan.steps", "6", "gan.checkpoint-every", "2",
                "gan.sample-every", "100", "gan.log-every", "1"));
        RunDir run = run("diverges");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new GanTrainer(s).train(spark, run, s.catalogDir()));

        CheckpointStore store = GanCheckpoint.store(run.checkpoints(), run.hadoopConf());
        String last = store.dirFor(2).toString();
        assertTrue(e.getMessage().contains("diverged at step 3") && e.getMessage().contains("loss is NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("the last good checkpoint " + last + " is kept"), e.getMessage());
        assertEquals(List.of(2), store.committedEpochs(), "nothing was checkpointed after the NaN");
        GanCheckpoint.Loaded l = GanCheckpoint.loadNewest(store, run.hadoopConf()).orElseThrow();
        assertEquals(2, l.state().step());
        for (ComputationGraph g : List.of(l.generator(), l.ema(), l.discriminator(), l.combined())) {
            assertFalse(g.params().isNaN().any() || g.params().isInfinite().any(), "the kept checkpoint's weights are finite");
        }
        assertEquals(List.of(1, 2), MetricsLog.read(run).stream().map(n -> n.get("step").asInt()).toList(),
                "no metrics line for the diverged step");
    }
}
