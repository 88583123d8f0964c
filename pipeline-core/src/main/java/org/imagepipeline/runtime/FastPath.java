package org.imagepipeline.runtime;

import org.imagepipeline.model.Loss;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.RestorationModels;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.Nd4jCpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that DL4J's fast layer implementations ("helpers": oneDNN on CPU, cuDNN on CUDA) are
 * really used, and says which piece is missing when they are not. Without them DL4J M2.1 runs
 * convolutions through its own im2col + gemm code, about 6× slower to train on CPU.
 *
 * <p>Three things must hold on CPU, and the first also on CUDA:
 * <ol>
 *   <li>the system property {@value #HELPERS_PROPERTY}{@code =false} (DL4J M2.1 defaults it to
 *       true). DL4J reads it each time a layer is created, so it must be set before a network is
 *       built; {@link #enableHelpers()} sets it programmatically when nobody has set it;</li>
 *   <li>libnd4j built with oneDNN: the {@code nd4j-native} classifier {@code linux-x86_64-onednn-*}
 *       plus {@code org.bytedeco:dnnl};</li>
 *   <li>the class {@link org.nd4j.nativeblas.Nd4jCpu} in this module, which repairs DL4J's oneDNN
 *       check ({@code BaseMKLDNNHelper.mklDnnEnabled()}).</li>
 * </ol>
 * On CUDA the convolution helper would come from a {@code deeplearning4j-cuda-<version>} artifact,
 * which was never released for M2.1 (nor M2, M1.1): CUDA convolutions run DL4J's built-in
 * im2col + cuBLAS path, and this check reports that as the one known gap.
 */
public final class FastPath {
    private static final Logger log = LoggerFactory.getLogger(FastPath.class);

    /** The property that switches DL4J's helpers on when {@code false}. */
    public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private static final String MKLDNN_CONV_HELPER = "org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper";
    private static final String CUDNN_CONV_HELPER = "org.deeplearning4j.cuda.convolution.CudnnConvolutionHelper";

    private FastPath() {
    }

    /**
     * What {@link #check()} found.
     *
     * @param backend         ND4J's backend, e.g. "CPU" or "CUDA"
     * @param helpersProperty the value of {@value #HELPERS_PROPERTY}, {@code null} when unset
     * @param helpersAllowed  libnd4j's own switch for platform helpers ({@code Environment.helpersAllowed()})
     * @param oneDnnInUse     libnd4j was built with oneDNN and uses it (always false on CUDA)
     * @param dl4jOneDnnCheck DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()}
     * @param convHelper      class name of the helper that a freshly built convolution layer got,
     *                        {@code null} when it got none (the slow built-in path)
     */
    public record Status(String backend, String helpersProperty, boolean helpersAllowed, boolean oneDnnInUse,
                         boolean dl4jOneDnnCheck, String convHelper) {

        /** Whether convolutions run on the backend's fast library. */
        public boolean fast() {
            return isCuda() ? CUDNN_CONV_HELPER.equals(convHelper) : MKLDNN_CONV_HELPER.equals(convHelper);
        }

        private boolean isCuda() {
            return "CUDA".equalsIgnoreCase(backend);
        }

        /** One full sentence per missing piece, empty when the fast path is taken. */
        public List<String> problems() {
            List<String> p = new ArrayList<>();
            if (fast()) {
                return p;
            }
            if (!"false".equalsIgnoreCase(helpersProperty)) {
                p.add("The system property " + HELPERS_PROPERTY + " is " + (helpersProperty == null ? "unset" : "\"" + helpersProperty + "\"")
                        + ", so DL4J creates no layer helpers; set -D" + HELPERS_PROPERTY
                        + "=false in every JVM that trains or infers (driver and executors), or call FastPath.enableHelpers() before building networks.");
            }
            if (!helpersAllowed) {
                p.add("ND4J's environment forbids platform helpers (Nd4j.getEnvironment().helpersAllowed() is false); call Nd4j.getEnvironment().allowHelpers(true).");
            }
            if (isCuda()) {
                p.add("The convolution layer got " + (convHelper == null ? "no helper" : convHelper)
                        + " instead of " + CUDNN_CONV_HELPER + ": convolutions run DL4J's built-in im2col + cuBLAS path."
                        + " The cuDNN helper ships in deeplearning4j-cuda-11.6, which Maven Central has no release of for"
                        + " DL4J 1.0.0-M2.1; nothing on this class path can provide it.");
                return p;
            }
            if (!oneDnnInUse) {
                p.add("The loaded libnd4j does not use oneDNN; depend on nd4j-native with classifier linux-x86_64-onednn-avx2 (or -onednn-avx512) and on org.bytedeco:dnnl.");
            }
            if (oneDnnInUse && helpersAllowed && !dl4jOneDnnCheck) {
                p.add("DL4J's oneDNN check (BaseMKLDNNHelper.mklDnnEnabled) fails although oneDNN is in use; the compatibility class org.nd4j.nativeblas.Nd4jCpu from pipeline-core must be on the class path.");
            }
            if (p.isEmpty()) {
                p.add("The convolution layer got " + (convHelper == null ? "no helper" : convHelper)
                        + " instead of " + MKLDNN_CONV_HELPER + " for an unknown reason.");
            }
            return p;
        }
    }

    /**
     * Sets {@value #HELPERS_PROPERTY}{@code =false} unless someone already set the property
     * (an explicit {@code true} is respected). Effective for every network built afterwards,
     * even after ND4J has initialised, because DL4J reads the property per layer.
     */
    public static void enableHelpers() {
        if (System.getProperty(HELPERS_PROPERTY) == null) {
            System.setProperty(HELPERS_PROPERTY, "false");
        }
    }

    /** Probes the environment with a tiny two-layer network built here. */
    public static Status check() {
        ModelSpec probe = ModelSpec.builder(ModelType.DNCNN, 1).dncnnDepth(2).dncnnFeatures(2).batchNorm(false).loss(Loss.MSE)
                .learningRate(1e-3).weightDecay(0).lrSchedule(LrSchedule.NONE).adamBeta1(0.9).adamBeta2(0.999).seed(0)
                .dataType(DataType.FLOAT).build();
        return check(RestorationModels.build(probe));
    }

    /** Probes the environment, reading the helper from {@code graph}'s first convolution layer. */
    public static Status check(ComputationGraph graph) {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        return new Status(backend, System.getProperty(HELPERS_PROPERTY), Nd4j.getEnvironment().helpersAllowed(),
                Nd4jCpu.Environment.getInstance().isUseMKLDNN(),
                BaseMKLDNNHelper.mklDnnEnabled(), convHelper(graph));
    }

    /** Class name of the helper of {@code graph}'s first convolution layer; {@code null} for none. */
    public static String convHelper(ComputationGraph graph) {
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                LayerHelper helper = conv.getHelper();
                return helper == null ? null : helper.getClass().getName();
            }
        }
        throw new IllegalArgumentException("The network has no convolution layer whose helper could be inspected.");
    }

    /**
     * Checks the fast path and logs one warning naming every missing piece, or an info line
     * when it is taken. With {@code required}, a missing fast path is an error instead.
     *
     * @return what was found
     * @throws IllegalStateException when {@code required} and the fast path is not taken
     */
    public static Status requireOrWarn(boolean required) {
        Status status = check();
        if (status.fast()) {
            log.info("Fast path taken: backend {}, convolution helper {}.", status.backend(), status.convHelper());
            return status;
        }
        String message = "DL4J's fast layer helpers are not used, so training and inference run several times slower than they could. "
                + String.join(" ", status.problems());
        if (required) {
            throw new IllegalStateException(message);
        }
        log.warn(message);
        return status;
    }
}
