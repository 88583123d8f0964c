package org.imagepipeline.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.data.CatalogException;
import org.imagepipeline.data.ContentHash;
import org.imagepipeline.data.Ingest;
import org.imagepipeline.config.GanSettings;
import org.imagepipeline.gan.GanTrainer;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.store.MetricsLog;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * GAN training on an image folder for pipeline.gan.time-budget-seconds: steps/s, and
 * FD-classifier and classifier score over time (gan.quality.every), and the last sample grid.
 * The folder is ingested once into {@code <run.root>/bench-gan/catalog-<hash of its path>} and
 * reused by later runs; each run writes a new run directory beside it.
 */
public final class GanBench {
    private GanBench() {}

    /** A folder's catalog, its image count, and the seconds spent ingesting it (0 when it was there already). */
    public record Catalogued(String catalog, long images, double ingestSeconds) {}

    /**
     * The catalog of {@code folder} under {@code root}/catalog-&lt;hash of the folder's path&gt;, ingested
     * on first use and reused afterwards.
     */
    public static Catalogued catalog(SparkSession spark, PipelineSettings s, String folder, String root) {
        String catalog = root + "/catalog-" + ContentHash.sha256Hex(folder.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        try {
            return new Catalogued(catalog, Catalog.load(spark, catalog).count(), 0);
        } catch (CatalogException e) {
            long t0 = System.nanoTime();
            long n = Ingest.run(spark, s.ingest().withPaths(folder, catalog)).imagesCatalogued();
            return new Catalogued(catalog, n, (System.nanoTime() - t0) / 1e9);
        }
    }

    public static ObjectNode run(SparkSession spark, PipelineSettings s, String folder) {
        GanSettings g = s.gan();
        if (g.timeBudgetSeconds() <= 0) {
            throw new IllegalArgumentException("bench gan needs a time budget: gan.time-budget-seconds=<seconds>");
        }
        String root = s.run().root() + "/bench-gan";
        Catalogued c = catalog(spark, s, folder, root);
        String catalog = c.catalog();
        long catalogued = c.images();
        double ingestSeconds = c.ingestSeconds();
        RunDir run = new RunDir(root, "gan-" + RunDir.newId(), spark.sparkContext().hadoopConfiguration());
        run.writeText("config.conf", s.rendered());
        long t0 = System.nanoTime();
        GanTrainer.Result r = new GanTrainer(s).train(spark, run, catalog);
        double seconds = (System.nanoTime() - t0) / 1e9;

        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("data", folder);
        out.put("catalog", catalog);
        out.put("catalog_images", catalogued);
        out.put("ingest_seconds", ingestSeconds);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.put("budget_seconds", g.timeBudgetSeconds());
        out.set("gan", json.valueToTree(g));
        out.put("workers", s.train().resolvedWorkers(spark.sparkContext().defaultParallelism()));
        out.put("steps", r.steps());
        out.put("train_seconds", seconds);
        out.put("stop_reason", r.stopReason());
        out.put("quality", r.quality());
        ArrayNode curve = out.putArray("curve");
        JsonNode last = null;
        double sps = 0;
        int lines = 0;
        for (JsonNode l : MetricsLog.read(run)) {
            sps += l.path("samples_per_second").asDouble();
            lines++;
            if (!l.has("classifier_score")) continue;
            ObjectNode p = curve.addObject();
            p.put("step", l.get("step").asInt());
            p.put("wall_seconds", l.get("wall_seconds").asDouble());
            p.put("fd_classifier", l.get("fd_classifier").asDouble());
            p.put("classifier_score", l.get("classifier_score").asDouble());
            p.put("d_accuracy", l.get("d_accuracy").asDouble());
            last = p;
        }
        out.put("mean_samples_per_second", lines == 0 ? 0 : sps / lines);
        // The metrics' wall clock counts GAN rounds only; the rest is the classifier's set-up (or cache read).
        double ganSeconds = lines == 0 ? seconds : MetricsLog.read(run).get(lines - 1).get("wall_seconds").asDouble();
        out.put("gan_seconds", ganSeconds);
        out.put("setup_seconds", seconds - ganSeconds);
        out.put("steps_per_second", r.steps() / ganSeconds);
        if (last != null) {
            out.put("final_fd_classifier", last.get("fd_classifier").asDouble());
            out.put("final_classifier_score", last.get("classifier_score").asDouble());
        }
        out.put("final_grid", String.valueOf(r.lastGrid()));
        out.put("run", run.toString());
        return out;
    }
}
