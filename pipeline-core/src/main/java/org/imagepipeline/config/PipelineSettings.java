package org.imagepipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import org.imagepipeline.data.IngestSettings;
import org.imagepipeline.config.GanSettings;
import org.imagepipeline.model.ModelSpec;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the pipeline, read once and validated up front. Immutable and serializable,
 * so executors receive typed values, never files.
 */
public record PipelineSettings(RunSettings run, SparkSettings spark, StorageSettings storage, IngestSettings ingest,
                               PrepareSettings prepare, ModelSpec model, TrainSettings train, EvalSettings eval,
                               DemoSettings demo, RestoreSettings restore, RegistrySettings registry, GanSettings gan,
                               String rendered) implements Serializable {

    /** Loads config files and overrides (see {@link ConfigLoader}) and validates every key. */
    public static PipelineSettings load(List<Path> confFiles, Map<String, String> overrides) {
        return from(ConfigLoader.load(confFiles, overrides));
    }

    /** As {@link #load(List, Map)} with a job's own defaults under the user's settings. */
    public static PipelineSettings load(List<Path> confFiles, Map<String, String> overrides, Config jobDefaults) {
        return from(ConfigLoader.load(confFiles, overrides, jobDefaults));
    }

    /** Reads every section; throws {@link SettingsException} listing all problems at once. */
    public static PipelineSettings from(Config config) {
        ConfigReader r = new ConfigReader(config);
        r.errors().addAll(ConfigLoader.unknownKeys(config));
        RunSettings run = RunSettings.read(r);
        SparkSettings spark = SparkSettings.read(r);
        StorageSettings storage = StorageSettings.read(r);
        TrainSettings train = TrainSettings.read(r);
        EvalSettings eval = EvalSettings.read(r);
        DemoSettings demo = DemoSettings.read(r);
        RestoreSettings restore = RestoreSettings.read(r);
        PrepareSettings prepare = PrepareSettings.read(r);
        IngestSettings ingest = Sections.ingest(r, run);
        ModelSpec model = Sections.model(r, run);
        RegistrySettings registry = RegistrySettings.read(r, run);
        GanSettings gan = GanSettings.read(r);
        if (model != null && prepare != null && prepare.patchSize() % model.sizeMultiple() != 0) {
            r.fail("pipeline.prepare.patch-size", "a multiple of " + model.sizeMultiple() + " for the "
                    + model.type() + " network of pipeline.model.type (its input sides must be)");
        }
        if (!r.errors().isEmpty()) throw new SettingsException(r.errors());
        String rendered = redacted(config).getConfig(ConfigLoader.ROOT).atKey(ConfigLoader.ROOT).root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
        return new PipelineSettings(run, spark, storage, ingest, prepare, model, train, eval, demo, restore, registry, gan,
                rendered);
    }

    /**
     * The configuration with every secret replaced by {@link StorageSettings#REDACTED}: the s3a
     * keys and token, and pipeline.spark.conf entries whose names say they hold one
     * ({@code spark.hadoop.fs.s3a.secret.key}, passwords, tokens). This is what a run saves as
     * config.conf, so a run directory never carries credentials.
     */
    static Config redacted(Config config) {
        Config out = config;
        for (String key : StorageSettings.SECRET_KEYS) {
            if (out.hasPath(key) && !out.getValue(key).unwrapped().toString().isEmpty()) {
                out = out.withValue(key, ConfigValueFactory.fromAnyRef(StorageSettings.REDACTED));
            }
        }
        String sparkConf = "pipeline.spark.conf";
        if (out.hasPath(sparkConf) && out.getValue(sparkConf) instanceof com.typesafe.config.ConfigObject) {
            for (Map.Entry<String, com.typesafe.config.ConfigValue> e : out.getConfig(sparkConf).entrySet()) {
                if (StorageSettings.isSecretName(e.getKey())) {
                    out = out.withValue(sparkConf + "." + e.getKey(), ConfigValueFactory.fromAnyRef(StorageSettings.REDACTED));
                }
            }
        }
        return out;
    }

    /**
     * These settings with the model section of another configuration (a run's saved
     * config.conf): a checkpoint must be run with the architecture it was trained with, whatever
     * the current settings say.
     */
    public PipelineSettings withModelOf(String savedConfig) {
        Config saved = com.typesafe.config.ConfigFactory.parseString(savedConfig)
                .withFallback(com.typesafe.config.ConfigFactory.defaultReference(PipelineSettings.class.getClassLoader()))
                .resolve();
        return new PipelineSettings(run, spark, storage, ingest, prepare, from(saved).model(), train, eval, demo, restore,
                registry, gan, rendered);
    }

    /** Where the catalog is: pipeline.ingest.catalog, or {@code <run.root>/catalog}. */
    public String catalogDir() {
        return ingest.catalogDir();
    }

    /**
     * A hash of what shapes the trained weights: model, data preparation, seed, batch and
     * averaging. Epoch count, time budget, patience and resume are left out so a run can be
     * extended or resumed.
     */
    public String trainingHash() {
        String key = String.join("|", String.valueOf(model), String.valueOf(prepare), String.valueOf(run.seed()),
                String.valueOf(train.batchSizePerWorker()), String.valueOf(train.averagingFrequency()),
                String.valueOf(train.workers()))
                // Only when on, so that runs without the adversarial term keep their hashes.
                + (train.adversarial().enabled() ? "|" + train.adversarial() : "");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
