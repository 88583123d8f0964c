package org.imagepipeline.restoration;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.augment.Seeds;
import org.imagepipeline.augment.TrainingPair;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.PrepareSettings;
import org.imagepipeline.config.TrainSettings;
import org.imagepipeline.gan.GanTrainer;
import org.imagepipeline.image.Image;
import org.imagepipeline.model.AdversarialModels;
import org.imagepipeline.model.AdversarialSettings;
import org.imagepipeline.model.Batches;
import org.imagepipeline.model.GraphCopy;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.LayerParams;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.train.PairSource;
import org.imagepipeline.train.TrainingMasters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The adversarial term of restoration training (pipeline.train.adversarial), following
 * {@link GanTrainer}'s pattern. Each epoch:
 * <ol>
 *   <li>discriminator phase: every training image's patch pairs of the epoch become one DataSet
 *   of its clean patches (target 1 - label-smoothing) and the restorer's outputs on their
 *   degraded versions (target 0), computed on the executors from the broadcast restorer; a
 *   parameter-averaged fit of the discriminator;</li>
 *   <li>restorer phase: the combined graph ({@link AdversarialModels#combined}: restorer, then
 *   the frozen, just-updated discriminator) fits the same patch pairs with two targets, the clean
 *   patch (pixel loss) and label 1 (weighted cross-entropy); a parameter-averaged fit with the
 *   plain epoch's training master. The restorer's parameters are then copied back into the
 *   ordinary restoration graph, which checkpoints, evaluation, the registry and restore use.</li>
 * </ol>
 * The discriminator and the combined graph (which holds the restorer's optimiser state) are
 * checkpointed beside the model with their updaters, so a resumed run continues exactly.
 */
final class AdversarialTraining {
    static final String DISCRIMINATOR = "discriminator.zip";
    static final String COMBINED = "adversarial-combined.zip";

    private final PipelineSettings settings;
    private ComputationGraph discriminator;
    private ComputationGraph combined;

    /** The Spark scores of one epoch's phases (DL4J's per-example scores). */
    record Fit(double discriminatorLoss, double combinedScore) {}

    /** D(clean) and D(restored) means and the restorer's adversarial loss -ln D(restored), on validation crops. */
    record Scores(double dReal, double dFake, double adversarialLoss) {}

    private AdversarialTraining(PipelineSettings settings, ComputationGraph discriminator, ComputationGraph combined) {
        this.settings = settings;
        this.discriminator = discriminator;
        this.combined = combined;
    }

    /** A fresh discriminator, and a combined graph holding {@code restorer}'s parameters. */
    static AdversarialTraining start(PipelineSettings s, ComputationGraph restorer) {
        ComputationGraph combined = AdversarialModels.combined(s.model(), s.train().adversarial(), s.prepare().patchSize());
        LayerParams.copy(restorer, combined, name -> true);
        return new AdversarialTraining(s, AdversarialModels.discriminator(s.model(), s.train().adversarial()), combined);
    }

    /** The discriminator and combined graph of a committed (verified) checkpoint, with their optimiser states. */
    static AdversarialTraining resume(PipelineSettings s, Path checkpoint, Configuration conf) {
        return new AdversarialTraining(s, CheckpointStore.readGraph(new Path(checkpoint, DISCRIMINATOR), conf, true),
                CheckpointStore.readGraph(new Path(checkpoint, COMBINED), conf, true));
    }

    ComputationGraph discriminator() {
        return discriminator;
    }

    ComputationGraph combined() {
        return combined;
    }

    /** The files a checkpoint gets beside model.zip and state.json. */
    Map<String, CheckpointStore.FileWriter> checkpointFiles() {
        ComputationGraph d = discriminator;
        ComputationGraph c = combined;
        Map<String, CheckpointStore.FileWriter> files = new TreeMap<>();
        files.put(DISCRIMINATOR, out -> ModelSerializer.writeModel(d, out, true));
        files.put(COMBINED, out -> ModelSerializer.writeModel(c, out, true));
        return files;
    }

    /**
     * Fits one epoch's two phases on {@code images} (keyed by content hash) and leaves the
     * restorer's new parameters in {@code restorer}; {@code learningRate} is the restorer's for
     * this epoch. The caller checks that the losses are finite.
     */
    Fit fitEpoch(JavaSparkContext jsc, JavaPairRDD<String, Image> images, ComputationGraph restorer, int epoch, int workers,
                 double learningRate) {
        long seed = settings.run().seed();
        PrepareSettings p = settings.prepare();
        TrainSettings t = settings.train();
        AdversarialSettings a = t.adversarial();

        Broadcast<GraphCopy> r = jsc.broadcast(new GraphCopy(restorer));
        JavaRDD<DataSet> dData = images.mapPartitions(new DiscriminatorData(r, seed, epoch, p, a.realLabel()));
        if (t.workers() > 0) dData = dData.repartition(workers);
        SparkComputationGraph dNet = new SparkComputationGraph(jsc, discriminator, TrainingMasters.parameterAveraging(settings,
                workers, 2 * p.patchesPerImage(), 2 * t.batchSizePerWorker(), t.averagingFrequency(),
                Seeds.derive(seed, epoch, "adversarial-d-master", 0)));
        TrainingMasters.fit(dNet, dData);
        discriminator = dNet.getNetwork();
        double dLoss = dNet.getScore();
        r.destroy();

        LayerParams.copy(discriminator, combined, AdversarialModels.PREFIX);
        combined.setLearningRate(learningRate);
        JavaRDD<org.nd4j.linalg.dataset.api.MultiDataSet> rData = images.map(kv -> restorerData(PairSource.patchPairs(kv._2(), kv._1(), seed, epoch, p)));
        if (t.workers() > 0) rData = rData.repartition(workers);
        SparkComputationGraph rNet = new SparkComputationGraph(jsc, combined,
                TrainingMasters.parameterAveraging(settings, workers, Seeds.derive(seed, epoch, "training-master", 0)));
        TrainingMasters.fitMultiDataSet(rNet, rData);
        combined = rNet.getNetwork();
        LayerParams.copy(combined, restorer, name -> !name.startsWith(AdversarialModels.PREFIX));
        return new Fit(dLoss, rNet.getScore());
    }

    /** The discriminator's view of the validation crops and of {@code restorer}'s outputs on their degraded versions. */
    Scores score(ComputationGraph restorer, List<TrainingPair> val, ModelSpec spec) {
        double real = 0, fake = 0, loss = 0;
        for (TrainingPair pair : val) {
            double pReal = probability(pair.clean());
            double pFake = probability(Inference.restore(restorer, spec, pair.degraded()));
            real += pReal;
            fake += pFake;
            loss -= Math.log(Math.max(pFake, 1e-7));
        }
        int n = Math.max(1, val.size());
        return new Scores(real / n, fake / n, loss / n);
    }

    private double probability(Image image) {
        return discriminator.outputSingle(false, Batches.stack(List.of(image))).getDouble(0);
    }

    /** The restorer phase's example: degraded patches in; clean patches and label 1 ("real") out. */
    private static org.nd4j.linalg.dataset.api.MultiDataSet restorerData(List<TrainingPair> pairs) {
        return new MultiDataSet(new INDArray[] {Batches.stack(pairs.stream().map(TrainingPair::degraded).toList())},
                new INDArray[] {Batches.stack(pairs.stream().map(TrainingPair::clean).toList()),
                        Nd4j.ones(DataType.FLOAT, pairs.size(), 1)});
    }

    /**
     * Executor side of the discriminator phase: per training image, its clean patches of the epoch
     * and the broadcast restorer's outputs on their degraded versions, built lazily.
     */
    private static final class DiscriminatorData implements FlatMapFunction<Iterator<Tuple2<String, Image>>, DataSet> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<GraphCopy> restorer;
        private final long seed;
        private final int epoch;
        private final PrepareSettings prepare;
        private final double realLabel;

        DiscriminatorData(Broadcast<GraphCopy> restorer, long seed, int epoch, PrepareSettings prepare,
                          double realLabel) {
            this.restorer = restorer;
            this.seed = seed;
            this.epoch = epoch;
            this.prepare = prepare;
            this.realLabel = realLabel;
        }

        @Override
        public Iterator<DataSet> call(Iterator<Tuple2<String, Image>> images) {
            return new Iterator<>() {
                private ComputationGraph net;

                @Override
                public boolean hasNext() {
                    return images.hasNext();
                }

                @Override
                public DataSet next() {
                    if (net == null) net = restorer.value().build();
                    Tuple2<String, Image> kv = images.next();
                    List<TrainingPair> pairs = PairSource.patchPairs(kv._2(), kv._1(), seed, epoch, prepare);
                    INDArray fake = net.outputSingle(false, Batches.stack(pairs.stream().map(TrainingPair::degraded).toList()));
                    int n = pairs.size();
                    return new DataSet(Nd4j.concat(0, Batches.stack(pairs.stream().map(TrainingPair::clean).toList()), fake),
                            Nd4j.concat(0, Nd4j.valueArrayOf(new long[] {n, 1}, realLabel, DataType.FLOAT),
                                    Nd4j.zeros(DataType.FLOAT, n, 1)));
                }
            };
        }
    }
}
