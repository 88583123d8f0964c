package org.imagepipeline.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dl4j-spark parameter averaging as this project configures it, on local Spark. */
class TrainingMastersTest {

    private static ComputationGraph net() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .updater(Adam.builder().learningRate(0.01).beta1(0.5).beta2(0.999).build())
                .graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MSE).nIn(8).nOut(1).activation(Activation.IDENTITY).build(), "hidden")
                .setOutputs("out").build());
        g.init();
        return g;
    }

    private static DataSet minibatch(Random rng, int batch) {
        float[] x = new float[batch * 6];
        float[] y = new float[batch];
        for (int j = 0; j < x.length; j++) x[j] = (float) rng.nextGaussian();
        for (int j = 0; j < y.length; j++) y[j] = (float) rng.nextGaussian();
        return new DataSet(Nd4j.create(x, new long[] {batch, 6}), Nd4j.create(y, new long[] {batch, 1}));
    }

    /**
     * One worker fitting through the training master must take the very steps a local fit of the
     * same minibatches takes, fit after fit: Adam's moments and its step count both carry over
     * between averaging splits. Before the fix, the worker restarted at step 0 in every split and
     * its parameters parted from the local ones from the second split on.
     */
    @Test
    void oneWorkerTakesTheStepsOfALocalFitAcrossSplitsAndFits() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.get().sparkContext());
        PipelineSettings s = PipelineSettings.load(List.of(), Map.of());
        ComputationGraph local = net();
        ComputationGraph distributed = local.clone();
        Random rng = new Random(11);
        for (int fit = 0; fit < 3; fit++) {
            // Two splits of two minibatches each per fit. dl4j-spark splits the data at random, so every
            // minibatch of a fit is the same one: any order is the local order.
            DataSet one = minibatch(rng, 8);
            List<DataSet> data = List.of(one, one.copy(), one.copy(), one.copy());
            data.forEach(local::fit);
            SparkComputationGraph net = new SparkComputationGraph(jsc, distributed,
                    TrainingMasters.parameterAveragingPartitioned(s, 1, 8, 8, 2, fit));
            TrainingMasters.fit(net, jsc.parallelize(data, 1));
            distributed = net.getNetwork();
            assertEquals(local.getConfiguration().getIterationCount(), distributed.getConfiguration().getIterationCount(),
                    "iteration count after fit " + (fit + 1));
            double diff = local.params().sub(distributed.params()).norm2Number().doubleValue();
            double moved = local.params().norm2Number().doubleValue();
            assertTrue(diff <= 1e-5 * moved, "after fit " + (fit + 1) + " the distributed parameters differ from the local ones by "
                    + diff + " (norm " + moved + ")");
        }
    }

    /**
     * The export approach (minibatches written to train.export-dir, then read by the workers), as
     * conf/cluster.conf trains: it needs a class of datavec-spark, and without it every export task
     * died. It trains and continues the driver's iteration count; its steps are not checked against a
     * local fit (its parameters part from the local ones from the second fit on).
     */
    @Test
    void theExportApproachTrainsAndContinuesTheIterationCount(@TempDir Path exportDir) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.get().sparkContext());
        PipelineSettings s = PipelineSettings.load(List.of(), Map.of("train.training-approach", "export",
                "train.export-dir", exportDir.toUri().toString()));
        ComputationGraph distributed = net();
        var before = distributed.params().dup();
        Random rng = new Random(11);
        for (int fit = 0; fit < 2; fit++) {
            DataSet one = minibatch(rng, 8);
            SparkComputationGraph net = new SparkComputationGraph(jsc, distributed,
                    TrainingMasters.parameterAveragingPartitioned(s, 1, 8, 8, 2, fit));
            TrainingMasters.fit(net, jsc.parallelize(List.of(one, one.copy(), one.copy(), one.copy()), 1));
            distributed = net.getNetwork();
            assertEquals(4 * (fit + 1), distributed.getConfiguration().getIterationCount(), "iteration count after fit " + (fit + 1));
        }
        assertTrue(distributed.params().sub(before).norm2Number().doubleValue() > 1e-4, "the parameters did not move");
        assertTrue(exportDir.toFile().list().length > 0, "nothing was exported to " + exportDir);
    }
}
