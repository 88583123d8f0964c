package org.imagepipeline.restoration;

import org.imagepipeline.store.MetricsLog;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.SettingsException;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.model.AdversarialModels;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.testing.GeneratedImagesRoot;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restoration training with the adversarial term (pipeline.train.adversarial) on local[2]: off by
 * default, the two phases touch the right parameters, runs train and resume exactly.
 */
class AdversarialTrainingTest {
    @TempDir static java.nio.file.Path tmp;
    static SparkSession spark;
    static GeneratedImagesRoot data;

    @BeforeAll
    static void ingestGeneratedImages() {
        spark = TestSpark.get();
        data = new GeneratedImagesRoot(tmp, 24, 48, 1, 5, """
                ingest.val-fraction = 0.15
                ingest.test-fraction = 0.1
                model.dncnn.depth = 3
                model.dncnn.features = 8
                prepare.patch-size = 16
                prepare.patches-per-image = 4
                train.batch-size-per-worker = 8
                train.averaging-frequency = 2
                train.learning-rate = 0.003
                train.val-max-images = 3
                train.val-crop = 32
                train.adversarial.discriminator-features = 4
                train.adversarial.discriminator-levels = 2
                train.adversarial.learning-rate = 0.002
                """);
    }

    static PipelineSettings settings(Map<String, String> extra) {
        return data.settings(extra);
    }

