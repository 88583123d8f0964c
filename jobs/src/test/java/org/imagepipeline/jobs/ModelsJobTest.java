package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.ModelVersion;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
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

    private String[] args(String job, String... extra) {
        List<String> a = new ArrayList<>(List.of(job,
                "run.root=" + tmp.toUri(),
                "spark.master=local[2]",
                "spark.conf.\"spark.driver.host\"=127.0.0.1",
                "spark.conf.\"spark.ui.enabled\"=false",
                "ingest.input=" + tmp.resolve("images").toUri(),
                "ingest.val-fraction=0.2", "ingest.test-fraction=0.2",
                "model.dncnn.depth=3", "model.dncnn.features=8", "model.dncnn.batch-norm=false",
                "prepare.patch-size=16", "prepare.patches-per-image=2",
                "train.batch-size-per-worker=4", "train.val-max-images=2", "train.val-crop=32",
                "train.keep-checkpoints=1", "eval.crop=32", "eval.max-images=2", "eval.samples=0"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Exit status and what the job printed on stdout and stderr (both still echoed). */
    private record Run(int status, String out, String err) {}

    private Run run(String job, String... extra) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args(job, extra));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        Run r = new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        out.print(r.out());
        err.print(r.err());
        return r;
    }

    @Test
    void registerListShowPromoteEvaluateRollbackAndRetention() throws Exception {
        SyntheticImages.writePngs(tmp.resolve("images"), 16, 32, 1, 3);
        assertEquals(0, run("ingest").status());
        Run trained = run("train-restoration", "run.id=r1", "train.epochs=1", "registry.register-as=den");
        assertEquals(0, trained.status(), trained.err());
        assertTrue(trained.out().contains("registered: den@1"), trained.out());

        Configuration conf = new Configuration();
        PipelineSettings s = PipelineSettings.load(List.of(), Map.of("run.root", tmp.toUri().toString()));
        ModelRegistry registry = new ModelRegistry(s.registry(), conf);
        RunDir r1 = new RunDir(s.run().root(), "r1", conf);
        CheckpointStore store = new CheckpointStore(r1.checkpoints(), conf);
        ModelVersion v1 = registry.version("den", 1);
        assertEquals(store.dirFor(1).toString(), v1.checkpoint());
        assertTrue(v1.metrics().get("val_psnr") > v1.metrics().get("val_input_psnr") - 10, v1.metrics().toString());
        assertEquals(s.trainingHash().length(), v1.configHash().length());
        assertEquals(16, v1.catalogSnapshot().length(), "the catalog's snapshot id: " + v1);

        // Resume to 3 epochs keeping 1: retention deletes what is neither newest, best nor registered.
        assertEquals(0, run("train-restoration", "run.id=r1", "train.epochs=3", "train.resume=true").status());
        int best = store.loadNewest().orElseThrow().state().bestEpoch();
        assertEquals(new TreeSet<>(List.of(1, best, 3)), new TreeSet<>(store.committedEpochs()),
                "epoch 1 is registered (den@1), " + best + " is the best, 3 the newest");

        Run registered = run("models", "register", "den", "run.id=r1");
        assertEquals(0, registered.status(), registered.err());
        assertTrue(registered.out().contains("registered den@2: " + store.dirFor(best)), registered.out());

        assertEquals(0, run("models", "promote", "den@1").status());
        assertEquals(0, run("models", "promote", "den@2").status());
        Run missing = run("models", "promote", "den@5");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("den@5 is not in the registry") && missing.err().contains("[1, 2]"), missing.err());

        Run list = run("models", "list");
        assertTrue(list.out().contains("den  (champion: version 2)"), list.out());
        assertTrue(list.out().contains(store.dirFor(1).toString()) && list.out().contains(store.dirFor(best).toString()), list.out());
        Run show = run("models", "show", "den");
        assertTrue(show.out().lines().anyMatch(l -> l.startsWith("val_psnr") && l.split("\\s+").length == 3), show.out());
        assertTrue(show.out().contains("2 (champion)"), show.out());

        // evaluate takes the champion by name
        assertEquals(0, run("evaluate", "run.id=r1", "eval.checkpoint=den").status());
        JsonNode eval = new ObjectMapper().readTree(Files.readString(tmp.resolve("runs/r1/eval/metrics.json")));
        assertEquals(store.dirFor(best).toString(), eval.get("checkpoint").asText());

        Run rolledBack = run("models", "rollback", "den");
        assertEquals(0, rolledBack.status(), rolledBack.err());
        assertEquals(1, registry.champion("den").orElseThrow().version());
        assertEquals(store.dirFor(1), ModelRegistry.resolve("den", s.registry(), conf));
        assertEquals(new Path(store.dirFor(best).toString()), ModelRegistry.resolve("den@2", s.registry(), conf));
        Run noEarlier = run("models", "rollback", "den");
        assertEquals(1, noEarlier.status());
        assertTrue(noEarlier.err().contains("no earlier champion"), noEarlier.err());
        Run unknown = run("evaluate", "run.id=r1", "eval.checkpoint=nosuch");
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().contains("Model 'nosuch' has no champion") && unknown.err().contains("no such model"), unknown.err());
    }
}
