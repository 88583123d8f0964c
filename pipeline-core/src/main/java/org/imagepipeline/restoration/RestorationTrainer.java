package org.imagepipeline.restoration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.imagepipeline.augment.Seeds;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.PrepareSettings;
import org.imagepipeline.config.TrainSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.eval.Evaluator;
import org.imagepipeline.eval.MetricSet;
import org.imagepipeline.gan.GanMix;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Batches;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.ModelVersion;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.store.TrainingState;
import org.imagepipeline.train.PairSource;
import org.imagepipeline.train.TrainingMasters;
import org.imagepipeline.train.TrainingRun;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a restoration network with dl4j-spark parameter averaging, as a {@link TrainingRun.Flow}
 * of the one run lifecycle (resume, time budget, divergence stop, checkpoints, registry). Each
 * epoch draws fresh patches and degradations from the catalog's train split (deterministic per
 * run seed, epoch, image and patch), fits them across the executors, validates on the val split,
 * and leaves a metrics line and a checkpoint to commit. The training master is rebuilt every
 * epoch with a seed derived from (run seed, epoch), so a resumed run replays exactly what an
 * uninterrupted one would have done. With pipeline.train.adversarial on, each epoch fits through
 * {@link AdversarialTraining} instead.
 */
public final class RestorationTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RestorationTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a finished (or early-stopped) training left behind, and the model version it registered. */
    public record Result(RunDir run, int epochsDone, double bestValPsnr, int bestEpoch, double inputValPsnr,
                         String bestCheckpoint, boolean stoppedEarly, String stopReason, Optional<ModelVersion> registered) {}

    private final PipelineSettings settings;

    public RestorationTrainer(PipelineSettings settings) {
        this.settings = settings;
    }

    public Result train(SparkSession spark, RunDir run, String catalogDir) {
        TrainSettings t = settings.train();
        PrepareSettings p = settings.prepare();
        int channels = settings.model().channels();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        JavaPairRDD<String, Image> trainImages = Catalog.images(spark, catalogDir, "train", channels,
                settings.ingest().maxPixels()).persist(StorageLevel.MEMORY_AND_DISK_SER());
        long nTrain = trainImages.count();
        if (nTrain == 0) {
            throw new IllegalStateException("The catalog " + catalogDir + " has no images in its train split: ingest more "
                    + "images or lower pipeline.ingest.val-fraction / test-fraction");
        }
        List<TrainingPair> val = Validation.pairs(spark, catalogDir, settings, trainImages);
        MetricSet inputVal = Validation.inputMetrics(val);
        JavaPairRDD<String, Image> catalogImages = trainImages;
        trainImages = GanMix.mixInto(spark, settings, trainImages);
        if (trainImages != catalogImages) nTrain = trainImages.count();
        LOG.info("Training on {} images ({} patches per image per epoch), validating on {} crops; degraded val input: {}",
                nTrain, p.patchesPerImage(), val.size(), inputVal);

        Epochs flow = new Epochs(jsc, run, trainImages, nTrain, val, inputVal);
        TrainingRun.Result r;
        try {
            r = new TrainingRun("Training", run, flow, t.resume(), new ModelRegistry(settings.registry(), run.hadoopConf()),
                    settings.registry().registerAs(), catalogDir).execute();
        } finally {
            trainImages.unpersist(false);
            catalogImages.unpersist(false);
        }
        TrainingState state = flow.state;
        return new Result(run, state.epochsDone(), state.bestValPsnr(), state.bestEpoch(), inputVal.psnr(),
                flow.checkpoints.dirFor(state.bestEpoch()).toString(), r.stoppedEarly(), r.stopReason(), r.registered());
    }

    /** The restoration flow: one step is one epoch over the training images. */
    private final class Epochs implements TrainingRun.Flow {
        private final JavaSparkContext jsc;
        private final RunDir run;
        private final JavaPairRDD<String, Image> trainImages;
        private final long nTrain;
        private final List<TrainingPair> val;
        private final MetricSet inputVal;
        private final TrainSettings t = settings.train();
        private final PrepareSettings p = settings.prepare();
        private final long seed = settings.run().seed();
        private final int workers;
        private final long itersPerEpoch;
        private final ModelSpec spec;
        private final ISchedule schedule;
        private final CheckpointStore checkpoints;
        private final String configHash = settings.trainingHash();
        private ComputationGraph graph;
        private TrainingState state;
        /** Training seconds of the sessions before this one. */
        private double startSeconds;
        private AdversarialTraining adversary;

        Epochs(JavaSparkContext jsc, RunDir run, JavaPairRDD<String, Image> trainImages, long nTrain, List<TrainingPair> val,
               MetricSet inputVal) {
            this.jsc = jsc;
            this.run = run;
            this.trainImages = trainImages;
            this.nTrain = nTrain;
            this.val = val;
            this.inputVal = inputVal;
            this.workers = t.resolvedWorkers(jsc.defaultParallelism());
            this.itersPerEpoch = (nTrain * p.patchesPerImage() + (long) workers * t.batchSizePerWorker() - 1)
                    / ((long) workers * t.batchSizePerWorker());
            ModelSpec m = settings.model();
            if (m.lrSchedule() == LrSchedule.COSINE && t.lrCosineIterations() == 0) {
                m = m.withCosineIterations((int) Math.min(Integer.MAX_VALUE, itersPerEpoch * t.epochs()));
            }
            this.spec = m;
            this.schedule = RestorationModels.learningRateSchedule(spec);
            this.checkpoints = new CheckpointStore(run.checkpoints(), run.hadoopConf());
        }

        @Override
        public TrainingRun.Plan plan() {
            return new TrainingRun.Plan("epoch", t.epochs(), t.timeBudgetSeconds(), configHash, checkpoints, t.keepCheckpoints());
        }

        @Override
        public boolean acceptsTrainingHash(String hash) {
            return settings.acceptsTrainingHash(hash);
        }

        @Override
        public Optional<TrainingRun.Resumed> resume() {
            Optional<CheckpointStore.Loaded> loaded = checkpoints.loadNewest();
            if (loaded.isEmpty()) return Optional.empty();
            CheckpointStore.Loaded l = loaded.get();
            state = l.state();
            startSeconds = state.trainSeconds();
            if (acceptsTrainingHash(state.configHash())) {
                graph = l.graph();
                if (t.adversarial().enabled()) adversary = AdversarialTraining.resume(settings, l.dir(), run.hadoopConf());
                logAdversary();
            }
            return Optional.of(new TrainingRun.Resumed(l.dir(), state.configHash(), state.epochsDone()));
        }

        @Override
        public void startFresh() {
            graph = RestorationModels.build(spec);
            state = new TrainingState(0, 0, seed, Double.NEGATIVE_INFINITY, 0, 0, configHash, 0);
            if (t.adversarial().enabled()) adversary = AdversarialTraining.start(settings, graph);
            logAdversary();
        }

        private void logAdversary() {
            if (adversary != null) {
                LOG.info("Adversarial term on: weight {} (relative to the per-pixel loss), discriminator {}", t.adversarial().weight(),
                        t.adversarial());
            }
        }

        @Override
        public TrainingRun.Outcome train(TrainingRun.Step step) {
            int epoch = step.index();
            double lr = learningRate(schedule, spec.learningRate(), t.epochs(), itersPerEpoch, step.progress());
            graph.setLearningRate(lr);
            long t0 = System.nanoTime();
            double score;
            AdversarialTraining.Fit adversarialFit = null;
            if (adversary == null) {
                // Locals, not fields: the closure must not capture this flow.
                long seed = this.seed;
                PrepareSettings p = this.p;
                JavaRDD<DataSet> data = trainImages.map(kv -> pairsToDataSet(PairSource.patchPairs(kv._2(), kv._1(), seed, epoch, p)));
                if (t.workers() > 0) data = data.repartition(workers);

                ParameterAveragingTrainingMaster tm = TrainingMasters.parameterAveraging(settings, workers,
                        Seeds.derive(seed, epoch, "training-master", 0));
                SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, graph, tm);
                TrainingMasters.fit(sparkNet, data);
                graph = sparkNet.getNetwork();
                score = sparkNet.getScore();
            } else {
                adversarialFit = adversary.fitEpoch(jsc, trainImages, graph, epoch, workers, lr);
                step.requireFinite("adversarial discriminator's loss", adversarialFit.discriminatorLoss(),
                        "Lower pipeline.train.adversarial.learning-rate");
                score = adversarialFit.combinedScore();
            }
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            // DL4J scores a CnnLossLayer per image as a sum over pixels; report the per-pixel loss (with the
            // adversarial term: pixel loss + weight x adversarial loss, as the combined graph's output weights scale it).
            double trainLoss = score / ((double) p.patchSize() * p.patchSize());
            step.requireFinite("loss", trainLoss, "Lower pipeline.train.learning-rate");
            long samples = nTrain * p.patchesPerImage();
            long iteration = state.iteration() + itersPerEpoch;

            MetricSet valMetrics = Validation.evaluate(graph, val, spec);
            int done = epoch + 1;
            boolean better = valMetrics.psnr() > state.bestValPsnr();
            double elapsed = startSeconds + step.sessionSeconds();
            state = new TrainingState(done, iteration, seed, better ? valMetrics.psnr() : state.bestValPsnr(),
                    better ? done : state.bestEpoch(), better ? 0 : state.epochsWithoutImprovement() + 1, configHash, elapsed);

            ObjectNode line = JSON.createObjectNode();
            line.put("epoch", done);
            line.put("iteration", iteration);
            line.put("learning_rate", lr);
            line.put("train_loss", trainLoss);
            Evaluator.put(line.putObject("val"), valMetrics);
            Evaluator.put(line.putObject("val_input"), inputVal);
            if (adversary != null) {
                AdversarialTraining.Scores a = adversary.score(graph, val, spec);
                ObjectNode adv = line.putObject("adversarial");
                adv.put("weight", t.adversarial().weight());
                adv.put("d_loss", adversarialFit.discriminatorLoss());
                adv.put("adv_loss", a.adversarialLoss());
                adv.put("d_real", a.dReal());
                adv.put("d_fake", a.dFake());
                LOG.info("Epoch {}: discriminator loss {}, adversarial loss {}, D(clean) {}, D(restored) {} on the val crops", done,
                        String.format("%.4f", adversarialFit.discriminatorLoss()), String.format("%.4f", a.adversarialLoss()),
                        String.format("%.4f", a.dReal()), String.format("%.4f", a.dFake()));
            }
            line.put("best_val_psnr", state.bestValPsnr());
            line.put("best_epoch", state.bestEpoch());
            line.put("samples", samples);
            line.put("samples_per_second", samples / fitSeconds);
            line.put("fit_seconds", fitSeconds);
            line.put("wall_seconds", elapsed);
            Samples.writeGrid(run, String.format("epoch-%04d.png", done), graph, val, spec, 4);
            LOG.info("Epoch {}/{}: loss {}, val {} (input {}), {} samples/s", done, t.epochs(),
                    String.format("%.5f", trainLoss), valMetrics, inputVal, String.format("%.1f", samples / fitSeconds));

            String stop = t.patience() > 0 && state.epochsWithoutImprovement() >= t.patience()
                    ? "early stopping: no better validation PSNR for " + t.patience() + " epochs" : null;
            return new TrainingRun.Outcome(line, true, stop);
        }

        @Override
        public Path writeCheckpoint() {
            return checkpoints.write(graph, state, adversary == null ? Map.of() : adversary.checkpointFiles());
        }

        @Override
        public int spareCheckpoint() {
            return state.bestEpoch();
        }

        @Override
        public Optional<Path> registrable() {
            return state.epochsDone() == 0 ? Optional.empty() : Optional.of(checkpoints.dirFor(state.bestEpoch()));
        }
    }

    /**
     * The learning rate at {@code progress} of a run of {@code epochs} epochs of
     * {@code itersPerEpoch} iterations: {@code schedule} (null: the constant {@code rate}) at the
     * epoch and iteration that progress stands for, so that a run its time budget stops ends where
     * the schedule does; without a budget, exactly this epoch and its first iteration. Workers
     * rebuild their networks from the driver's configuration for every averaging split and never
     * advance its epoch counter, so a schedule inside the updater would stay at its start: the
     * trainer evaluates it here and gives the workers a fixed rate for the epoch.
     */
    static double learningRate(ISchedule schedule, double rate, int epochs, long itersPerEpoch, double progress) {
        if (schedule == null) return rate;
        double atEpoch = progress * epochs;
        int epoch = (int) Math.floor(atEpoch + 1e-9);
        long iteration = Math.round(atEpoch * itersPerEpoch);
        return schedule.valueAt((int) Math.min(Integer.MAX_VALUE, iteration), epoch);
    }

    private static DataSet pairsToDataSet(List<TrainingPair> pairs) {
        List<Image> in = new ArrayList<>(pairs.size());
        List<Image> out = new ArrayList<>(pairs.size());
        for (TrainingPair tp : pairs) {
            in.add(tp.degraded());
            out.add(tp.clean());
        }
        return Batches.dataSet(in, out);
    }
}
