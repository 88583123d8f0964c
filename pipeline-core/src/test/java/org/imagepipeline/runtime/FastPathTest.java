package org.imagepipeline.runtime;

import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.model.Specs;
import org.imagepipeline.model.UnetDownsample;
import org.imagepipeline.model.UnetUpsample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FastPathTest {

    @Test
    void testsTakeTheFastPath() {
        // Surefire passes -Dorg.eclipse.deeplearning4j.helpers.disable=false (parent pom).
        FastPath.Status status = FastPath.requireOrWarn(true);
        assertTrue(status.fast(), status.problems().toString());
        assertEquals(List.of(), status.problems());
        if ("CPU".equalsIgnoreCase(status.backend())) {
            assertTrue(status.oneDnnInUse(), "libnd4j should be the oneDNN build");
            assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J's oneDNN check should pass thanks to the Nd4jCpu shim");
            assertEquals("org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper", status.convHelper());
        }
    }

    @Test
    void everyConvolutionOfARealNetworkGetsTheHelper() {
        ComputationGraph net = RestorationModels.build(Specs.dncnn(1, 3, 4, true));
        for (var layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                assertTrue(conv.getHelper() != null, "Layer " + layer.getConfig().getLayerName() + " has no helper.");
            }
        }
        assertTrue(FastPath.check(net).fast());
    }

    /**
     * The fast path must compute what DL4J's built-in path computes: same score and gradients
     * for the same parameters and data (a layout bug in a helper would otherwise train quietly
     * wrong; DL4J's oneDNN conv helper does exactly that in NHWC).
     */
    @Test
    void fastPathGradientsEqualTheBuiltInOnes() {
        ModelSpec[] specs = {Specs.dncnn(1, 4, 4, true), Specs.unet(1, 2, 2, UnetDownsample.MAXPOOL, UnetUpsample.UPSAMPLE),
                Specs.unet(3, 2, 1, UnetDownsample.STRIDED, UnetUpsample.DECONV)};
        for (ModelSpec spec : specs) {
            ComputationGraph fast = RestorationModels.build(spec);
            ComputationGraph plain;
            try {
                System.setProperty(FastPath.HELPERS_PROPERTY, "true");
                plain = RestorationModels.build(spec);
            } finally {
                System.setProperty(FastPath.HELPERS_PROPERTY, "false");
            }
            assertTrue(FastPath.check(fast).fast());
            assertNull(FastPath.convHelper(plain));
            plain.setParams(fast.params());
            Nd4j.getRandom().setSeed(11);
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, spec.channels(), 8, 8);
            INDArray y = Nd4j.rand(DataType.FLOAT, 2, spec.channels(), 8, 8);
            INDArray gFast = gradient(fast, x, y);
            INDArray gPlain = gradient(plain, x, y);
            assertEquals(plain.score(), fast.score(), 1e-4 * Math.abs(plain.score()), spec.type().toString());
            double relative = gFast.sub(gPlain).norm2Number().doubleValue() / gPlain.norm2Number().doubleValue();
            assertTrue(relative < 1e-4, spec + ": fast and built-in gradients differ by " + relative + " (relative L2).");
        }
    }

    private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    /**
     * In a JVM without the property, DL4J as shipped builds helper-less layers, and
     * {@link FastPath#enableHelpers()} turns helpers on for networks built afterwards even though
     * ND4J is already initialised.
     */
    @Test
    void helpersCanBeEnabledProgrammaticallyAfterNd4jStarted() throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                FastPathProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "The probe JVM did not finish.");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("before: helper=null fast=false"), out);
        assertTrue(out.contains("after: helper=" + FastPath.check().convHelper() + " fast=true"), out);
    }

    @Test
    void problemsNameTheMissingPiece() {
        FastPath.Status noProperty = new FastPath.Status("CPU", null, true, true, true, null);
        assertFalse(noProperty.fast());
        assertTrue(noProperty.problems().get(0).contains("-Dorg.eclipse.deeplearning4j.helpers.disable=false"));
        FastPath.Status plainBuild = new FastPath.Status("CPU", "false", true, false, false, null);
        assertTrue(plainBuild.problems().get(0).contains("linux-x86_64-onednn-avx2"), plainBuild.problems().toString());
        FastPath.Status noShim = new FastPath.Status("CPU", "false", true, true, false, null);
        assertTrue(noShim.problems().get(0).contains("org.nd4j.nativeblas.Nd4jCpu"), noShim.problems().toString());
        FastPath.Status cuda = new FastPath.Status("CUDA", "false", true, false, false, null);
        assertTrue(cuda.problems().get(0).contains("deeplearning4j-cuda"), cuda.problems().toString());
    }
}
