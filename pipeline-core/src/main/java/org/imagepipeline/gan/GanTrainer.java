package org.imagepipeline.gan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.imagepipeline.augment.Seeds;
import org.imagepipeline.config.GanSettings;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.model.GraphCopy;
import org.imagepipeline.model.LayerParams;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.train.TrainingMasters;
import org.imagepipeline.train.TrainingRun;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Trains a DCGAN with dl4j-spark parameter averaging. Each round (a "step"):
 * <ol>
 *   <li>discriminator phase: every worker fits d-steps minibatches, each half catalog images
 *   (target 1 - label-smoothing) and half images generated on the executor from the broadcast
 *   generator (target 0); one parameter average;</li>
 *   <li>generator phase: the combined graph (generator, frozen discriminator) with the new
 *   discriminator weights fits g-steps minibatches of latent vectors per worker with target 1;
 *   one parameter average; the generator's weights are copied back and folded into their
 *   exponential moving average, whose batch norms get the running statistics of a fixed latent
 *   batch ({@link GanModels#recalibrateBatchNorm}) whenever the average is sampled, measured or
 *   checkpointed.</li>
 * </ol>
 * Every random draw derives from (run seed, round), so a resumed run repeats exactly what an
 * uninterrupted one does. Metrics lines, sample grids of the averaged generator on a fixed latent
 * batch, and committed checkpoints are written at the cadences of {@link GanSettings}; resume,
 * the time budget, the learning-rate progress, divergence stops and checkpoint retention are the
 * run lifecycle's ({@link TrainingRun}).
 */
public final class GanTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(GanTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Catalog images and latent vectors on which D(x), D(G(z)) and accuracy are measured each round
     * (metrics lines average them over gan.log-every rounds). 16 of each: with 64, bench gan ran
     * 1.297 rounds/s instead of 1.423.
     */
    static final int EVAL_BATCH = 16;
    /** Latent vectors on which the weight-averaged generator's batch-norm statistics are measured. */
    static final int CALIBRATION_BATCH = 256;
    private static final String LR_ADVICE = "Lower pipeline.gan.learning-rate-d / learning-rate-g";

    /** What a training left behind. */
    public record Result(RunDir run, int steps, String stopReason, Path lastCheckpoint, Path lastGrid, String quality) {}

    private final PipelineSettings settings;

    public GanTrainer(PipelineSettings settings) {
        this.settings = settings;
    }

    public Result train(SparkSession spark, RunDir run, String catalogDir) {
        GanSettings s = settings.gan();
        long seed = settings.run().seed();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int workers = settings.train().resolvedWorkers(jsc.defaultParallelism());

        JavaRDD<Image> real = realImages(spark, catalogDir, s, workers);
        long nReal = real.count();
        if (nReal < workers) {
            real.unpersist(false);
            throw new IllegalStateException("The catalog " + catalogDir + " has " + nReal + " images in its train split, "
                    + "fewer than the " + workers + " workers: ingest more images or lower pipeline.train.workers");
        }
        INDArray evalReal = GanImages.toTanh(real.take(EVAL_BATCH));

        GanQuality quality = null;
        String qualityNote = "off (gan.quality.every = 0)";
        if (s.quality().every() > 0) {
            GanQuality.Prepared q = GanQuality.prepare(spark, catalogDir, s, seed);
            quality = q.quality();
            if (quality == null) {
                qualityNote = q.skipped();
                LOG.warn("GAN quality metrics: {}", qualityNote);
            } else {
                GanQuality.Reference ref = quality.reference();
                qualityNote = "FD-classifier and classifier score in the features of a CNN trained on " + ref.trainImages()
                        + " images of " + ref.classes().size() + " classes, accuracy " + String.format("%.4f", ref.heldOutAccuracy())
                        + " on " + ref.heldOutImages() + " held-out images; those real images themselves score FD-classifier "
                        + String.format("%.2f", ref.heldOutFd()) + ", classifier score " + String.format("%.2f", ref.heldOutScore());
            }
        }
        LOG.info("GAN training on {} images at {}x{}x{}, {} workers, {} rounds", nReal, s.resolution(), s.resolution(),
                s.channels(), workers, s.steps());
        Rounds flow = new Rounds(jsc, run, real, evalReal, quality, workers);
        TrainingRun.Result r;
        try {
            // GAN checkpoints are not registered: the registry's versions are restoration models.
            r = new TrainingRun("GAN training", run, flow, s.resume(), new ModelRegistry(settings.registry(), run.hadoopConf()),
                    "", catalogDir).execute();
        } finally {
            real.unpersist(false);
        }
        return new Result(run, flow.state.step(), r.stopReason(), r.lastCheckpoint(), flow.lastGrid, qualityNote);
    }

    /** The GAN flow: one step is one round, a discriminator phase and a generator phase. */
    private final class Rounds implements TrainingRun.Flow {
        private final JavaSparkContext jsc;
        private final RunDir run;
        private final JavaRDD<Image> real;
        private final INDArray evalReal;
        private final GanQuality quality;
        private final int workers;
        private final GanSettings s = settings.gan();
        private final long seed = settings.run().seed();
        private final long qualitySeed;
        private final String configHash;
        private final CheckpointStore store;
        /** The weight average's batch norms get the statistics of this fixed batch whenever it is used. */
        private final INDArray calibrationZ;
        private ComputationGraph generator;
        private ComputationGraph ema;
        private ComputationGraph discriminator;
        private ComputationGraph combined;
        private INDArray fixedZ;
        private GanState state;
        /** Training seconds of the sessions before this one. */
        private double startSeconds;
        private Window window = new Window();
        private String pendingWarning;
        private Path lastGrid;

        Rounds(JavaSparkContext jsc, RunDir run, JavaRDD<Image> real, INDArray evalReal, GanQuality quality, int workers) {
            this.jsc = jsc;
            this.run = run;
            this.real = real;
            this.evalReal = evalReal;
            this.quality = quality;
            this.workers = workers;
            this.qualitySeed = Seeds.derive(seed, -2, "quality-z", 0);
            this.configHash = s.trainingHash(seed, workers);
            this.store = GanCheckpoint.store(run.checkpoints(), run.hadoopConf());
            this.calibrationZ = GanImages.latent(Seeds.derive(seed, -3, "bn-calibration-z", 0), CALIBRATION_BATCH, s.latentSize());
        }

        @Override
        public TrainingRun.Plan plan() {
            return new TrainingRun.Plan("step", s.steps(), s.timeBudgetSeconds(), configHash, store, s.keepCheckpoints());
        }

        @Override
        public boolean acceptsTrainingHash(String hash) {
            return s.acceptsTrainingHash(hash, seed, workers);
        }

        @Override
        public Optional<TrainingRun.Resumed> resume() {
            Optional<GanCheckpoint.Loaded> loaded = GanCheckpoint.loadNewest(store, run.hadoopConf());
            if (loaded.isEmpty()) return Optional.empty();
            GanCheckpoint.Loaded l = loaded.get();
            generator = l.generator();
            ema = l.ema();
            discriminator = l.discriminator();
            combined = l.combined();
            fixedZ = l.fixedZ();
            state = l.state();
            startSeconds = state.trainSeconds();
            return Optional.of(new TrainingRun.Resumed(l.dir(), state.configHash(), state.step()));
        }

        @Override
        public void startFresh() {
            generator = GanModels.generator(s, seed);
            discriminator = GanModels.discriminator(s, seed + 1);
            combined = GanModels.combined(s, seed + 2);
            LayerParams.copy(generator, combined, GanModels.G_PREFIX);
            ema = generator.clone();
            fixedZ = GanImages.latent(Seeds.derive(seed, -1, "fixed-z", 0), s.sampleGrid() * s.sampleGrid(), s.latentSize());
            state = new GanState(0, seed, configHash, 0, 0, 0);
        }

        @Override
        public TrainingRun.Outcome train(TrainingRun.Step step) {
            final int round = step.index();
            long t0 = System.nanoTime();
            setLearningRates(s, step.progress(), discriminator, combined);

            if (round + 1 == s.injectNanAtStep()) {
                LOG.warn("pipeline.testing.gan.inject-nan-at-step = {}: the discriminator's weights are set to NaN (testing hook)", round + 1);
                discriminator.params().assign(Float.NaN);
            }
            // Discriminator phase: real and generated halves, fakes made on the executors.
            Broadcast<GraphCopy> g = jsc.broadcast(new GraphCopy(generator));
            JavaRDD<DataSet> dData = real.mapPartitionsWithIndex(new DiscriminatorBatches(g, s, seed, round), true);
            SparkComputationGraph dNet = new SparkComputationGraph(jsc, discriminator,
                    TrainingMasters.parameterAveragingPartitioned(settings, workers, s.batchSize(), s.batchSize(), s.dSteps(),
                            Seeds.derive(seed, round, "d-master", 0)));
            TrainingMasters.fit(dNet, dData);
            discriminator = dNet.getNetwork();
            double dLoss = dNet.getScore();
            g.destroy();
            step.requireFinite("discriminator loss", dLoss, LR_ADVICE);

            // Generator phase: through the frozen, just-updated discriminator.
            LayerParams.copy(discriminator, combined, GanModels.D_PREFIX);
            int batch = s.batchSize();
            int latent = s.latentSize();
            long seed = this.seed; // a local, not the field: the closure must not capture this flow
            JavaRDD<DataSet> gData = jsc.parallelize(IntStream.range(0, workers * s.gSteps()).boxed().toList(), workers)
                    .map(i -> new DataSet(GanImages.latent(Seeds.derive(seed, round, "g", i), batch, latent),
                            Nd4j.ones(DataType.FLOAT, batch, 1)));
            SparkComputationGraph gNet = new SparkComputationGraph(jsc, combined,
                    TrainingMasters.parameterAveragingPartitioned(settings, workers, batch, batch, s.gSteps(),
                            Seeds.derive(seed, round, "g-master", 0)));
            TrainingMasters.fit(gNet, gData);
            combined = gNet.getNetwork();
            double gLoss = gNet.getScore();
            step.requireFinite("generator loss", gLoss, LR_ADVICE);
            LayerParams.copy(combined, generator, GanModels.G_PREFIX);
            double decay = s.emaDecay(round + 1);
            if (decay > 0) {
                ema.params().muli(decay).addi(generator.params().mul(1 - decay));
            } else {
                ema.params().assign(generator.params());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;

            int done = round + 1;
            long examples = (long) workers * batch * (s.dSteps() + s.gSteps());
            Eval e = evaluate(generator, discriminator, evalReal, GanImages.latent(Seeds.derive(seed, round, "eval", 0),
                    (int) evalReal.size(0), latent));
            int streak = e.accuracy() >= 1.0 && e.dFake() < 0.05 ? state.dWinStreak() + 1 : 0;
            if (streak == s.dWinSteps()) {
                pendingWarning = "the discriminator has won completely for " + streak + " steps (step " + done
                        + "): D(x) " + fmt(e.dReal()) + ", D(G(z)) " + fmt(e.dFake()) + "; the generator may have stopped learning";
                LOG.warn("GAN: {}", pendingWarning);
            }
            double elapsed = startSeconds + step.sessionSeconds();
            state = new GanState(done, seed, configHash, elapsed, streak, state.examples() + examples);
            window.add(dLoss, gLoss, e, examples, seconds);

            boolean last = step.last();
            boolean measure = quality != null && (done % s.quality().every() == 0 || last);
            boolean grid = done % s.sampleEvery() == 0 || last;
            boolean checkpoint = done % s.checkpointEvery() == 0 || last;
            if (s.emaHalfLifeSteps() > 0 && (measure || grid || checkpoint)) {
                // Only when the average is used: the statistics depend on its weights alone, not on the
                // averaged running statistics they replace, so skipped rounds change nothing.
                GanModels.recalibrateBatchNorm(ema, calibrationZ);
            }
            ObjectNode line = null;
            if (done % s.logEvery() == 0 || last || measure) {
                line = window.line(done, elapsed);
                if (measure) {
                    GanQuality.Measurement m = quality.measure(ema, s.quality().samples(), qualitySeed);
                    line.put("fd_classifier", m.fd());
                    line.put("classifier_score", m.score());
                    LOG.info("GAN step {}: FD-classifier {}, classifier score {}", done, fmt(m.fd()), fmt(m.score()));
                }
                if (pendingWarning != null) line.put("warning", pendingWarning);
                pendingWarning = null;
                LOG.info("GAN step {}/{}: d_loss {}, g_loss {}, D(x) {}, D(G(z)) {}, accuracy {}, {} samples/s", done, s.steps(),
                        fmt(line.get("d_loss").asDouble()), fmt(line.get("g_loss").asDouble()), fmt(line.get("d_real").asDouble()),
                        fmt(line.get("d_fake").asDouble()), fmt(line.get("d_accuracy").asDouble()),
                        String.format("%.1f", line.get("samples_per_second").asDouble()));
                window = new Window();
            }
            if (grid) {
                lastGrid = writeGrid(run, ema, fixedZ, s, done);
            }
            return TrainingRun.Outcome.of(line, checkpoint);
        }

        @Override
        public Path writeCheckpoint() {
            return GanCheckpoint.write(store, generator, ema, discriminator, combined, fixedZ, state);
        }
    }

    /**
     * Sets both networks' learning rates for a round at {@code progress} of the run, every round: a
     * checkpoint carries the rate its networks last trained at, and a resumed run may be at an
     * earlier point of the schedule (a new session's time budget, a larger gan.steps). Set on the
     * driver's networks; each phase ships their configuration to the workers.
     */
    static void setLearningRates(GanSettings s, double progress, ComputationGraph discriminator, ComputationGraph combined) {
        double factor = s.lrFactor(progress);
        discriminator.setLearningRate(s.learningRateD() * factor);
        combined.setLearningRate(s.learningRateG() * factor);
    }

    /**
     * Train-split images prepared for the GAN, spread over {@code workers} partitions in a fixed
     * order, cached as objects: every discriminator phase walks each whole partition to draw its
     * minibatches, and deserializing all of them each round (a serialized cache) took a large share
     * of a round. Partitions that do not fit in memory spill to disk.
     */
    static JavaRDD<Image> realImages(SparkSession spark, String catalogDir, GanSettings s, int workers) {
        int res = s.resolution();
        int channels = s.channels();
        return Catalog.images(spark, catalogDir, "train", channels, Long.MAX_VALUE)
                .values().map(im -> GanImages.toTraining(im, res, channels))
                .zipWithIndex().mapToPair(Tuple2::swap)
                .repartitionAndSortWithinPartitions(new HashPartitioner(workers))
                .values().persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Writes the averaged generator's images of the fixed latent batch as {@code samples/step-NNNNNN.png}. */
    static Path writeGrid(RunDir run, ComputationGraph generator, INDArray fixedZ, GanSettings s, int step) {
        String name = String.format("samples/step-%06d.png", step);
        Image grid = GanImages.grid(GanImages.fromTanh(generator.outputSingle(false, fixedZ)), s.sampleGrid());
        run.writeBytes(name, ImageCodec.encodePng(grid, 8));
        return run.resolve(name);
    }

    /** D(x), D(G(z)) and the discriminator's accuracy at threshold 0.5 on one batch of each. */
    record Eval(double dReal, double dFake, double accuracy) {}

    static Eval evaluate(ComputationGraph generator, ComputationGraph discriminator, INDArray real, INDArray z) {
        INDArray pReal = discriminator.outputSingle(false, real);
        INDArray pFake = discriminator.outputSingle(false, generator.outputSingle(false, z));
        double right = pReal.gt(0.5).castTo(DataType.FLOAT).sumNumber().doubleValue()
                + pFake.lt(0.5).castTo(DataType.FLOAT).sumNumber().doubleValue();
        return new Eval(pReal.meanNumber().doubleValue(), pFake.meanNumber().doubleValue(),
                right / (pReal.length() + pFake.length()));
    }

    private static String fmt(double d) {
        return String.format("%.4f", d);
    }

    /** Means over the rounds since the last metrics line. */
    private static final class Window {
        int rounds;
        double dLoss, gLoss, dReal, dFake, accuracy, seconds;
        long examples;

        void add(double dl, double gl, Eval e, long ex, double sec) {
            rounds++;
            dLoss += dl;
            gLoss += gl;
            dReal += e.dReal();
            dFake += e.dFake();
            accuracy += e.accuracy();
            examples += ex;
            seconds += sec;
        }

        ObjectNode line(int step, double wallSeconds) {
            ObjectNode n = JSON.createObjectNode();
            n.put("step", step);
            n.put("d_loss", dLoss / rounds);
            n.put("g_loss", gLoss / rounds);
            n.put("d_real", dReal / rounds);
            n.put("d_fake", dFake / rounds);
            n.put("d_accuracy", accuracy / rounds);
            n.put("samples_per_second", examples / seconds);
            n.put("wall_seconds", wallSeconds);
            return n;
        }
    }

    /**
     * Executor side of the discriminator phase: d-steps minibatches from one partition of real
     * images, each half real images drawn with replacement and half generated, seeded by (run
     * seed, round, partition).
     */
    private static final class DiscriminatorBatches implements Function2<Integer, Iterator<Image>, Iterator<DataSet>> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<GraphCopy> generator;
        private final GanSettings s;
        private final long seed;
        private final int round;

        DiscriminatorBatches(Broadcast<GraphCopy> generator, GanSettings s, long seed, int round) {
            this.generator = generator;
            this.s = s;
            this.seed = seed;
            this.round = round;
        }

        @Override
        public Iterator<DataSet> call(Integer partition, Iterator<Image> images) {
            List<Image> pool = new ArrayList<>();
            images.forEachRemaining(pool::add);
            List<DataSet> out = new ArrayList<>();
            if (pool.isEmpty()) return out.iterator();
            ComputationGraph g = generator.value().build();
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, round, "d", partition));
            int half = s.batchSize() / 2;
            for (int k = 0; k < s.dSteps(); k++) {
                List<Image> picked = new ArrayList<>(half);
                for (int i = 0; i < half; i++) picked.add(pool.get(rng.nextInt(pool.size())));
                INDArray z = GanImages.latent(rng.nextLong(), half, s.latentSize());
                // Training mode: batch statistics, as the generator phase trains with them.
                INDArray fake = g.feedForward(z, true).get(GanModels.G_OUT).dup();
                INDArray features = Nd4j.concat(0, GanImages.toTanh(picked), fake);
                INDArray labels = Nd4j.concat(0, Nd4j.valueArrayOf(new long[] {half, 1}, s.realLabel(), DataType.FLOAT),
                        Nd4j.zeros(DataType.FLOAT, half, 1));
                out.add(new DataSet(features, labels));
            }
            return out.iterator();
        }
    }
}
