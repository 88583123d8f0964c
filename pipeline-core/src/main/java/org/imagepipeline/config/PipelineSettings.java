package org.imagepipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import org.imagepipeline.augment.DegradationSettings;
import org.imagepipeline.data.IngestSettings;
import org.imagepipeline.model.AdversarialSettings;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;

import java.io.Serializable;
import java.nio.file.Path;
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
        return from(config, TestingHooks.allowed());
    }

    /** As {@link #from(Config)}, with the testing hooks (pipeline.testing.*) allowed or refused. */
    static PipelineSettings from(Config effective, boolean testingHooksAllowed) {
        Config config = TestingHooks.withoutProperty(effective);
        ConfigReader r = new ConfigReader(config);
        TestingHooks hooks = TestingHooks.read(r, testingHooksAllowed);
        r.errors().addAll(ConfigLoader.unknownKeys(config));
        RunSettings run = RunSettings.read(r);
        SparkSettings spark = SparkSettings.read(r);
        StorageSettings storage = StorageSettings.read(r);
        TrainSettings train = TrainSettings.read(r);
        EvalSettings eval = EvalSettings.read(r);
        DemoSettings demo = DemoSettings.read(r);
        RestoreSettings restore = RestoreSettings.read(r, hooks);
        PrepareSettings prepare = PrepareSettings.read(r);
        IngestSettings ingest = Sections.ingest(r, run);
        ModelSpec model = Sections.model(r, run);
        RegistrySettings registry = RegistrySettings.read(r, run);
        GanSettings gan = GanSettings.read(r, hooks);
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
        if (out.hasPath(sparkConf) && out.getValue(sparkConf) instanceof ConfigObject) {
            for (Map.Entry<String, ConfigValue> e : out.getConfig(sparkConf).entrySet()) {
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
        Config saved = ConfigFactory.parseString(savedConfig)
                .withFallback(ConfigFactory.defaultReference(PipelineSettings.class.getClassLoader()))
                .resolve();
        return new PipelineSettings(run, spark, storage, ingest, prepare, from(saved).model(), train, eval, demo, restore,
                registry, gan, rendered);
    }

    /** Where the catalog is: pipeline.ingest.catalog, or {@code <run.root>/catalog}. */
    public String catalogDir() {
        return ingest.catalogDir();
    }

    /**
     * The hash a restoration checkpoint records of what shapes its weights (see
     * {@link #trainingDigest()}): {@code v2-} and 16 hex digits. Epoch count, time budget,
     * patience, validation, resume and run id are left out so a run can be extended or resumed.
     */
    public String trainingHash() {
        return trainingDigest().hash();
    }

    /**
     * Whether a checkpoint that recorded {@code recorded} was trained with these settings: the
     * current {@link #trainingHash()}, or the v1 hash of these settings that checkpoints made
     * before the versioned digest carry.
     */
    public boolean acceptsTrainingHash(String recorded) {
        return trainingHash().equals(recorded) || legacyTrainingHash().equals(recorded);
    }

    /** The v1 hash of these settings (16 hex digits, no version), still accepted on resume. */
    String legacyTrainingHash() {
        return LegacyTrainingHash.restoration(this);
    }

    /**
     * The values listed in the restoration training hash, version 2: the run seed; the network
     * (model.type, channels, loss, data-type, and the chosen type's model.dncnn.* or model.unet.*);
     * the optimiser (train.learning-rate, adam-beta1/2, weight-decay, lr-schedule and the chosen
     * schedule's lr-gamma and lr-step-epochs or lr-minimum and lr-cosine-iterations, as configured);
     * parameter averaging (train.batch-size-per-worker, averaging-frequency, workers as configured,
     * 0 being Spark's default); the patches (prepare.patch-size, patches-per-image, flips, rot90)
     * and each degradation's enabled flag with, when enabled, its parameters; the adversarial
     * term's weight with, when on, its other train.adversarial.* values; and
     * gan.restoration-mix.images with, when above 0, its checkpoint.
     */
    TrainingDigest trainingDigest() {
        TrainingDigest d = new TrainingDigest("restoration");
        ModelSpec m = model;
        d.put("run.seed", run.seed());
        d.put("model.type", m.type()).put("model.channels", m.channels()).put("model.loss", m.loss())
                .put("model.data-type", m.dataType());
        if (m.type() == ModelType.DNCNN) {
            d.put("model.dncnn.depth", m.dncnnDepth()).put("model.dncnn.features", m.dncnnFeatures())
                    .put("model.dncnn.batch-norm", m.batchNorm());
        } else {
            d.put("model.unet.base-features", m.unetBaseFeatures()).put("model.unet.levels", m.unetLevels())
                    .put("model.unet.downsample", m.unetDownsample()).put("model.unet.upsample", m.unetUpsample());
        }
        d.put("train.learning-rate", m.learningRate()).put("train.adam-beta1", m.adamBeta1()).put("train.adam-beta2", m.adamBeta2())
                .put("train.weight-decay", m.weightDecay()).put("train.lr-schedule", m.lrSchedule());
        if (m.lrSchedule() == LrSchedule.STEP) {
            d.put("train.lr-gamma", m.lrGamma()).put("train.lr-step-epochs", m.lrStepEpochs());
        } else if (m.lrSchedule() == LrSchedule.COSINE) {
            d.put("train.lr-minimum", m.lrMinimum()).put("train.lr-cosine-iterations", train.lrCosineIterations());
        }
        d.put("train.batch-size-per-worker", train.batchSizePerWorker()).put("train.averaging-frequency", train.averagingFrequency())
                .put("train.workers", train.workers());
        d.put("prepare.patch-size", prepare.patchSize()).put("prepare.patches-per-image", prepare.patchesPerImage())
                .put("prepare.flips", prepare.sampler().flips()).put("prepare.rot90", prepare.sampler().rot90());
        DegradationSettings g = prepare.degradations();
        String p = "prepare.degradations.";
        if (enabled(d, p + "gaussian-noise", g.gaussianNoise().enabled())) d.put(p + "gaussian-noise.sigma", g.gaussianNoise().sigma());
        if (enabled(d, p + "poisson-noise", g.poissonNoise().enabled())) d.put(p + "poisson-noise.peak", g.poissonNoise().peak());
        if (enabled(d, p + "gaussian-blur", g.gaussianBlur().enabled())) d.put(p + "gaussian-blur.sigma", g.gaussianBlur().sigma());
        if (enabled(d, p + "motion-blur", g.motionBlur().enabled())) {
            d.put(p + "motion-blur.length", g.motionBlur().length()).put(p + "motion-blur.angle", g.motionBlur().angle());
        }
        if (enabled(d, p + "downscale", g.downscale().enabled())) d.put(p + "downscale.factor", g.downscale().factor());
        if (enabled(d, p + "jpeg", g.jpeg().enabled())) d.put(p + "jpeg.quality", g.jpeg().quality());
        if (enabled(d, p + "mask", g.mask().enabled())) {
            d.put(p + "mask.coverage", g.mask().coverage()).put(p + "mask.fill", g.mask().fill())
                    .put(p + "mask.fill-value", g.mask().fillValue());
        }
        AdversarialSettings a = train.adversarial();
        d.put("train.adversarial.weight", a.weight());
        if (a.enabled()) {
            d.put("train.adversarial.discriminator-features", a.discriminatorFeatures())
                    .put("train.adversarial.discriminator-levels", a.discriminatorLevels())
                    .put("train.adversarial.learning-rate", a.learningRate()).put("train.adversarial.adam-beta1", a.beta1())
                    .put("train.adversarial.adam-beta2", a.beta2()).put("train.adversarial.label-smoothing", a.labelSmoothing());
        }
        d.put("gan.restoration-mix.images", gan.restorationMix().images());
        if (gan.restorationMix().images() > 0) d.put("gan.restoration-mix.checkpoint", gan.restorationMix().checkpoint());
        return d;
    }

    private static boolean enabled(TrainingDigest d, String degradation, boolean enabled) {
        d.put(degradation + ".enabled", enabled);
        return enabled;
    }
}
