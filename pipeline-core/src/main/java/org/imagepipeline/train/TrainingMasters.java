package org.imagepipeline.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.TrainSettings;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.HashSet;
import java.util.Set;

/** The one way this project configures dl4j-spark's parameter averaging. */
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
        return new ParameterAveragingTrainingMaster.Builder(workers, objectSize)
                .batchSizePerWorker(batch)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                .repartionData(repartition)
                .rngSeed(rngSeed)
                .rddTrainingApproach("export".equals(t.trainingApproach()) ? RDDTrainingApproach.Export : RDDTrainingApproach.Direct)
                .exportDirectory(t.exportDir().isBlank() ? null : t.exportDir())
                .build();
    }
}
