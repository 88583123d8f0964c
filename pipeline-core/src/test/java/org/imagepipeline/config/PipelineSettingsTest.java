package org.imagepipeline.config;

import com.typesafe.config.ConfigFactory;
import org.imagepipeline.model.ModelType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineSettingsTest {

    private static PipelineSettings load(Map<String, String> overrides) {
        return PipelineSettings.load(List.of(), overrides);
    }

    @Test
    void referenceDefaultsLoadIntoTypedSettings() {
        PipelineSettings s = load(Map.of());
        assertEquals(42, s.run().seed());
        assertEquals(ModelType.DNCNN, s.model().type());
        assertEquals(17, s.model().dncnnDepth());
        assertEquals(40, s.prepare().patchSize());
        assertTrue(s.prepare().degradations().gaussianNoise().enabled());
        assertEquals(25.0, s.prepare().degradations().gaussianNoise().sigma().lo());
        assertEquals("work/catalog", s.catalogDir());
        assertEquals("", s.spark().master(), "the Spark master is never defaulted in code");
    }

    @Test
    void overridesWinOverFilesAndTheLastFileWins(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.conf"), "pipeline.train.epochs = 3\npipeline.model.type = unet\n");
        Path b = Files.writeString(dir.resolve("b.conf"), "pipeline { train { epochs = 5 } }\n");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("train.batch-size-per-worker", "8");
        o.put("pipeline.ingest.input", "hdfs://nn:8020/photos");
        PipelineSettings s = PipelineSettings.load(List.of(a, b), o);
        assertEquals(5, s.train().epochs());
        assertEquals(ModelType.UNET, s.model().type());
        assertEquals(8, s.train().batchSizePerWorker());
        assertEquals("hdfs://nn:8020/photos", s.ingest().input());
    }

    @Test
    void everyProblemIsReportedAtOnceWithPathExpectationAndValue() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("train.epochs", "-3");
        o.put("model.type", "resnet");
        o.put("prepare.degradations.gaussian-noise.sigma", "[30, 10]");
        o.put("train.learning-rate", "fast");
        o.put("train.epoch", "4");
        SettingsException e = assertThrows(SettingsException.class, () -> load(o));
        String msg = e.getMessage();
        assertTrue(e.problems().size() >= 4, msg);
        assertTrue(msg.contains("pipeline.train.epochs: expected an integer in [1, 1000000], got -3"), msg);
        assertTrue(msg.contains("pipeline.model.type: expected one of dncnn, unet, got \"resnet\""), msg);
        assertTrue(msg.contains("pipeline.prepare.degradations.gaussian-noise.sigma: expected a list [lo, hi]"), msg);
        assertTrue(msg.contains("got [30,10]"), msg);
        assertTrue(msg.contains("pipeline.train.learning-rate: expected a number"), msg);
        assertTrue(msg.contains("pipeline.train.epoch: unknown key"), msg);
    }

    @Test
    void patchSizeMustSuitTheNetwork() {
        // A U-Net of 3 levels halves its input three times; DnCNN takes any size.
        SettingsException e = assertThrows(SettingsException.class,
                () -> load(Map.of("model.type", "unet", "prepare.patch-size", "36")));
        assertTrue(e.getMessage().contains("pipeline.prepare.patch-size: expected a multiple of 8 for the unet network "
                + "of pipeline.model.type (its input sides must be), got 36"), e.getMessage());
        assertEquals(48, load(Map.of("model.type", "unet", "model.unet.levels", "4", "prepare.patch-size", "48"))
                .prepare().patchSize());
        assertEquals(41, load(Map.of("prepare.patch-size", "41")).prepare().patchSize());
    }

    @Test
    void deadLeavesShareDefaultsToHalfAndMustBeInZeroOne() {
        assertEquals(0.5, load(Map.of()).demo().deadLeavesShare());
        assertEquals(0.0, load(Map.of("demo.dead-leaves-share", "0")).demo().deadLeavesShare());
        assertEquals(1.0, load(Map.of("demo.dead-leaves-share", "1")).demo().deadLeavesShare());
        for (String bad : new String[] {"1.5", "-0.25"}) {
            SettingsException e = assertThrows(SettingsException.class, () -> load(Map.of("demo.dead-leaves-share", bad)));
            assertTrue(e.getMessage().contains("pipeline.demo.dead-leaves-share: expected a number in [0, 1], got " + bad),
                    e.getMessage());
        }
        SettingsException e = assertThrows(SettingsException.class, () -> load(Map.of("demo.dead-leaves-share", "half")));
        assertTrue(e.getMessage().contains("pipeline.demo.dead-leaves-share: expected a number in [0, 1], got \"half\""),
                e.getMessage());
    }

    @Test
    void clippedShareDefaultsToAQuarterAndMustBeInZeroOne() {
        assertEquals(0.25, load(Map.of()).demo().clippedShare());
        assertEquals(0.0, load(Map.of("demo.clipped-share", "0")).demo().clippedShare());
        SettingsException e = assertThrows(SettingsException.class, () -> load(Map.of("demo.clipped-share", "2")));
        assertTrue(e.getMessage().contains("pipeline.demo.clipped-share: expected a number in [0, 1], got 2"), e.getMessage());
    }

    @Test
    void unknownKeysInFilesNameTheFile(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("typo.conf"), "pipeline.trian.epochs = 3\n");
        SettingsException e = assertThrows(SettingsException.class, () -> PipelineSettings.load(List.of(f), Map.of()));
        assertTrue(e.getMessage().contains("pipeline.trian.epochs: unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("typo.conf"), e.getMessage());
    }

    @Test
    void missingConfigFileIsAnError(@TempDir Path dir) {
        SettingsException e = assertThrows(SettingsException.class,
                () -> PipelineSettings.load(List.of(dir.resolve("nope.conf")), Map.of()));
        assertTrue(e.getMessage().contains("nope.conf: expected a readable HOCON file, but it does not exist"), e.getMessage());
    }

    @Test
    void sparkConfPassesThroughFreeFormKeys() {
        PipelineSettings s = load(Map.of("spark.conf.\"spark.executor.memory\"", "8g"));
        assertEquals("8g", s.spark().conf().get("spark.executor.memory"));
    }

    @Test
    void fractionsThatLeaveNothingToTrainOnAreRejected() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> load(Map.of("ingest.val-fraction", "0.5", "ingest.test-fraction", "0.5")));
        assertTrue(e.getMessage().contains("pipeline.ingest.test-fraction"), e.getMessage());
    }

    @Test
    void workersZeroMeansSparksDefaultParallelism() {
        assertEquals(0, load(Map.of()).train().workers());
        assertEquals(4, load(Map.of()).train().resolvedWorkers(4));
        assertEquals(3, load(Map.of("train.workers", "3")).train().resolvedWorkers(4));
    }

    @Test
    void trainingHashIgnoresEpochsButNotTheModel() {
        String base = load(Map.of()).trainingHash();
        assertEquals(base, load(Map.of("train.epochs", "50", "train.resume", "true")).trainingHash());
        assertNotEquals(base, load(Map.of("model.dncnn.depth", "9")).trainingHash());
        assertNotEquals(base, load(Map.of("run.seed", "7")).trainingHash());
    }

    @Test
    void renderedConfigRoundTrips() {
        PipelineSettings s = load(Map.of("train.epochs", "7"));
        PipelineSettings again = PipelineSettings.from(ConfigFactory.parseString(s.rendered())
                .withFallback(ConfigFactory.defaultReference()).resolve());
        assertEquals(s, again);
    }
}
