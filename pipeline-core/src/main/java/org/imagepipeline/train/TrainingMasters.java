package org.imagepipeline.train;

import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.TrainSettings;

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
        TrainSettings t = s.train();
        return new ParameterAveragingTrainingMaster.Builder(workers, objectSize)
                .batchSizePerWorker(batch)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                .repartionData(Repartition.Always)
                .rngSeed(rngSeed)
                .rddTrainingApproach("export".equals(t.trainingApproach()) ? RDDTrainingApproach.Export : RDDTrainingApproach.Direct)
                .exportDirectory(t.exportDir().isBlank() ? null : t.exportDir())
                .build();
    }
}
