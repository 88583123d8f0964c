package org.imagepipeline.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.imagepipeline.model.ModelSpec;
import org.imagepipeline.model.RestorationModels;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.TrainingState;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Checkpoint write and read time and throughput of the restoration model on each filesystem root
 * given, three ways side by side: the commit protocol ({@link CheckpointStore#write}, then
 * {@link CheckpointStore#loadNewest}, which verifies every file's SHA-256 against the marker before
 * loading), a plain single-file write and load of the same model (serialization included), and
 * the raw bytes of the serialized model (the filesystem alone). Medians over the repetitions,
 * after one uncounted warm-up round;
 * MB/s are of the model file's size. Everything it writes is under {@code <root>/bench-<uuid>},
 * deleted at the end.
 */
public final class CheckpointBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointBench() {}

    public static ObjectNode run(ModelSpec spec, List<String> roots, int repetitions, Configuration conf) {
        ComputationGraph graph = RestorationModels.build(spec);
        // One step so the Adam state is not all zeros (zeros would compress to nothing in the zip).
        long[] shape = {2, spec.channels(), 40, 40};
        graph.fit(new DataSet(Nd4j.rand(spec.dataType(), shape), Nd4j.rand(spec.dataType(), shape)));
        byte[] modelBytes = serialize(graph);
        TrainingState state = new TrainingState(1, 1, spec.seed(), 20, 1, 0, "bench", 1);

        ObjectNode out = JSON.createObjectNode();
        out.put("model", spec.type() + (spec.isDncnn()
                ? "-" + spec.dncnnDepth() + "x" + spec.dncnnFeatures() : "-" + spec.unetLevels() + "x" + spec.unetBaseFeatures()));
        out.put("parameters", graph.numParams());
        out.put("model_zip_bytes", modelBytes.length);
        out.put("repetitions", repetitions);
        ArrayNode results = out.putArray("filesystems");
        for (String root : roots) results.add(oneRoot(root, graph, state, modelBytes, repetitions, conf));
        return out;
    }

    private static ObjectNode oneRoot(String root, ComputationGraph graph, TrainingState state, byte[] modelBytes, int reps,
                                      Configuration conf) {
        Path base = new Path(root, "bench-" + UUID.randomUUID());
        FileSystem fs = HadoopIO.fs(base, conf);
        double[] protocolWrite = new double[reps], protocolRead = new double[reps];
        double[] plainWrite = new double[reps], plainRead = new double[reps];
        double[] bytesWrite = new double[reps], bytesRead = new double[reps];
        try {
            // Round -1 warms up (JIT, connections, first block allocation) and is not counted.
            for (int r = -1; r < reps; r++) {
                int i = Math.max(r, 0);
                CheckpointStore store = new CheckpointStore(new Path(base, "protocol-" + r), conf);
                long t0 = System.nanoTime();
                store.write(graph, state);
                protocolWrite[i] = seconds(t0);
                t0 = System.nanoTime();
                CheckpointStore.Loaded loaded = store.loadNewest().orElseThrow(() -> new IllegalStateException(
                        "the checkpoint just written under " + base + " does not verify"));
                protocolRead[i] = seconds(t0);
                if (loaded.graph().numParams() != graph.numParams()) throw new IllegalStateException("read back another model");

                Path plain = new Path(base, "plain-" + r + ".zip");
                t0 = System.nanoTime();
                try (FSDataOutputStream o = fs.create(plain, true)) {
                    ModelSerializer.writeModel(graph, CloseShieldOutputStream.wrap(o), true);
                }
                plainWrite[i] = seconds(t0);
                t0 = System.nanoTime();
                try (FSDataInputStream in = fs.open(plain)) {
                    ModelSerializer.restoreComputationGraph(in, true);
                }
                plainRead[i] = seconds(t0);

                Path raw = new Path(base, "bytes-" + r);
                t0 = System.nanoTime();
                try (FSDataOutputStream o = fs.create(raw, true)) {
                    o.write(modelBytes);
                }
                bytesWrite[i] = seconds(t0);
                t0 = System.nanoTime();
                try (FSDataInputStream in = fs.open(raw)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                bytesRead[i] = seconds(t0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint benchmark on " + base + " failed: " + e.getMessage(), e);
        } finally {
            try {
                fs.delete(base, true);
            } catch (IOException ignored) {
                // a leftover bench folder is named as such
            }
        }
        double mb = modelBytes.length / 1e6;
        ObjectNode n = JSON.createObjectNode();
        n.put("root", fs.makeQualified(new Path(root)).toString());
        put(n, "protocol_write", protocolWrite, mb);
        put(n, "protocol_read_verified", protocolRead, mb);
        put(n, "plain_write", plainWrite, mb);
        put(n, "plain_read", plainRead, mb);
        put(n, "bytes_write", bytesWrite, mb);
        put(n, "bytes_read", bytesRead, mb);
        n.put("protocol_write_overhead", median(protocolWrite) / median(plainWrite));
        n.put("protocol_read_overhead", median(protocolRead) / median(plainRead));
        return n;
    }

    private static void put(ObjectNode n, String what, double[] seconds, double mb) {
        double med = median(seconds);
        n.put(what + "_seconds", med);
        n.put(what + "_mb_per_s", mb / med);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static byte[] serialize(ComputationGraph graph) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(graph, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
