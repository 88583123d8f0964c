package org.imagepipeline.restoration;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.eval.MetricAccumulator;
import org.imagepipeline.eval.MetricSet;
import org.imagepipeline.eval.Metrics;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.train.PairSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed validation set of a run: top-left crops of the val split's images, each degraded
 * once with a seed derived from the run seed and the image hash, so every epoch (and a resumed
 * run) is scored on the same pairs.
 */
final class Validation {
    private static final Logger LOG = LoggerFactory.getLogger(Validation.class);
    /** The "epoch" used to derive validation degradations, apart from any training epoch. */
    static final int VAL_EPOCH = -1;

    private Validation() {}

    static List<TrainingPair> pairs(SparkSession spark, String catalogDir, PipelineSettings s,
                                    JavaPairRDD<String, Image> trainImages) {
        int n = s.train().valMaxImages();
        List<Tuple2<String, Image>> picked = Catalog.images(spark, catalogDir, "val", s.model().channels(),
                s.ingest().maxPixels()).take(n);
        if (picked.isEmpty()) {
            LOG.warn("The catalog has no val images; validating on {} train images instead (scores will be optimistic)", n);
            picked = trainImages.take(n);
        }
        List<TrainingPair> out = new ArrayList<>(picked.size());
        for (Tuple2<String, Image> kv : picked) {
            out.add(PairSource.wholeImagePair(kv._2(), kv._1(), s, VAL_EPOCH, s.train().valCrop()));
        }
        return out;
    }

    static MetricSet inputMetrics(List<TrainingPair> pairs) {
        MetricAccumulator acc = new MetricAccumulator();
        for (TrainingPair p : pairs) acc.add(Metrics.all(p.degraded(), p.clean()));
        return acc.mean();
    }

    static MetricSet evaluate(ComputationGraph graph, List<TrainingPair> pairs, ModelSpec spec) {
        MetricAccumulator acc = new MetricAccumulator();
        for (TrainingPair p : pairs) {
            acc.add(Metrics.all(Inference.restore(graph, spec, p.degraded()), p.clean()));
        }
        return acc.mean();
    }
}
