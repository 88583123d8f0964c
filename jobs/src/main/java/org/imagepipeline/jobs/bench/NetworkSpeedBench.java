package org.imagepipeline.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.runtime.FastPath;
import org.imagepipeline.model.Loss;
import org.imagepipeline.model.LrSchedule;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.ModelType;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.model.UnetDownsample;
import org.imagepipeline.model.UnetUpsample;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures how fast our restoration networks train and infer on this machine, with DL4J's fast
 * helpers on (see {@link FastPath}) and, in the same JVM, off ("as shipped"), so the two stand
 * side by side; optionally tries performance variants and runs the PyTorch reference
 * ({@code deploy/bench/pytorch_dncnn.py}) for an our/PyTorch ratio measured in the same run.
 *
 * <p>Throughput is samples (patches) per second: batch size / median time of the timed iterations,
 * after untimed warm-up iterations (the median keeps bursts of load from other processes on a
 * shared machine from dominating); one training iteration is forward + backward + Adam update of one minibatch, one
 * inference iteration is a forward pass in inference mode. Inputs are random: speed does not
 * depend on pixel values. This is a benchmark, not a test: its numbers depend on the machine and
 * on whatever else runs on it.
 */
public final class NetworkSpeedBench {

    /**
     * What to run.
     *
     * @param batch          patches per minibatch
     * @param patch          patch side in pixels (gray, square); a multiple of 8 for the U-Net
     * @param warmup         untimed iterations before each measurement
     * @param iterations     timed iterations with helpers on
     * @param slowIterations timed iterations with helpers off (they are ~6× slower; 1 warm-up)
     * @param asShipped      also measure with helpers off
     * @param variants       also measure each network without DL4J workspaces
     * @param pytorchScript  the PyTorch reference script, or {@code null} to skip it
     * @param python         the Python interpreter that has {@code torch} (Debian: /usr/bin/python3)
     * @param threads        CPU threads the PyTorch reference may use (ND4J uses its own setting)
     */
    public record Options(int batch, int patch, int warmup, int iterations, int slowIterations,
                          boolean asShipped, boolean variants, Path pytorchScript, String python, int threads) {
        /** The task's reference setting: batch 16 of 40×40 gray, PyTorch with 2 threads. */
        public static Options standard() {
            return new Options(16, 40, 3, 10, 3, true, true, Path.of("deploy/bench/pytorch_dncnn.py"), "/usr/bin/python3", 2);
        }
    }

    private NetworkSpeedBench() {
    }

    /** DnCNN-17, 64 features, gray, with or without batch norm; the benchmark's reference network. */
    public static ModelSpec dncnn17(boolean batchNorm) {
        return optimiser(ModelSpec.builder(ModelType.DNCNN, 1)).dncnnDepth(17).dncnnFeatures(64).batchNorm(batchNorm).build();
    }

    /** The U-Net measured here: 3 levels, 32 base features, max-pool down, upsample + conv up, gray. */
    public static ModelSpec unet3x32() {
        return optimiser(ModelSpec.builder(ModelType.UNET, 1)).unetBaseFeatures(32).unetLevels(3)
                .unetDownsample(UnetDownsample.MAXPOOL).unetUpsample(UnetUpsample.UPSAMPLE).build();
    }

    /** The networks' shared loss and optimiser: MSE, Adam at 1e-3 (0.9, 0.999), constant, seed 1, float. */
    private static ModelSpec.Builder optimiser(ModelSpec.Builder b) {
        return b.loss(Loss.MSE).learningRate(1e-3).weightDecay(0).lrSchedule(LrSchedule.NONE).adamBeta1(0.9).adamBeta2(0.999)
                .seed(1).dataType(DataType.FLOAT);
    }