    private static Map<String, String> on(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("train.adversarial.weight", "0.01"));
        for (int i = 0; i < more.length; i += 2) m.put(more[i], more[i + 1]);
        return m;
    }

    private static RunDir run(String id) {
        return data.run(id);
    }

    @Test
    void offByDefaultAndThenTheTrainingIsThePlainOne() {
        PipelineSettings s = settings(Map.of("train.epochs", "1"));
        assertFalse(s.train().adversarial().enabled(), "reference.conf's weight is 0");
        assertEquals(0.0, s.train().adversarial().weight());
        // The discriminator's settings do not matter while the term is off: runs keep their config hash.
        assertEquals(s.trainingHash(), settings(Map.of("train.adversarial.discriminator-features", "64")).trainingHash());
        assertNotEquals(s.trainingHash(), settings(on()).trainingHash(), "resume must refuse to switch the term on");

        RunDir run = run("plain");
        new RestorationTrainer(s).train(spark, run, s.catalogDir());
        assertFalse(MetricsLog.read(run).get(0).has("adversarial"));
        Path checkpoint = new CheckpointStore(run.checkpoints(), run.hadoopConf()).dirFor(1);
        assertTrue(HadoopIO.exists(new Path(checkpoint, CheckpointStore.MODEL), run.hadoopConf()));
        assertFalse(HadoopIO.exists(new Path(checkpoint, AdversarialTraining.DISCRIMINATOR), run.hadoopConf()));
        assertFalse(HadoopIO.exists(new Path(checkpoint, AdversarialTraining.COMBINED), run.hadoopConf()));
    }

    @Test
    void badSettingsAreReportedWithTheirKeys() {
        SettingsException e = assertThrows(SettingsException.class, () -> settings(Map.of("train.adversarial.weight", "-1",
                "train.adversarial.discriminator-levels", "0", "train.adversarial.label-smoothing", "0.9")));
        for (String key : List.of("pipeline.train.adversarial.weight", "pipeline.train.adversarial.discriminator-levels",
                "pipeline.train.adversarial.label-smoothing")) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void theDiscriminatorLearnsInItsPhaseOnlyAndTheRestorerInItsPhase() {
        PipelineSettings s = settings(on());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        var images = Catalog.images(spark, s.catalogDir(), "train", 1, Long.MAX_VALUE).cache();
        ComputationGraph restorer = RestorationModels.build(s.model());
        AdversarialTraining adv = AdversarialTraining.start(s, restorer);
        INDArray restorerBefore = restorer.params().dup();
        INDArray discriminatorBefore = adv.discriminator().params().dup();

        adv.fitEpoch(jsc, images, restorer, 0, 2, s.model().learningRate());
        images.unpersist(false);

        assertTrue(maxDiff(discriminatorBefore, adv.discriminator().params()) > 1e-5, "the discriminator phase trains it");
        // The restorer phase started from the discriminator's new weights and left them as they were.
        assertParamsEqual(adv.discriminator(), adv.combined(), true);
        assertTrue(maxDiff(restorerBefore, restorer.params()) > 1e-5, "the restorer phase trains the restorer");
        // ... and its weights are back in the ordinary restoration graph.
        assertParamsEqual(restorer, adv.combined(), false);
        assertEquals(List.of(RestorationModels.INPUT), restorer.getConfiguration().getNetworkInputs());
        assertEquals(List.of(RestorationModels.OUTPUT), restorer.getConfiguration().getNetworkOutputs());
    }

    @Test
    void trainsLogsTheAdversarialTermAndResumesExactly() {
        RunDir a = run("adv-straight");
        RestorationTrainer.Result r = new RestorationTrainer(settings(on("train.epochs", "2"))).train(spark, a,
                settings(Map.of()).catalogDir());
        assertEquals(2, r.epochsDone());
        List<JsonNode> lines = MetricsLog.read(a);
        assertEquals(2, lines.size());
        for (JsonNode l : lines) {
            JsonNode adv = l.get("adversarial");
            assertEquals(0.01, adv.get("weight").asDouble(), 0.0);
            for (String key : List.of("d_loss", "adv_loss")) {
                assertTrue(adv.get(key).asDouble() > 0 && Double.isFinite(adv.get(key).asDouble()), key + " in " + l);
            }
            for (String key : List.of("d_real", "d_fake")) {
                assertTrue(adv.get(key).asDouble() > 0 && adv.get(key).asDouble() < 1, key + " in " + l);
            }
            assertTrue(l.get("train_loss").asDouble() > 0 && Double.isFinite(l.get("train_loss").asDouble()), l.toString());
        }

        RunDir b = run("adv-interrupted");
        new RestorationTrainer(settings(on("train.epochs", "1"))).train(spark, b, settings(Map.of()).catalogDir());
        new RestorationTrainer(settings(on("train.epochs", "2", "train.resume", "true"))).train(spark, b,
                settings(Map.of()).catalogDir());

        CheckpointStore sa = new CheckpointStore(a.checkpoints(), a.hadoopConf());
        CheckpointStore sb = new CheckpointStore(b.checkpoints(), b.hadoopConf());
        var la = sa.loadNewest().orElseThrow();
        var lb = sb.loadNewest().orElseThrow();
        assertEquals(2, lb.state().epochsDone());
        assertEquals(la.state().iteration(), lb.state().iteration());
        assertTrue(maxDiff(la.graph().params(), lb.graph().params()) < 1e-4, "restorer weights differ after resume");
        AdversarialTraining da = AdversarialTraining.resume(settings(on()), la.dir(), a.hadoopConf());
        AdversarialTraining db = AdversarialTraining.resume(settings(on()), lb.dir(), b.hadoopConf());
        assertTrue(maxDiff(da.discriminator().params(), db.discriminator().params()) < 1e-4, "discriminator weights differ");
        assertTrue(maxDiff(da.discriminator().getUpdater().getStateViewArray(),
                db.discriminator().getUpdater().getStateViewArray()) < 1e-4, "discriminator optimiser states differ");
        assertTrue(maxDiff(da.combined().getUpdater().getStateViewArray(),
                db.combined().getUpdater().getStateViewArray()) < 1e-4, "restorer optimiser states differ");
        List<JsonNode> linesB = MetricsLog.read(b);
        assertEquals(2, linesB.size(), "one line per epoch, none repeated");
        assertEquals(lines.get(1).get("adversarial").get("d_loss").asDouble(),
                linesB.get(1).get("adversarial").get("d_loss").asDouble(), 1e-4);
    }

    private static double maxDiff(INDArray x, INDArray y) {
        return x.sub(y).amaxNumber().doubleValue();
    }

    /** Every parameterised layer of {@code from} (its adv_ layers when {@code discriminator}, else the others) equals the namesake in {@code to}. */
    private static void assertParamsEqual(ComputationGraph from, ComputationGraph to, boolean discriminator) {
        int compared = 0;
        for (GraphVertex v : from.getVertices()) {
            if (!v.hasLayer() || v.getLayer().numParams() == 0) continue;
            if (v.getVertexName().startsWith(AdversarialModels.PREFIX) != discriminator) continue;
            assertEquals(0.0, maxDiff(v.getLayer().params(), to.getLayer(v.getVertexName()).params()), 0.0, v.getVertexName());
            compared++;
        }
        assertTrue(compared > 0);
    }
}
