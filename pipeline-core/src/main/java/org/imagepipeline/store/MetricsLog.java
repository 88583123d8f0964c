package org.imagepipeline.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading and repairing a run's metrics.jsonl (one JSON object per epoch). */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLog() {}

    public static List<JsonNode> read(RunDir run) {
        List<JsonNode> out = new ArrayList<>();
        if (!HadoopIO.exists(run.metrics(), run.hadoopConf())) return out;
        String text = new String(HadoopIO.read(run.metrics(), run.hadoopConf()), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("Line of " + run.metrics() + " is not JSON: " + line, e);
            }
        }
        return out;
    }

    /**
     * Drops lines for epochs after {@code epochsDone}: a run that died between writing a metrics
     * line and committing its checkpoint repeats that epoch on resume, and must not log it twice.
     */
    public static void truncateAfter(RunDir run, int epochsDone) {
        truncateAfter(run, "epoch", epochsDone);
    }

    /** Drops lines whose numeric {@code field} (a counter such as "step") is above {@code last}. */
    public static void truncateAfter(RunDir run, String field, long last) {
        List<JsonNode> lines = read(run);
        StringBuilder kept = new StringBuilder();
        boolean dropped = false;
        for (JsonNode n : lines) {
            if (n.path(field).asLong() <= last) kept.append(n).append('\n');
            else dropped = true;
        }
        if (dropped) HadoopIO.writeAtomically(run.metrics(), kept.toString().getBytes(StandardCharsets.UTF_8), run.hadoopConf());
    }
}
