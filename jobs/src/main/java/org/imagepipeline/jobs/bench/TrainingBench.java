package org.imagepipeline.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.Batches;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.train.PairSource;
import org.imagepipeline.train.TrainingMasters;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Side by side, in one process: samples/s of a plain {@code ComputationGraph.fit} and of
 * dl4j-spark parameter averaging on the session's executors, same network, same minibatches,
 * same number of samples. Each is warmed up with one pass first. The ratio is the cost of
 * distribution (averaging, serialization, scheduling) on this machine.
 */
public final class TrainingBench {
    private TrainingBench() {}

    public static ObjectNode run(SparkSession spark, PipelineSettings s, int images, int passes) {
        int batch = s.train().batchSizePerWorker();
        List<DataSet> perImage = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            Image img = SyntheticImages.generate(s.run().seed(), i, Math.max(96, s.prepare().patchSize() * 2), s.model().channels());
            List<TrainingPair> pairs = PairSource.patchPairs(img, "bench-" + i, s.run().seed(), 0, s.prepare());
            List<Image> in = new ArrayList<>();
            List<Image> out = new ArrayList<>();
            for (TrainingPair p : pairs) {
                in.add(p.degraded());
                out.add(p.clean());
            }
            perImage.add(Batches.dataSet(in, out));
        }
        long samples = (long) images * s.prepare().patchesPerImage();

        // Plain: one JVM, minibatches of the same size.
        List<DataSet> examples = new ArrayList<>();
        for (DataSet d : perImage) examples.addAll(d.asList());
        ComputationGraph plain = RestorationModels.build(s.model());
        plain.fit(new IteratorDataSetIterator(examples.iterator(), batch)); // warm-up
        long t0 = System.nanoTime();
        for (int p = 0; p < passes; p++) plain.fit(new IteratorDataSetIterator(examples.iterator(), batch));
        double plainSeconds = (System.nanoTime() - t0) / 1e9;

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int workers = s.train().resolvedWorkers(jsc.defaultParallelism());
        JavaRDD<DataSet> rdd = jsc.parallelize(perImage, workers).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        ComputationGraph distributed = RestorationModels.build(s.model());
        SparkComputationGraph net = new SparkComputationGraph(jsc, distributed, TrainingMasters.parameterAveraging(s, workers, s.run().seed()));
        net.fit(rdd); // warm-up
        long t1 = System.nanoTime();
        for (int p = 0; p < passes; p++) TrainingMasters.fit(net, rdd);
        double sparkSeconds = (System.nanoTime() - t1) / 1e9;
        rdd.unpersist(false);

        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("model", s.model().type().toString());
        n.put("workers", workers);
        n.put("batch_size_per_worker", batch);
        n.put("averaging_frequency", s.train().averagingFrequency());
        n.put("samples_per_pass", samples);
        n.put("passes", passes);
        n.put("plain_samples_per_second", samples * passes / plainSeconds);
        n.put("spark_samples_per_second", samples * passes / sparkSeconds);
        n.put("spark_over_plain", plainSeconds / sparkSeconds);
        return n;
    }
}
