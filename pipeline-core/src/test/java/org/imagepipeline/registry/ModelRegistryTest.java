package org.imagepipeline.registry;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.RegistrySettings;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.store.TrainingState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry on the local filesystem, with real threads racing for versions and champion changes. */
class ModelRegistryTest {
    @TempDir java.nio.file.Path tmp;
    private final Configuration conf = new Configuration();
    private RegistrySettings settings;
    private ModelRegistry registry;
    private RunDir run;
    private CheckpointStore store;

    @BeforeEach
    void setUp() {
        String root = tmp.toUri().toString();
        settings = PipelineSettings.load(List.of(), Map.of("run.root", root)).registry();
        registry = new ModelRegistry(settings, conf);
        run = new RunDir(root, "r1", conf);
        store = new CheckpointStore(run.checkpoints(), conf);
        ComputationGraph graph = RestorationModels.build(PipelineSettings.load(List.of(),
                Map.of("model.dncnn.depth", "3", "model.dncnn.features", "4")).model());
        for (int e = 1; e <= 2; e++) {
            run.appendMetrics("{\"epoch\":" + e + ",\"val\":{\"psnr\":" + (24 + e) + ",\"ssim\":0.5},\"val_input\":{\"psnr\":20.5}}");
            store.write(graph, new TrainingState(e, e * 10L, 42, 24 + e, e, 0, "cfg" + e, e));
        }
    }

    @Test
    void defaultRootIsUnderTheRunRoot() {
        assertEquals(new Path(tmp.toUri().toString(), "registry"), registry.root());
    }

    @Test
    void versionsRecordCheckpointMetricsConfigCatalogAndCode() throws Exception {
        Files.createDirectories(tmp.resolve("catalog/images"));
        Files.writeString(tmp.resolve("catalog/images/part-0.parquet"), "rows");
        ModelVersion v1 = registry.register("den", store.dirFor(1), tmp.resolve("catalog").toUri().toString());
        ModelVersion v2 = registry.register("den", store.dirFor(2), tmp.resolve("catalog").toUri().toString());
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals(List.of(v1, v2), registry.versions("den"), "what was written is what is read back");
        assertEquals(store.dirFor(1).toString(), v1.checkpoint());
        assertEquals(25.0, v1.metrics().get("val_psnr"));
        assertEquals(26.0, v2.metrics().get("val_psnr"));
        assertEquals(20.5, v2.metrics().get("val_input_psnr"));
        assertEquals("cfg2", v2.configHash());
        assertTrue(v1.codeVersion().startsWith("0.") && v1.codeVersion().contains("+"), v1.codeVersion());
        assertEquals(v1.catalogSnapshot(), v2.catalogSnapshot(), "same catalog files, same snapshot id");
        assertEquals(16, v1.catalogSnapshot().length());
        Files.writeString(tmp.resolve("catalog/images/part-1.parquet"), "more rows");
        assertFalse(v1.catalogSnapshot().equals(CatalogSnapshot.id(tmp.resolve("catalog").toUri().toString(), conf)),
                "a changed catalog has another snapshot id");
        assertEquals(List.of("den"), registry.models());
        assertEquals(Set.of(v1.checkpoint(), v2.checkpoint()), registry.referencedCheckpoints());
    }

    @Test
    void onlyVerifiedCheckpointsAreRegistered() throws Exception {
        Files.delete(tmp.resolve("runs/r1/checkpoints/epoch-0002/" + CheckpointStore.MARKER));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> registry.register("den", store.dirFor(2), tmp.resolve("catalog").toString()));
        assertTrue(e.getMessage().contains("epoch-0002") && e.getMessage().contains("no commit marker"), e.getMessage());
        assertTrue(registry.versions("den").isEmpty());
    }

    @Test
    void resolveNamesChampionVersionOrPath() {
        registry.register("den", store.dirFor(1), "none");
        registry.register("den", store.dirFor(2), "none");
        RegistryException noChampion = assertThrows(RegistryException.class, () -> ModelRegistry.resolve("den", settings, conf));
        assertTrue(noChampion.getMessage().contains("has no champion"), noChampion.getMessage());
        registry.promote("den", 2);
        assertEquals(store.dirFor(2), ModelRegistry.resolve("den", settings, conf));
        assertEquals(store.dirFor(1), ModelRegistry.resolve("den@1", settings, conf));
        assertEquals(new Path("/some/checkpoint"), ModelRegistry.resolve("/some/checkpoint", settings, conf));
        RegistryException missing = assertThrows(RegistryException.class, () -> ModelRegistry.resolve("den@7", settings, conf));
        assertTrue(missing.getMessage().contains("den@7") && missing.getMessage().contains("[1, 2]"), missing.getMessage());
        assertTrue(assertThrows(RegistryException.class, () -> ModelRegistry.resolve("other", settings, conf))
                .getMessage().contains("no such model"));
        assertThrows(RegistryException.class, () -> ModelRegistry.resolve("den@x", settings, conf));
        assertThrows(RegistryException.class, () -> ModelRegistry.resolve("bad name", settings, conf));
    }

    @Test
    void rollbackWalksBackThroughPromotions() {
        for (int e = 1; e <= 2; e++) registry.register("den", store.dirFor(e), "none");
        registry.register("den", store.dirFor(2), "none");
        assertThrows(RegistryException.class, () -> registry.rollback("den"), "nothing to roll back");
        registry.promote("den", 1);
        registry.promote("den", 2);
        registry.promote("den", 3);
        assertEquals(2, registry.rollback("den").version());
        assertEquals(1, registry.rollback("den").version());
        assertEquals(1, registry.champion("den").orElseThrow().version());
        assertThrows(RegistryException.class, () -> registry.rollback("den"), "nothing before the first champion");
        assertEquals(List.of("promote", "promote", "promote", "rollback", "rollback"),
                registry.history("den").stream().map(Champion::action).toList(), "the history keeps every change");
    }

    @Test
    void oneRecordNumberHasExactlyOneWriter() throws Exception {
        RegistryRaces.oneWriterPerRecord(new Path(registry.root(), "race"), conf, 16, 5, true);
        try (var files = Files.list(tmp.resolve("registry/race"))) {
            assertEquals(5, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void concurrentRegistrationsGetDistinctVersions() throws Exception {
        RegistryRaces.concurrentRegistrationsGetDistinctVersions(registry, "den", store.dirFor(1), 8, true);
    }

    @Test
    void concurrentPromotionsNeverBothWin() throws Exception {
        RegistryRaces.concurrentRegistrationsGetDistinctVersions(registry, "den", store.dirFor(1), 8, true);
        RegistryRaces.concurrentPromotionsNeverBothWin(registry, "den", 8, 3, true);
    }
}
