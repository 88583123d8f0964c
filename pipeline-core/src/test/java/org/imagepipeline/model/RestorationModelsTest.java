package org.imagepipeline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossL1;

class RestorationModelsTest {

    private static INDArray rand(long... shape) {
        Nd4j.getRandom().setSeed(7);
        return Nd4j.rand(DataType.FLOAT, shape);
    }

    @Test
    void dncnnOutputHasInputShapeForAnySize() {
        ComputationGraph gray = RestorationModels.build(Specs.dncnn(1, 3, 4, true));
        for (long[] shape : new long[][] {{1, 1, 5, 7}, {2, 1, 16, 9}, {1, 1, 1, 1}}) {
            assertArrayEquals(shape, gray.outputSingle(rand(shape)).shape());
        }
        ComputationGraph rgb = RestorationModels.build(Specs.dncnn(3, 3, 4, false));
        assertArrayEquals(new long[] {2, 3, 11, 6}, rgb.outputSingle(rand(2, 3, 11, 6)).shape());
    }

    @Test
    void unetOutputHasInputShapeForMultiplesOfTwoToTheLevels() {
        for (UnetDownsample down : new UnetDownsample[] {UnetDownsample.MAXPOOL, UnetDownsample.STRIDED}) {
            for (UnetUpsample up : new UnetUpsample[] {UnetUpsample.UPSAMPLE, UnetUpsample.DECONV}) {
                ComputationGraph net = RestorationModels.build(Specs.unet(3, 2, 2, down, up));
                for (long[] shape : new long[][] {{1, 3, 4, 4}, {2, 3, 8, 12}, {1, 3, 20, 8}}) {
                    assertArrayEquals(shape, net.outputSingle(rand(shape)).shape(), down + "/" + up);
                }
            }
        }
    }

    @Test
    void parameterCountsMatchHandComputedNumbers() {
        // DnCNN, 1 channel, depth 3, 4 features: conv1 9*1*4+4 = 40; conv2 without bias 9*4*4 = 144
        // (+ batch norm gamma, beta, mean, variance 4*4 = 16); residual 9*4*1+1 = 37.
        assertEquals(40 + 144 + 16 + 37, RestorationModels.build(Specs.dncnn(1, 3, 4, true)).numParams());
        assertEquals(40 + 144 + 4 + 37, RestorationModels.build(Specs.dncnn(1, 3, 4, false)).numParams());
        // U-Net, 1 channel, 1 level, base 2: enc 9*1*2+2 = 20, 9*2*2+2 = 38; bottleneck 9*2*4+4 = 76,
        // 9*4*4+4 = 148; decoder 9*(2+2)*2+2 = 74, 38; 1x1 correction 2*1+1 = 3.
        long common = 20 + 38 + 76 + 148 + 74 + 38 + 3;
        // max-pool has no parameters; upsample + 3x3 conv 4->2: 9*4*2+2 = 74
        assertEquals(common + 74, RestorationModels.build(Specs.unet(1, 2, 1, UnetDownsample.MAXPOOL, UnetUpsample.UPSAMPLE)).numParams());
        // strided 3x3 conv 2->2: 9*2*2+2 = 38; 2x2 deconv 4->2: 2*2*4*2+2 = 34
        assertEquals(common + 38 + 34, RestorationModels.build(Specs.unet(1, 2, 1, UnetDownsample.STRIDED, UnetUpsample.DECONV)).numParams());
    }

    @Test
    void dncnnWithZeroResidualWeightsIsIdentity() {
        ComputationGraph net = RestorationModels.build(Specs.dncnn(3, 4, 4, true));
        net.getLayer("residual").params().assign(0);
        INDArray x = rand(2, 3, 9, 10);
        INDArray y = net.outputSingle(x);
        assertEquals(0.0, y.sub(x).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void unetWithZeroCorrectionWeightsIsIdentity() {
        ComputationGraph net = RestorationModels.build(Specs.unet(1, 2, 2, UnetDownsample.MAXPOOL, UnetUpsample.UPSAMPLE));
        net.getLayer("correction").params().assign(0);
        INDArray x = rand(1, 1, 8, 8);
        assertEquals(0.0, net.outputSingle(x).sub(x).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void tinyDenoiserLearnsWithinAFewDozenIterations() {
        ComputationGraph net = RestorationModels.build(Specs.dncnn(1, 4, 8, false));
        Nd4j.getRandom().setSeed(3);
        // Smooth images (horizontal ramps of random slope) plus Gaussian noise, sigma 0.1.
        INDArray ramp = Nd4j.linspace(0, 1, 16, DataType.FLOAT).reshape(1, 1, 1, 16);
        INDArray clean = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 1).mul(ramp).addi(0.2);
        INDArray noisy = clean.add(Nd4j.randn(DataType.FLOAT, 8, 1, 16, 16).muli(0.1));
        DataSet ds = new DataSet(noisy, clean);
        double before = net.score(ds);
        for (int i = 0; i < 40; i++) {
            net.fit(ds);
        }
        double after = net.score(ds);
        assertTrue(after < 0.5 * before, "Loss should at least halve in 40 iterations, was " + before + " then " + after);
    }

    @Test
    void lossAndScheduleFollowTheSpec() {
        ModelSpec base = Specs.dncnn(1, 2, 2, false);
        ModelSpec l1Cosine = ModelSpec.builder(base.type(), 1).dncnnDepth(2).dncnnFeatures(2).batchNorm(false).loss(Loss.L1)
                .learningRate(1e-2).weightDecay(1e-4).lrSchedule(LrSchedule.COSINE).lrCosineIterations(100).lrMinimum(1e-4)
                .adamBeta1(0.8).adamBeta2(0.99).seed(1).dataType(DataType.FLOAT).build();
        ComputationGraphConfiguration conf = RestorationModels.configuration(l1Cosine, WorkspaceMode.ENABLED);
        LayerVertex outVertex = (LayerVertex) conf.getVertices().get(RestorationModels.OUTPUT);
        CnnLossLayer out = (CnnLossLayer) outVertex.getLayerConf().getLayer();
        assertInstanceOf(LossL1.class, out.getLossFn());
        // The custom schedule survives the JSON that checkpoints store.
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        ComputationGraph net = new ComputationGraph(back);
        net.init();
        Adam adam = (Adam) ((BaseLayer) net.getLayer("conv1").conf().getLayer()).getIUpdater();
        assertEquals(new CosineSchedule(1e-2, 1e-4, 100), adam.getLearningRateSchedule());
        assertEquals(0.8, adam.getBeta1());
        assertEquals(0.99, adam.getBeta2());
    }
}
