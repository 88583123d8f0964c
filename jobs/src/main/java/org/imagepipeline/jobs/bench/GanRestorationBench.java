package org.imagepipeline.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.eval.Evaluator;
import org.imagepipeline.gan.GanTrainer;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.restoration.RestorationTrainer;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * "Generation helps restoration", measured: restoration PSNR/SSIM on the test split of one image
 * folder after the same training budget (train.epochs / train.time-budget-seconds), three ways:
 * plain pixel loss, with the adversarial term (pipeline.train.adversarial, weight
 * train.adversarial.weight or 1e-3 when that is 0), and with GAN images mixed into the training set
 * (pipeline.gan.restoration-mix: images gan.restoration-mix.images or a quarter of the train split
 * when that is 0, from a GAN checkpoint given on the command line, or else from a GAN trained here
 * on the same catalog for gan.time-budget-seconds). Each model is scored at its last epoch. The
 * folder is ingested once into {@code <run.root>/bench-gan-restoration/catalog-<hash>}.
 */
public final class GanRestorationBench {
    private GanRestorationBench() {}

    public static ObjectNode run(SparkSession spark, PipelineSettings s, String folder, String ganCheckpoint) {
        String root = s.run().root() + "/bench-gan-restoration";
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        GanBench.Catalogued c = GanBench.catalog(spark, s, folder, root);
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("data", folder);
        out.put("catalog", c.catalog());
        out.put("catalog_images", c.images());
        out.put("ingest_seconds", c.ingestSeconds());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.put("network", String.valueOf(s.model()));
        out.put("budget", "train.epochs = " + s.train().epochs() + ", train.time-budget-seconds = " + s.train().timeBudgetSeconds()
                + " per model; each scored at its last epoch on at most eval.max-images = " + s.eval().maxImages()
                + " test images (eval.crop = " + s.eval().crop() + ")");

        ObjectNode gan = out.putObject("gan");
        String checkpoint = ganCheckpoint;
        if (checkpoint == null || checkpoint.isBlank()) {
            if (s.gan().timeBudgetSeconds() <= 0) {
                throw new IllegalArgumentException("bench gan-restoration trains a GAN when no GAN checkpoint is given: "
                        + "set gan.time-budget-seconds=<seconds> or pass a checkpoint as the bench's third argument");
            }
            PipelineSettings gs = with(s, Map.of("pipeline.gan.quality.every", 0));
            RunDir ganRun = new RunDir(root, "gan-" + RunDir.newId(), conf);
            ganRun.writeText("config.conf", gs.rendered());
            long t0 = System.nanoTime();
            GanTrainer.Result r = new GanTrainer(gs).train(spark, ganRun, c.catalog());
            gan.put("trained_here", true);
            gan.put("steps", r.steps());
            gan.put("seconds", (System.nanoTime() - t0) / 1e9);
            gan.put("final_grid", String.valueOf(r.lastGrid()));
            checkpoint = r.lastCheckpoint().toString();
        } else {
            gan.put("trained_here", false);
        }
        gan.put("checkpoint", checkpoint);

        long trainImages = Catalog.images(spark, c.catalog(), "train", s.model().channels(), s.ingest().maxPixels()).count();
        int mixImages = s.gan().restorationMix().images() > 0 ? s.gan().restorationMix().images() : (int) Math.max(1, trainImages / 4);
        double weight = s.train().adversarial().enabled() ? s.train().adversarial().weight() : 1e-3;
        out.put("train_images", trainImages);
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        variants.put("baseline", Map.of("pipeline.train.adversarial.weight", 0, "pipeline.gan.restoration-mix.images", 0));
        variants.put("adversarial", Map.of("pipeline.train.adversarial.weight", weight, "pipeline.gan.restoration-mix.images", 0));
        variants.put("gan_mix", Map.of("pipeline.train.adversarial.weight", 0, "pipeline.gan.restoration-mix.images", mixImages,
                "pipeline.gan.restoration-mix.checkpoint", checkpoint));
        ObjectNode results = out.putObject("results");
        String id = RunDir.newId();
        for (Map.Entry<String, Map<String, Object>> v : variants.entrySet()) {
            PipelineSettings vs = with(s, v.getValue());
            RunDir run = new RunDir(root, v.getKey() + "-" + id, conf);
            run.writeText("config.conf", vs.rendered());
            long t0 = System.nanoTime();
            RestorationTrainer.Result tr = new RestorationTrainer(vs).train(spark, run, c.catalog());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Evaluator.Result e = Evaluator.run(spark, vs, run, new CheckpointStore(run.checkpoints(), conf).dirFor(tr.epochsDone()),
                    c.catalog());
            ObjectNode r = results.putObject(v.getKey());
            r.put("settings", v.getValue().toString());
            r.put("epochs", tr.epochsDone());
            r.put("train_seconds", seconds);
            r.put("stop_reason", tr.stopReason());
            r.put("best_val_psnr", tr.bestValPsnr());
            r.put("test_images", e.images());
            Evaluator.put(r.putObject("test_input"), e.input());
            Evaluator.put(r.putObject("test_output"), e.output());
            r.put("run", run.toString());
        }
        for (String v : new String[] {"adversarial", "gan_mix"}) {
            ObjectNode d = out.putObject(v + "_minus_baseline");
            d.put("psnr_db", results.get(v).get("test_output").get("psnr").asDouble()
                    - results.get("baseline").get("test_output").get("psnr").asDouble());
            d.put("ssim", results.get(v).get("test_output").get("ssim").asDouble()
                    - results.get("baseline").get("test_output").get("ssim").asDouble());
        }
        out.put("load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return out;
    }

    /** {@code s} with some keys (full paths) set otherwise, validated like any settings. */
    static PipelineSettings with(PipelineSettings s, Map<String, Object> overrides) {
        Config c = ConfigFactory.parseString(s.rendered());
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        PipelineSettings v = PipelineSettings.from(c.withFallback(ConfigFactory.defaultReference(PipelineSettings.class.getClassLoader())).resolve());
        // s.rendered() has its secrets redacted: keep the real Spark and storage settings (s3a keys).
        return new PipelineSettings(v.run(), s.spark(), s.storage(), v.ingest(), v.prepare(), v.model(), v.train(), v.eval(),
                v.demo(), v.restore(), v.registry(), v.gan(), v.rendered());
    }
}