    /** Runs the benchmark and returns its report (JSON-ready: maps, lists, strings, numbers). */
    public static Map<String, Object> run(Options o) {
        FastPath.enableHelpers();
        Map<String, Object> report = new LinkedHashMap<>();
        FastPath.Status status = FastPath.check();
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "nd4j", Nd4j.getExecutioner().getEnvironmentInformation().toString()));
        report.put("fastPath", Map.of("fast", status.fast(), "convHelper", String.valueOf(status.convHelper()),
                "oneDnnInUse", status.oneDnnInUse(), "dl4jOneDnnCheck", status.dl4jOneDnnCheck(),
                "problems", status.problems()));
        report.put("setting", Map.of("batch", o.batch(), "patch", o.patch(), "warmup", o.warmup(),
                "iterations", o.iterations(), "slowIterations", o.slowIterations()));

        List<Map<String, Object>> runs = new ArrayList<>();
        List<Map<String, Object>> torchRuns = new ArrayList<>();
        Map<String, ModelSpec> nets = new LinkedHashMap<>();
        nets.put("dncnn17-bn", dncnn17(true));
        nets.put("dncnn17", dncnn17(false));
        nets.put("unet-3x32", unet3x32());
        for (var e : nets.entrySet()) {
            // Variants of one network run back to back so they see similar machine load.
            runs.add(measure(e.getKey(), e.getValue(), WorkspaceMode.ENABLED, true, o, o.warmup(), o.iterations()));
            if (o.pytorchScript() != null) {
                // Right after ours, so both see similar load; never concurrently.
                torchRuns.add(pytorch(o, e.getKey()));
            }
            if (o.variants()) {
                runs.add(measure(e.getKey(), e.getValue(), WorkspaceMode.NONE, true, o, o.warmup(), o.iterations()));
            }
            if (o.asShipped()) {
                runs.add(measure(e.getKey(), e.getValue(), WorkspaceMode.ENABLED, false, o, 1, o.slowIterations()));
            }
        }
        // Not measured here: HALF runs on CPU without fast kernels (~40x slower than FLOAT in a
        // short look), DL4J M2.1 networks refuse BFLOAT16, and NHWC, though faster, gets wrong
        // gradients from the oneDNN conv helper.
        report.put("dl4j", runs);

        if (o.asShipped()) {
            Map<String, Object> speedups = new LinkedHashMap<>();
            for (String name : nets.keySet()) {
                Map<String, Object> fast = find(runs, name, true, WorkspaceMode.ENABLED, DataType.FLOAT);
                Map<String, Object> slow = find(runs, name, false, WorkspaceMode.ENABLED, DataType.FLOAT);
                speedups.put(name, Map.of("train", ratio(fast, slow, "trainSamplesPerSec"),
                        "inference", ratio(fast, slow, "inferSamplesPerSec")));
            }
            report.put("fastOverAsShipped", speedups);
        }
        if (o.pytorchScript() != null) {
            report.put("pytorch", torchRuns);
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (Map<String, Object> t : torchRuns) {
                if (t.get("results") instanceof List<?> results && !results.isEmpty() && results.get(0) instanceof Map<?, ?> m) {
                    Map<String, Object> ours = find(runs, String.valueOf(m.get("name")), true, WorkspaceMode.ENABLED, DataType.FLOAT);
                    if (ours != null) {
                        ratios.put(String.valueOf(m.get("name")), Map.of(
                                "train", round(num(ours.get("trainSamplesPerSec")) / num(m.get("trainSamplesPerSec"))),
                                "inference", round(num(ours.get("inferSamplesPerSec")) / num(m.get("inferSamplesPerSec")))));
                    }
                }
            }
            report.put("oursOverPytorch", ratios);
        }
        return report;
    }

    private static Map<String, Object> measure(String name, ModelSpec spec, WorkspaceMode workspace, boolean helpers,
                                               Options o, int warmup, int iterations) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("helpersOn", helpers);
        r.put("workspace", workspace.name());
        r.put("dataType", spec.dataType().name());
        String previous = System.getProperty(FastPath.HELPERS_PROPERTY);
        try {
            // DL4J reads the property per layer at construction, so this toggles one network.
            System.setProperty(FastPath.HELPERS_PROPERTY, helpers ? "false" : "true");
            ComputationGraph net = RestorationModels.build(spec, workspace);
            r.put("helpers", helperNames(net));
            r.put("params", net.numParams());
            long[] shape = {o.batch(), spec.channels(), o.patch(), o.patch()};
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(spec.dataType(), shape);
            INDArray y = Nd4j.rand(spec.dataType(), shape);
            DataSet ds = new DataSet(x, y);
            for (int i = 0; i < warmup; i++) {
                net.fit(ds);
            }
            double[] times = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                net.fit(ds);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            double train = o.batch() / median(times);
            for (int i = 0; i < warmup; i++) {
                net.output(false, x);
            }
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                net.output(false, x);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            double infer = o.batch() / median(times);
            r.put("trainSamplesPerSec", round(train));
            r.put("inferSamplesPerSec", round(infer));
            r.put("finalScore", round(net.score()));
        } catch (RuntimeException | LinkageError e) {
            // A variant the backend cannot run is a result too (e.g. a data type without kernels).
            r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(FastPath.HELPERS_PROPERTY);
            } else {
                System.setProperty(FastPath.HELPERS_PROPERTY, previous);
            }
        }
        System.err.println("bench: " + r);
        return r;
    }

    /** Layer type → helper class (simple name, or "none") of the first layer of each type. */
    private static Map<String, String> helperNames(ComputationGraph net) {
        Map<String, String> names = new TreeMap<>();
        for (Layer layer : net.getLayers()) {
            Object helper = null;
            try {
                helper = layer.getClass().getMethod("getHelper").invoke(layer);
            } catch (ReflectiveOperationException e) {
                continue; // a layer type without helpers
            }
            names.putIfAbsent(layer.getClass().getSimpleName(), helper == null ? "none" : helper.getClass().getSimpleName());
        }
        return names;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static Map<String, Object> find(List<Map<String, Object>> runs, String name, boolean helpers,
                                            WorkspaceMode workspace, DataType type) {
        for (Map<String, Object> r : runs) {
            if (name.equals(r.get("name")) && Boolean.valueOf(helpers).equals(r.get("helpersOn"))
                    && workspace.name().equals(r.get("workspace"))
                    && type.name().equals(r.get("dataType")) && !r.containsKey("error")) {
                return r;
            }
        }
        return null;
    }

    private static Object ratio(Map<String, Object> a, Map<String, Object> b, String key) {
        if (a == null || b == null) {
            return "n/a";
        }
        return round(num(a.get(key)) / num(b.get(key)));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Runs the PyTorch reference as a child process (after ours, so they never compete for cores). */
    private static Map<String, Object> pytorch(Options o, String network) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (!Files.isRegularFile(o.pytorchScript())) {
            r.put("error", "The PyTorch reference script " + o.pytorchScript() + " does not exist.");
            return r;
        }
        try {
            Process p = new ProcessBuilder(o.python(), o.pytorchScript().toString(),
                    "--batch", String.valueOf(o.batch()), "--patch", String.valueOf(o.patch()),
                    "--warmup", String.valueOf(o.warmup()), "--iterations", String.valueOf(o.iterations()),
                    "--threads", String.valueOf(o.threads()), "--only", network)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                r.put("error", "The PyTorch reference failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): " + out);
                p.destroy();
                return r;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = new ObjectMapper().readValue(out, Map.class);
            return parsed;
        } catch (IOException e) {
            r.put("error", "The PyTorch reference could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.put("error", "Interrupted while the PyTorch reference ran.");
        }
        return r;
    }

    /**
     * Prints the report as JSON on stdout (progress goes to stderr). Arguments, all optional:
     * {@code iterations=N slowIterations=N warmup=N batch=N patch=N asShipped=true|false
     * variants=true|false pytorch=PATH|none python=PATH threads=N}.
     */
    public static void main(String[] args) throws IOException {
        Options d = Options.standard();
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("Arguments must look like key=value, but got \"" + arg + "\".");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String torch = a.getOrDefault("pytorch", d.pytorchScript().toString());
        Options o = new Options(Integer.parseInt(a.getOrDefault("batch", "" + d.batch())),
                Integer.parseInt(a.getOrDefault("patch", "" + d.patch())),
                Integer.parseInt(a.getOrDefault("warmup", "" + d.warmup())),
                Integer.parseInt(a.getOrDefault("iterations", "" + d.iterations())),
                Integer.parseInt(a.getOrDefault("slowIterations", "" + d.slowIterations())),
                Boolean.parseBoolean(a.getOrDefault("asShipped", "" + d.asShipped())),
                Boolean.parseBoolean(a.getOrDefault("variants", "" + d.variants())),
                "none".equals(torch) ? null : Path.of(torch), a.getOrDefault("python", d.python()),
                Integer.parseInt(a.getOrDefault("threads", "" + d.threads())));
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(run(o)));
    }
}
