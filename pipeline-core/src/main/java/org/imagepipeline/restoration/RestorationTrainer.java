package org.imagepipeline.restoration;

import org.imagepipeline.augment.Seeds;
import org.imagepipeline.store.MetricsLog;
import org.imagepipeline.train.PairSource;
import org.imagepipeline.train.TrainingMasters;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.PrepareSettings;
import org.imagepipeline.config.TrainSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.eval.MetricSet;
import org.imagepipeline.gan.GanMix;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Batches;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.store.TrainingState;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trains a restoration network with dl4j-spark parameter averaging. Each epoch draws fresh
 * patches and degradations from the catalog's train split (deterministic per run seed, epoch,
 * image and patch), fits them across the executors, validates on the val split, appends one line
 * to metrics.jsonl and commits a checkpoint. The training master is rebuilt every epoch with a
 * seed derived from (run seed, epoch), so a resumed run replays exactly what an uninterrupted one
 * would have done.
 */
public final class RestorationTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RestorationTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a finished (or early-stopped) training left behind. */
    public record Result(RunDir run, int epochsDone, double bestValPsnr, int bestEpoch, double inputValPsnr,
                         String bestCheckpoint, boolean stoppedEarly, String stopReason) {}

    private final PipelineSettings settings;

    public RestorationTrainer(PipelineSettings settings) {
        this.settings = settings;
    }

    public Result train(SparkSession spark, RunDir run, String catalogDir) {
        TrainSettings t = settings.train();
        PrepareSettings p = settings.prepare();
        long seed = settings.run().seed();
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

        int workers = t.resolvedWorkers(jsc.defaultParallelism());
        long itersPerEpoch = (nTrain * p.patchesPerImage() + (long) workers * t.batchSizePerWorker() - 1)
                / ((long) workers * t.batchSizePerWorker());
        ModelSpec spec = settings.model();
        if (spec.lrSchedule() == LrSchedule.COSINE && t.lrCosineIterations() == 0) {
            spec = spec.withCosineIterations((int) Math.min(Integer.MAX_VALUE, itersPerEpoch * t.epochs()));
        }
        ISchedule schedule = RestorationModels.learningRateSchedule(spec);
        CheckpointStore checkpoints = new CheckpointStore(run.checkpoints(), run.hadoopConf());
        ModelRegistry registry = new ModelRegistry(settings.registry(), run.hadoopConf());
        String configHash = settings.trainingHash();
        ComputationGraph graph;
        TrainingState state;
        AdversarialTraining adversary = null;
        Optional<CheckpointStore.Loaded> resumed = t.resume() ? checkpoints.loadNewest() : Optional.empty();
        if (resumed.isPresent()) {
            state = resumed.get().state();
            if (!settings.acceptsTrainingHash(state.configHash())) {
                throw new IllegalStateException("Cannot resume " + run + ": checkpoint " + resumed.get().dir()
                        + " was trained with other settings (config hash " + state.configHash() + ", now " + configHash
                        + "); resume with the run's own config.conf or start a new run");
            }
            graph = resumed.get().graph();
            if (t.adversarial().enabled()) adversary = AdversarialTraining.resume(settings, resumed.get().dir(), run.hadoopConf());
            MetricsLog.truncateAfter(run, state.epochsDone());
            LOG.info("Resuming {} from {} (epoch {}, iteration {})", run, resumed.get().dir(), state.epochsDone(), state.iteration());
        } else {
            if (t.resume()) LOG.warn("resume requested but {} has no complete checkpoint: starting from scratch", run);
            graph = RestorationModels.build(spec);
            state = new TrainingState(0, 0, seed, Double.NEGATIVE_INFINITY, 0, 0, configHash, 0);
            if (t.adversarial().enabled()) adversary = AdversarialTraining.start(settings, graph);
        }
        if (adversary != null) {
            LOG.info("Adversarial term on: weight {} (relative to the per-pixel loss), discriminator {}", t.adversarial().weight(),
                    t.adversarial());
        }

        boolean stoppedEarly = false;
        String stopReason = "completed " + t.epochs() + " epochs";
        long started = System.nanoTime();
        double startSeconds = state.trainSeconds();
        double slowestEpochSeconds = 0;
        for (int epoch = state.epochsDone(); epoch < t.epochs(); epoch++) {
            long epochStarted = System.nanoTime();
            // Workers rebuild their networks from the driver's configuration for every averaging
            // split and never advance its epoch counter, so a schedule inside the updater would stay
            // at its start: evaluate it here and hand the workers a fixed rate for this epoch.
            double lr = schedule == null ? spec.learningRate() : schedule.valueAt((int) Math.min(Integer.MAX_VALUE, state.iteration()), epoch);
            graph.setLearningRate(lr);
            final int e = epoch;
            long t0 = System.nanoTime();
            double score;
            AdversarialTraining.Fit adversarialFit = null;
            if (adversary == null) {
                JavaRDD<DataSet> data = trainImages.map(kv -> pairsToDataSet(PairSource.patchPairs(kv._2(), kv._1(), seed, e, p)));
                if (t.workers() > 0) data = data.repartition(workers);

                ParameterAveragingTrainingMaster tm = TrainingMasters.parameterAveraging(settings, workers,
                        Seeds.derive(seed, epoch, "training-master", 0));
                SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, graph, tm);
                TrainingMasters.fit(sparkNet, data);
                graph = sparkNet.getNetwork();
                score = sparkNet.getScore();
            } else {
                adversarialFit = adversary.fitEpoch(jsc, trainImages, graph, epoch, workers, lr);
                score = adversarialFit.combinedScore();
            }
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            // DL4J scores a CnnLossLayer per image as a sum over pixels; report the per-pixel loss (with the
            // adversarial term: pixel loss + weight x adversarial loss, as the combined graph's output weights scale it).
            double trainLoss = score / ((double) p.patchSize() * p.patchSize());
            long samples = nTrain * p.patchesPerImage();
            long iteration = state.iteration() + itersPerEpoch;
            if (!Double.isFinite(trainLoss)) {
                throw new IllegalStateException("Training diverged in epoch " + (epoch + 1) + ": the loss is " + trainLoss
                        + "; the last good checkpoint is kept. Lower pipeline.train.learning-rate");
            }

            MetricSet valMetrics = Validation.evaluate(graph, val, spec);
            int done = epoch + 1;
            boolean better = valMetrics.psnr() > state.bestValPsnr();
            double elapsed = startSeconds + (System.nanoTime() - started) / 1e9;
            state = new TrainingState(done, iteration, seed, better ? valMetrics.psnr() : state.bestValPsnr(),
                    better ? done : state.bestEpoch(), better ? 0 : state.epochsWithoutImprovement() + 1, configHash, elapsed);

            ObjectNode line = JSON.createObjectNode();
            line.put("epoch", done);
            line.put("iteration", iteration);
            line.put("learning_rate", lr);
            line.put("train_loss", trainLoss);
            ObjectNode v = line.putObject("val");
            org.imagepipeline.eval.Evaluator.put(v, valMetrics);
            org.imagepipeline.eval.Evaluator.put(line.putObject("val_input"), inputVal);
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
            run.appendMetrics(line.toString());
            // After the metrics line: a crash in between repeats this epoch on resume, which drops the line.
            checkpoints.write(graph, state, adversary == null ? java.util.Map.of() : adversary.checkpointFiles());
            checkpoints.retain(t.keepCheckpoints(), state.bestEpoch(), registry.referencedCheckpoints());
            Samples.writeGrid(run, String.format("epoch-%04d.png", done), graph, val, spec, 4);
            LOG.info("Epoch {}/{}: loss {}, val {} (input {}), {} samples/s", done, t.epochs(),
                    String.format("%.5f", trainLoss), valMetrics, inputVal, String.format("%.1f", samples / fitSeconds));

            if (t.patience() > 0 && state.epochsWithoutImprovement() >= t.patience()) {
                stoppedEarly = true;
                stopReason = "early stopping: no better validation PSNR for " + t.patience() + " epochs";
                break;
            }
            // The budget is a ceiling: never start an epoch that the slowest one so far says would end past it.
            slowestEpochSeconds = Math.max(slowestEpochSeconds, (System.nanoTime() - epochStarted) / 1e9);
            double used = (System.nanoTime() - started) / 1e9;
            if (t.timeBudgetSeconds() > 0 && done < t.epochs() && used + slowestEpochSeconds > t.timeBudgetSeconds()) {
                stoppedEarly = true;
                stopReason = String.format(java.util.Locale.ROOT, "time budget of %d s: %.0f s used, another epoch "
                        + "(up to %.0f s) would not fit", t.timeBudgetSeconds(), used, slowestEpochSeconds);
                break;
            }
        }
        trainImages.unpersist(false);
        catalogImages.unpersist(false);
        LOG.info("Training stopped: {}", stopReason);
        return new Result(run, state.epochsDone(), state.bestValPsnr(), state.bestEpoch(), inputVal.psnr(),
                checkpoints.dirFor(state.bestEpoch()).toString(), stoppedEarly, stopReason);
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
