package org.imagepipeline.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.TrainSettings;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.HashSet;
import java.util.Set;

/**
 * The one way this project configures dl4j-spark's parameter averaging.
 *
 * <p>Its training masters make every worker continue the driver's iteration and epoch counts.
 * dl4j-spark 1.0.0-M2 rebuilds each worker's network for every averaging split from a clone of the
 * driver's configuration, and {@code ComputationGraphConfiguration.clone()} leaves the counts out on
 * purpose, so every split started again at iteration 0 while carrying the averaged Adam moments
 * over. Adam's bias correction, sqrt(1 - beta2^t) / (1 - beta1^t), then shrank each split's steps:
 * to about 6 % of the learning rate for beta1 = 0.5 (the GAN's) and 15-30 % for 0.9.
 */
public final class TrainingMasters {
    private TrainingMasters() {}

    /**
     * A training master for {@code workers} data-parallel workers whose RDD elements each hold
     * prepare.patches-per-image examples; {@code rngSeed} fixes how the data is split.
     */
    public static ParameterAveragingTrainingMaster parameterAveraging(PipelineSettings s, int workers, long rngSeed) {
        TrainSettings t = s.train();
        return parameterAveraging(s, workers, s.prepare().patchesPerImage(), t.batchSizePerWorker(), t.averagingFrequency(), rngSeed);
    }

    /**
     * A training master for RDD elements of {@code objectSize} examples each, fitted in minibatches
     * of {@code batch} per worker, averaged every {@code averagingFrequency} minibatches;
     * train.training-approach and train.export-dir apply.
     */
    public static ParameterAveragingTrainingMaster parameterAveraging(PipelineSettings s, int workers, int objectSize,
                                                                      int batch, int averagingFrequency, long rngSeed) {
        return parameterAveraging(s, workers, objectSize, batch, averagingFrequency, rngSeed, Repartition.Always);
    }

    /**
     * As {@link #parameterAveraging(PipelineSettings, int, int, int, int, long)} for data that is
     * already split into one partition per worker with the same number of elements in each: such
     * data is used as it is, without the Spark job in which dl4j-spark counts every partition to
     * check the balance.
     */
    public static ParameterAveragingTrainingMaster parameterAveragingPartitioned(PipelineSettings s, int workers, int objectSize,
                                                                                 int batch, int averagingFrequency, long rngSeed) {
        return parameterAveraging(s, workers, objectSize, batch, averagingFrequency, rngSeed, Repartition.NumPartitionsWorkersDiffers);
    }

    /**
     * Fits {@code net} on {@code data} with its training master, then unpersists the RDDs the fit
     * cached: ParameterAveragingTrainingMaster persists its training data (MEMORY_ONLY_SER) and never
     * releases it, so each fit of a long run (a GAN fits twice a round) left a cached copy behind for
     * Spark to evict under memory pressure. Assumes no other thread persists RDDs in this Spark
     * context meanwhile (the jobs run one fit at a time).
     */
    public static void fit(SparkComputationGraph net, JavaRDD<DataSet> data) {
        releasingCache(net.getSparkContext(), () -> net.fit(data));
    }

    /** {@link #fit} for an RDD of MultiDataSets. */
    public static void fitMultiDataSet(SparkComputationGraph net, JavaRDD<MultiDataSet> data) {
        releasingCache(net.getSparkContext(), () -> net.fitMultiDataSet(data));
    }

    private static void releasingCache(JavaSparkContext jsc, Runnable fit) {
        Set<Integer> before = new HashSet<>(jsc.getPersistentRDDs().keySet());
        try {
            fit.run();
        } finally {
            jsc.getPersistentRDDs().forEach((id, rdd) -> {
                if (!before.contains(id)) rdd.unpersist(false);
            });
        }
    }

    private static ParameterAveragingTrainingMaster parameterAveraging(PipelineSettings s, int workers, int objectSize, int batch,
                                                                       int averagingFrequency, long rngSeed, Repartition repartition) {
        TrainSettings t = s.train();
        return new CountingMaster(new ParameterAveragingTrainingMaster.Builder(workers, objectSize)
                .batchSizePerWorker(batch)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                .repartionData(repartition)
                .rngSeed(rngSeed)
                .rddTrainingApproach(t.trainingApproach() == TrainSettings.TrainingApproach.EXPORT ? RDDTrainingApproach.Export : RDDTrainingApproach.Direct)
                .exportDirectory(t.exportDir().isBlank() ? null : t.exportDir()));
    }

    /** Parameter averaging whose workers start each split at the driver's iteration and epoch counts. */
    static final class CountingMaster extends ParameterAveragingTrainingMaster {
        private transient ContinueCounts hook;

        CountingMaster(ParameterAveragingTrainingMaster.Builder builder) {
            super(builder);
        }

        /** Called on the driver once per split, just before the split's workers are shipped. */
        @Override
        public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
            ComputationGraphConfiguration c = graph.getNetwork().getConfiguration();
            if (hook != null) removeHook(hook);
            hook = new ContinueCounts(c.getIterationCount(), c.getEpochCount());
            addHook(hook);
            return super.getWorkerInstance(graph);
        }
    }

    /**
     * Worker side: before a worker network's first minibatch of a split, moves its counts (0 after
     * the configuration clone) on to the driver's.
     */
    record ContinueCounts(int iterations, int epochs) implements TrainingHook {
        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet data, Model model) {
            apply(model);
        }

        @Override
        public void preUpdate(MultiDataSet data, Model model) {
            apply(model);
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet data, Model model) {}

        @Override
        public void postUpdate(MultiDataSet data, Model model) {}

        private void apply(Model model) {
            if (!(model instanceof ComputationGraph graph)) {
                throw new IllegalStateException("TrainingMasters trains ComputationGraphs, not " + model.getClass().getName());
            }
            ComputationGraphConfiguration c = graph.getConfiguration();
            // A fresh worker network counts from 0; once moved on it is at or past the driver's count.
            if (c.getIterationCount() < iterations) c.setIterationCount(c.getIterationCount() + iterations);
            if (c.getEpochCount() < epochs) c.setEpochCount(epochs);
        }
    }
}
