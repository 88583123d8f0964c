package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.runtime.FastPath;
import org.imagepipeline.runtime.GpuSupport;
import org.imagepipeline.model.Inference;
import org.imagepipeline.model.RestorationModels;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code pipeline gpu-check}: whether this machine's GPU can run the CUDA build, and whether the
 * CUDA build computes what the CPU build computes. {@code deploy/gpu-check} drives it: it writes
 * the reference on the CPU build, rebuilds with {@code -Pcuda}, and verifies. No Spark.
 */
final class GpuCheckJob implements Job {
    static final List<String> MODES = List.of("probe", "reference", "verify");

    @Override public String name() { return "gpu-check"; }

    @Override public String summary() { return "checks the GPU and the CUDA build against a CPU reference (deploy/gpu-check)"; }

    @Override public String help() {
        return """
                pipeline gpu-check probe            reads the GPUs with nvidia-smi and says whether the CUDA build
                                                    can run on them (compute capability %s)
                pipeline gpu-check reference DIR    on the CPU build: writes a small fixed DnCNN (model.zip), an input
                                                    batch, an image and the CPU's outputs for them (.npy) to DIR
                pipeline gpu-check verify DIR [STEPS]
                                                    on the CUDA build: refuses an unsupported GPU, loads DIR's model and
                                                    compares its output and an Inference.restore with the CPU's (max
                                                    abs difference %s), then trains model.* for STEPS (default 20)
                                                    minibatches of train.batch-size-per-worker random patches of
                                                    prepare.patch-size pixels and prints device, samples/s and the
                                                    convolution helper as JSON. Exits 1 when the outputs differ.

                deploy/gpu-check runs all three in order and rebuilds the CPU jars at the end.
                DL4J's cuDNN/oneDNN helpers need -Dorg.eclipse.deeplearning4j.helpers.disable=false, which the
                launcher passes."""
                .formatted(GpuSupport.supportedList(), GpuCheck.TOLERANCE);
    }

    @Override public void run(PipelineSettings s, List<String> args) throws Exception {
        if (args.isEmpty() || !MODES.contains(args.get(0))) {
            throw new UserError("gpu-check needs a mode, one of " + String.join(", ", MODES)
                    + (args.isEmpty() ? "" : ", but got '" + args.get(0) + "'") + " (see pipeline gpu-check --help).");
        }
        String mode = args.get(0);
        if (mode.equals("probe")) {
            GpuSupport.Assessment a = GpuSupport.probe();
            System.out.println(a.message());
            if (!a.ok()) throw new UserError("The CUDA build cannot run on this machine, as the line above says.");
            return;
        }
        if (args.size() < 2) {
            throw new UserError("gpu-check " + mode + " needs the reference directory after it, e.g. 'gpu-check "
                    + mode + " work/gpu-check'.");
        }
        Path dir = Path.of(args.get(1));
        FastPath.enableHelpers();
        if (mode.equals("reference")) {
            GpuCheck.writeReference(dir);
            System.out.println("Wrote the CPU reference (backend " + GpuCheck.backend() + ") to " + dir.toAbsolutePath() + ".");
            return;
        }
        verify(s, dir, args.size() > 2 ? steps(args.get(2)) : 20);
    }

    private static void verify(PipelineSettings s, Path dir, int steps) throws Exception {
        // nvidia-smi first: on an unsupported GPU the CUDA backend fails at its first kernel with
        // an unhelpful "no kernel image is available", so say why before ND4J loads.
        GpuSupport.Assessment gpu = GpuSupport.probe();
        if (!gpu.ok()) throw new UserError(gpu.message());
        String backend;
        try {
            backend = GpuCheck.backend();
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new UserError("ND4J could not load its backend, so the CUDA build cannot run here. The CUDA backend "
                    + "needs the NVIDIA driver (libcuda.so.1), the CUDA 11.6 runtime and cuDNN 8 libraries on the library "
                    + "path (the deploy/cuda image has them); the warning logged above names the library that failed to load.");
        }
        if (!"CUDA".equalsIgnoreCase(backend)) {
            throw new UserError("gpu-check verify needs the CUDA build, but ND4J's backend is " + backend
                    + "; build with 'mvn -B -q -Pcuda -DskipTests package' (deploy/gpu-check does).");
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        ArrayNode smi = out.putArray("nvidia_smi");
        gpu.devices().forEach(d -> smi.addObject().put("name", d.name()).put("compute_capability", d.capability()));
        out.set("nd4j", GpuCheck.environment());

        GpuCheck.Comparison c = GpuCheck.compare(dir, GpuCheck.TOLERANCE);
        ObjectNode cmp = out.putObject("compare_with_cpu");
        cmp.put("forward_max_abs_diff", c.forwardMaxAbsDiff());
        cmp.put("forward_mean_abs_diff", c.forwardMeanAbsDiff());
        cmp.put("restore_max_abs_diff", c.restoreMaxAbsDiff());
        cmp.put("tolerance", c.tolerance());
        cmp.put("pass", c.pass());

        out.set("training", GpuCheck.trainThroughput(s.model(), s.train().batchSizePerWorker(),
                s.prepare().patchSize(), 3, steps));

        // One whole-image restore with the pipeline's default-size model, timed after a warm-up.
        ComputationGraph graph = RestorationModels.build(s.model());
        var image = GpuCheck.referenceImage();
        Inference.restore(graph, s.model(), image);
        long t0 = System.nanoTime();
        var restored = Inference.restore(graph, s.model(), image);
        ObjectNode restore = out.putObject("restore");
        restore.put("image", image.toString());
        restore.put("output", restored.toString());
        restore.put("milliseconds", (System.nanoTime() - t0) / 1e6);

        System.out.println(out.toPrettyString());
        if (!c.pass()) {
            throw new UserError("The CUDA build's output differs from the CPU reference by up to " + c.forwardMaxAbsDiff()
                    + " (forward) and " + c.restoreMaxAbsDiff() + " (restore), more than the tolerance " + c.tolerance() + ".");
        }
    }

    private static int steps(String arg) {
        try {
            int n = Integer.parseInt(arg);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UserError("gpu-check verify's STEPS must be a whole number of at least 1, but was '" + arg + "'.");
    }
}
