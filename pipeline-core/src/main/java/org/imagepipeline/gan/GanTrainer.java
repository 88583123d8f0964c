package org.imagepipeline.gan;

import org.imagepipeline.augment.Seeds;
import org.imagepipeline.model.LayerParams;
import org.imagepipeline.config.GanSettings;
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
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.model.GraphCopy;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.store.MetricsLog;
import org.imagepipeline.train.PairSource;
import org.imagepipeline.train.TrainingMasters;
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
 * batch, and committed checkpoints are written at the cadences of {@link GanSettings}.
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
        long qualitySeed = Seeds.derive(seed, -2, "quality-z", 0);

        String configHash = s.trainingHash(seed, workers);
        CheckpointStore store = GanCheckpoint.store(run.checkpoints(), run.hadoopConf());
        ComputationGraph generator;
        ComputationGraph ema;
        ComputationGraph discriminator;
        ComputationGraph combined;
        INDArray fixedZ;
        GanState state;
        Optional<GanCheckpoint.Loaded> resumed = s.resume() ? GanCheckpoint.loadNewest(store, run.hadoopConf()) : Optional.empty();
        Path lastCheckpoint = null;
        if (resumed.isPresent()) {
            GanCheckpoint.Loaded l = resumed.get();
            if (!s.acceptsTrainingHash(l.state().configHash(), seed, workers)) {
                throw new IllegalStateException("Cannot resume " + run + ": checkpoint " + l.dir() + " was trained with other "
                        + "settings (config hash " + l.state().configHash() + ", now " + configHash + "); resume with the "
                        + "run's own config.conf or start a new run");
            }
            generator = l.generator();
            ema = l.ema();
            discriminator = l.discriminator();
            combined = l.combined();
            fixedZ = l.fixedZ();
            state = l.state();
            lastCheckpoint = l.dir();
            MetricsLog.truncateAfter(run, "step", state.step());
            LOG.info("Resuming GAN run {} from {} (step {})", run, l.dir(), state.step());
        } else {
            if (s.resume()) LOG.warn("resume requested but {} has no complete GAN checkpoint: starting from scratch", run);
            generator = GanModels.generator(s, seed);
            discriminator = GanModels.discriminator(s, seed + 1);
            combined = GanModels.combined(s, seed + 2);
            LayerParams.copy(generator, combined, GanModels.G_PREFIX);
            ema = generator.clone();
            fixedZ = GanImages.latent(Seeds.derive(seed, -1, "fixed-z", 0), s.sampleGrid() * s.sampleGrid(), s.latentSize());
            state = new GanState(0, seed, configHash, 0, 0, 0);
        }
        LOG.info("GAN training on {} images at {}x{}x{}, {} workers, rounds {}..{}", nReal, s.resolution(), s.resolution(),
                s.channels(), workers, state.step() + 1, s.steps());

        // The weight average's batch norms get the statistics of this fixed batch whenever it is used.
        INDArray calibrationZ = GanImages.latent(Seeds.derive(seed, -3, "bn-calibration-z", 0), CALIBRATION_BATCH, s.latentSize());
        long started = System.nanoTime();
        double startSeconds = state.trainSeconds();
        Window window = new Window();
        String pendingWarning = null;
        Path lastGrid = null;
        String stopReason = "completed " + s.steps() + " steps";
        for (int step = state.step(); step < s.steps(); step++) {
            final int round = step;
            long t0 = System.nanoTime();
            setLearningRates(s, progress(s, round, (t0 - started) / 1e9), discriminator, combined);

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
            if (!Double.isFinite(dLoss)) throw diverged(round + 1, "discriminator", dLoss, lastCheckpoint);

            // Generator phase: through the frozen, just-updated discriminator.
            LayerParams.copy(discriminator, combined, GanModels.D_PREFIX);
            int batch = s.batchSize();
            int latent = s.latentSize();
            JavaRDD<DataSet> gData = jsc.parallelize(IntStream.range(0, workers * s.gSteps()).boxed().toList(), workers)
                    .map(i -> new DataSet(GanImages.latent(Seeds.derive(seed, round, "g", i), batch, latent),
                            Nd4j.ones(DataType.FLOAT, batch, 1)));
            SparkComputationGraph gNet = new SparkComputationGraph(jsc, combined,
                    TrainingMasters.parameterAveragingPartitioned(settings, workers, batch, batch, s.gSteps(),
                            Seeds.derive(seed, round, "g-master", 0)));
            TrainingMasters.fit(gNet, gData);
            combined = gNet.getNetwork();
            double gLoss = gNet.getScore();
            if (!Double.isFinite(gLoss)) throw diverged(round + 1, "generator", gLoss, lastCheckpoint);
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
            double elapsed = startSeconds + (System.nanoTime() - started) / 1e9;
            state = new GanState(done, seed, configHash, elapsed, streak, state.examples() + examples);
            window.add(dLoss, gLoss, e, examples, seconds);

            boolean last = done == s.steps();
            boolean outOfTime = s.timeBudgetSeconds() > 0 && (System.nanoTime() - started) / 1e9 >= s.timeBudgetSeconds();
            boolean measure = quality != null && (done % s.quality().every() == 0 || last || outOfTime);
            boolean grid = done % s.sampleEvery() == 0 || last || outOfTime;
            boolean checkpoint = done % s.checkpointEvery() == 0 || last || outOfTime;
            if (s.emaHalfLifeSteps() > 0 && (measure || grid || checkpoint)) {
                // Only when the average is used: the statistics depend on its weights alone, not on the
                // averaged running statistics they replace, so skipped rounds change nothing.
                GanModels.recalibrateBatchNorm(ema, calibrationZ);
            }
            if (done % s.logEvery() == 0 || last || outOfTime || measure) {
                ObjectNode line = window.line(done, elapsed);
                if (measure) {
                    GanQuality.Measurement m = quality.measure(ema, s.quality().samples(), qualitySeed);
                    line.put("fd_classifier", m.fd());
                    line.put("classifier_score", m.score());
                    LOG.info("GAN step {}: FD-classifier {}, classifier score {}", done, fmt(m.fd()), fmt(m.score()));
                }
                if (pendingWarning != null) line.put("warning", pendingWarning);
                pendingWarning = null;
                run.appendMetrics(line.toString());
                LOG.info("GAN step {}/{}: d_loss {}, g_loss {}, D(x) {}, D(G(z)) {}, accuracy {}, {} samples/s", done, s.steps(),
                        fmt(line.get("d_loss").asDouble()), fmt(line.get("g_loss").asDouble()), fmt(line.get("d_real").asDouble()),
                        fmt(line.get("d_fake").asDouble()), fmt(line.get("d_accuracy").asDouble()),
                        String.format("%.1f", line.get("samples_per_second").asDouble()));
                window = new Window();
            }
            if (grid) {
                lastGrid = writeGrid(run, ema, fixedZ, s, done);
            }
            if (checkpoint) {
                // After the metrics line: a crash in between repeats these rounds on resume, which drops the lines.
                lastCheckpoint = GanCheckpoint.write(store, generator, ema, discriminator, combined, fixedZ, state);
                store.retain(s.keepCheckpoints(), -1,
                        new org.imagepipeline.registry.ModelRegistry(settings.registry(), run.hadoopConf()).referencedCheckpoints());
            }
            if (outOfTime) {
                stopReason = "time budget of " + s.timeBudgetSeconds() + " s reached after step " + done;
                break;
            }
        }
        real.unpersist(false);
        LOG.info("GAN training stopped: {}", stopReason);
        return new Result(run, state.step(), stopReason, lastCheckpoint, lastGrid, qualityNote);
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
     * How far a round that starts after {@code round} rounds and {@code seconds} of this session's
     * training is through the run: the larger of its share of gan.steps and of the time budget.
     */
    static double progress(GanSettings s, int round, double seconds) {
        double byRounds = (double) round / s.steps();
        return s.timeBudgetSeconds() > 0 ? Math.max(byRounds, seconds / s.timeBudgetSeconds()) : byRounds;
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

    private static IllegalStateException diverged(int step, String phase, double loss, Path lastCheckpoint) {
        return new IllegalStateException("GAN training diverged at step " + step + ": the " + phase + " loss is " + loss
                + "; " + (lastCheckpoint == null ? "no checkpoint was written yet" : "the last good checkpoint " + lastCheckpoint
                + " is kept") + ". Lower pipeline.gan.learning-rate-d / learning-rate-g");
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
