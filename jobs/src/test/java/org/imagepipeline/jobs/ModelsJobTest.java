package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.ModelVersion;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry as a user drives it through the dispatcher: training registers its best
 * checkpoint, `models` registers, lists, shows, promotes and rolls back, evaluate takes a model
 * reference, and retention keeps registered checkpoints.
 */
class ModelsJobTest {
    @TempDir java.nio.file.Path tmp;

    private StorageChain chain;

    private StorageChain.Outcome run(String job, String... extra) {
        return StorageChain.runCapturing(chain.args(job, extra));
    }

    @Test
    void registerListShowPromoteEvaluateRollbackAndRetention() throws Exception {
        Configuration conf = new Configuration();
        String root = tmp.toUri().toString().replaceAll("/$", "");
        chain = new StorageChain(root, Map.of("train.keep-checkpoints", "1", "prepare.patches-per-image", "2"), conf);
        chain.writeImages(16, 32);
        assertEquals(0, run("ingest").status());
        StorageChain.Outcome trained = run("train-restoration", "run.id=r1", "train.epochs=1", "registry.register-as=den");
        assertEquals(0, trained.status(), trained.stderr());
        assertTrue(trained.stdout().contains("registered: den@1"), trained.stdout());

        PipelineSettings s = PipelineSettings.load(List.of(), Map.of("run.root", root));
        ModelRegistry registry = new ModelRegistry(s.registry(), conf);
        RunDir r1 = new RunDir(s.run().root(), "r1", conf);
        CheckpointStore store = new CheckpointStore(r1.checkpoints(), conf);
        ModelVersion v1 = registry.version("den", 1);
        assertEquals(store.dirFor(1).toString(), v1.checkpoint());
        JsonNode epoch1 = new ObjectMapper().readTree(Files.readAllLines(tmp.resolve("runs/r1/metrics.jsonl")).get(0));
        assertEquals(epoch1.get("val").get("psnr").asDouble(), v1.metrics().get("val_psnr"), "the epoch's val metrics");
        assertEquals(epoch1.get("val_input").get("ssim").asDouble(), v1.metrics().get("val_input_ssim"));
        assertEquals(CheckpointStore.load(store.dirFor(1), conf).state().configHash(), v1.configHash());
        assertEquals(16, v1.catalogSnapshot().length(), "the catalog's snapshot id: " + v1);

        // Resume to 3 epochs keeping 1: retention deletes what is neither newest, best nor registered.
        assertEquals(0, run("train-restoration", "run.id=r1", "train.epochs=3", "train.resume=true").status());
        int best = store.loadNewest().orElseThrow().state().bestEpoch();
        assertEquals(new TreeSet<>(List.of(1, best, 3)), new TreeSet<>(store.committedEpochs()),
                "epoch 1 is registered (den@1), " + best + " is the best, 3 the newest");

        StorageChain.Outcome registered = run("models", "register", "den", "run.id=r1");
        assertEquals(0, registered.status(), registered.stderr());
        assertTrue(registered.stdout().contains("registered den@2: " + store.dirFor(best)), registered.stdout());

        assertEquals(0, run("models", "promote", "den@1").status());
        assertEquals(0, run("models", "promote", "den@2").status());
        StorageChain.Outcome missing = run("models", "promote", "den@5");
        assertEquals(1, missing.status());
        assertTrue(missing.stderr().contains("den@5 is not in the registry") && missing.stderr().contains("[1, 2]"), missing.stderr());

        StorageChain.Outcome list = run("models", "list");
        assertTrue(list.stdout().contains("den  (champion: version 2)"), list.stdout());
        assertTrue(list.stdout().contains(store.dirFor(1).toString()) && list.stdout().contains(store.dirFor(best).toString()), list.stdout());
        StorageChain.Outcome show = run("models", "show", "den");
        assertTrue(show.stdout().lines().anyMatch(l -> l.startsWith("val_psnr") && l.split("\\s+").length == 3), show.stdout());
        assertTrue(show.stdout().contains("2 (champion)"), show.stdout());

        // evaluate takes the champion by name
        assertEquals(0, run("evaluate", "run.id=r1", "eval.checkpoint=den").status());
        JsonNode eval = new ObjectMapper().readTree(Files.readString(tmp.resolve("runs/r1/eval/metrics.json")));
        assertEquals(store.dirFor(best).toString(), eval.get("checkpoint").asText());

        StorageChain.Outcome rolledBack = run("models", "rollback", "den");
        assertEquals(0, rolledBack.status(), rolledBack.stderr());
        assertEquals(1, registry.champion("den").orElseThrow().version());
        assertEquals(store.dirFor(1), ModelRegistry.resolve("den", s.registry(), conf));
        assertEquals(new Path(store.dirFor(best).toString()), ModelRegistry.resolve("den@2", s.registry(), conf));

        // restore takes a registry reference too: the champion (den@1 again) is what the manifest records
        StorageChain.Outcome restored = run("restore", "restore.input=" + root + "/images", "restore.output=" + root + "/restored",
                "restore.model=den", "restore.tile-size=16", "restore.tile-overlap=8");
        assertEquals(0, restored.status(), restored.stderr());
        String v1Version = org.imagepipeline.restore.ModelRefs.resolve(store.dirFor(1).toString(), conf, s).version();
        List<org.imagepipeline.restore.ManifestRow> rows = Files.readAllLines(tmp.resolve("restored/_manifest/manifest.jsonl"))
                .stream().map(org.imagepipeline.restore.ManifestRow::fromJson).filter(r -> r.status().equals("restored")).toList();
        assertEquals(16, rows.size(), "every generated image restored");
        assertTrue(rows.stream().allMatch(r -> r.modelId().equals("den") && r.modelVersion().equals(v1Version)), rows.toString());

        StorageChain.Outcome noEarlier = run("models", "rollback", "den");
        assertEquals(1, noEarlier.status());
        assertTrue(noEarlier.stderr().contains("no earlier champion"), noEarlier.stderr());
        StorageChain.Outcome unknown = run("evaluate", "run.id=r1", "eval.checkpoint=nosuch");
        assertEquals(1, unknown.status());
        assertTrue(unknown.stderr().contains("Model 'nosuch' has no champion") && unknown.stderr().contains("no such model"), unknown.stderr());
    }
}
