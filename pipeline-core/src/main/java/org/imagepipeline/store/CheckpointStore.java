package org.imagepipeline.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checkpoints of one run under {@code <run>/checkpoints/epoch-NNNN/}: {@code model.zip} (the
 * graph with its updater state), {@code state.json} ({@link TrainingState}), and last a
 * {@code _COMMITTED} marker listing each file's size and SHA-256. Readers trust only committed
 * checkpoints whose files match the marker, and fall back to the previous one with a warning, so
 * neither a crash mid-write nor a corrupted file breaks {@code resume}. Nothing is renamed, which
 * keeps the protocol correct on S3.
 */
public final class CheckpointStore {
    public static final String MODEL = "model.zip";
    public static final String STATE = "state.json";
    public static final String MARKER = "_COMMITTED";
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Configuration conf;
    private final String prefix;

    public CheckpointStore(Path root, Configuration conf) {
        this(root, conf, "epoch");
    }

    /** A store whose checkpoint directories are named {@code <prefix>-NNNN} (epoch-0003, step-0200). */
    public CheckpointStore(Path root, Configuration conf, String prefix) {
        this.root = root;
        this.conf = conf;
        this.prefix = prefix;
    }

    /** A committed checkpoint, verified, with its graph loaded. */
    public record Loaded(Path dir, ComputationGraph graph, TrainingState state) {}

    public Path dirFor(int epochsDone) {
        return new Path(root, String.format("%s-%04d", prefix, epochsDone));
    }

    /** Writes and commits a checkpoint; returns its directory. */
    public Path write(ComputationGraph graph, TrainingState state) {
        return write(graph, state, Map.of());
    }

    /** Writes and commits a checkpoint with {@code extra} files beside the model and state; returns its directory. */
    public Path write(ComputationGraph graph, TrainingState state, Map<String, FileWriter> extra) {
        Map<String, FileWriter> files = new TreeMap<>(extra);
        files.put(MODEL, out -> ModelSerializer.writeModel(graph, out, true));
        files.put(STATE, out -> out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state)));
        return writeFiles(state.epochsDone(), files);
    }

    /**
     * Writes the files of checkpoint {@code number} and commits them with a marker listing each
     * file's size and SHA-256; returns its directory.
     */
    public Path writeFiles(int number, Map<String, FileWriter> files) {
        Path dir = dirFor(number);
        FileSystem fs = HadoopIO.fs(dir, conf);
        try {
            if (fs.exists(dir)) {
                // Left by an attempt that died before committing (or a re-run epoch): never trusted, replace.
                fs.delete(dir, true);
            }
            fs.mkdirs(dir);
            Map<String, ObjectNode> hashes = new TreeMap<>();
            for (Map.Entry<String, FileWriter> f : files.entrySet()) {
                hashes.put(f.getKey(), writeHashed(fs, new Path(dir, f.getKey()), f.getValue()));
            }
            ObjectNode marker = JSON.createObjectNode();
            hashes.forEach(marker.putObject("files")::set);
            // The marker is written last and in one piece: its presence is the commit.
            try (FSDataOutputStream out = fs.create(new Path(dir, MARKER), true)) {
                out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(marker));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Epoch numbers of the checkpoints that have a commit marker, oldest first. */
    public List<Integer> committedEpochs() {
        FileSystem fs = HadoopIO.fs(root, conf);
        List<Integer> out = new ArrayList<>();
        try {
            if (!fs.exists(root)) return out;
            for (FileStatus st : fs.listStatus(root)) {
                String name = st.getPath().getName();
                if (st.isDirectory() && name.matches(prefix + "-\\d{4,}") && fs.exists(new Path(st.getPath(), MARKER))) {
                    out.add(Integer.parseInt(name.substring(prefix.length() + 1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list checkpoints under " + root + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** The newest committed checkpoint whose files match its marker; torn or corrupt ones are skipped with a warning. */
    public Optional<Loaded> loadNewest() {
        List<Integer> epochs = committedEpochs();
        for (int i = epochs.size() - 1; i >= 0; i--) {
            Optional<Loaded> l = tryLoad(dirFor(epochs.get(i)));
            if (l.isPresent()) return l;
        }
        return Optional.empty();
    }

    /**
     * The directory of the best checkpoint, as recorded by the newest committed one; a clear
     * exception when the run has none.
     */
    public Path best() {
        List<Integer> epochs = committedEpochs();
        if (epochs.isEmpty()) throw new IllegalStateException("No committed checkpoint under " + root + ": train first");
        try {
            TrainingState st = JSON.readValue(HadoopIO.read(new Path(dirFor(epochs.get(epochs.size() - 1)), STATE), conf),
                    TrainingState.class);
            return epochs.contains(st.bestEpoch()) ? dirFor(st.bestEpoch()) : dirFor(epochs.get(epochs.size() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the training state under " + root + ": " + e.getMessage(), e);
        }
    }

    /** Loads one checkpoint directory, verifying it; a clear exception if it is not usable. */
    public static Loaded load(Path dir, Configuration conf) {
        return new CheckpointStore(dir.getParent(), conf).tryLoad(dir).orElseThrow(() -> new IllegalStateException(
                "Checkpoint " + dir + " is not usable: it has no commit marker or its files do not match it (see the log)"));
    }

    /**
     * Checks a checkpoint against its commit marker (every file present with the recorded size and
     * SHA-256) without loading it; a clear exception naming the checkpoint and what is wrong.
     */
    public static void verify(Path dir, Configuration conf) {
        String problem;
        try {
            problem = problem(HadoopIO.fs(dir, conf), dir, conf);
        } catch (IOException e) {
            problem = "it cannot be read (" + e + ")";
        }
        if (problem != null) throw new IllegalStateException("Checkpoint " + dir + " is not usable: " + problem);
    }

    /** Why a checkpoint is not usable, or null when its files match its commit marker. */
    private static String problem(FileSystem fs, Path dir, Configuration conf) throws IOException {
        Path markerPath = new Path(dir, MARKER);
        if (!fs.exists(markerPath)) return "no commit marker (an interrupted write, or not a checkpoint)";
        var marker = JSON.readTree(HadoopIO.read(markerPath, conf)).get("files");
        for (Iterator<Map.Entry<String, JsonNode>> it = marker.fields(); it.hasNext(); ) {
            var e = it.next();
            Path f = new Path(dir, e.getKey());
            if (!fs.exists(f)) return e.getKey() + " is missing";
            String actual = sha256(fs, f);
            long size = fs.getFileStatus(f).getLen();
            if (size != e.getValue().get("size").asLong() || !actual.equals(e.getValue().get("sha256").asText())) {
                return String.format("%s does not match its commit marker (size %d vs %d, sha256 %s vs %s)", e.getKey(), size,
                        e.getValue().get("size").asLong(), actual, e.getValue().get("sha256").asText());
            }
        }
        return null;
    }

    private Optional<Loaded> tryLoad(Path dir) {
        if (!verified(dir)) return Optional.empty();
        FileSystem fs = HadoopIO.fs(dir, conf);
        try {
            TrainingState state = JSON.readValue(HadoopIO.read(new Path(dir, STATE), conf), TrainingState.class);
            ComputationGraph graph;
            try (InputStream in = fs.open(new Path(dir, MODEL))) {
                graph = ModelSerializer.restoreComputationGraph(in, true);
            }
            return Optional.of(new Loaded(dir, graph, state));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring checkpoint {}: it cannot be read ({})", dir, e.toString());
            return Optional.empty();
        }
    }

    /** The newest committed checkpoint whose files match its marker; torn or corrupt ones are skipped with a warning. */
    public Optional<Path> newestVerified() {
        List<Integer> numbers = committedEpochs();
        for (int i = numbers.size() - 1; i >= 0; i--) {
            if (verified(dirFor(numbers.get(i)))) return Optional.of(dirFor(numbers.get(i)));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code dir} has a commit marker and every file it lists has the size and SHA-256 it
     * records; says why not in a warning.
     */
    public boolean verified(Path dir) {
        String problem;
        try {
            problem = problem(HadoopIO.fs(dir, conf), dir, conf);
        } catch (IOException | RuntimeException e) {
            problem = "it cannot be read (" + e + ")";
        }
        if (problem != null) LOG.warn("Ignoring checkpoint {}: {}; falling back to an older checkpoint", dir, problem);
        return problem == null;
    }

    /**
     * Deletes committed checkpoints beyond the newest {@code keep}, sparing {@code protectedEpoch}
     * and every checkpoint in {@code pinned} (fully qualified paths: those the model registry references).
     */
    public void retain(int keep, int protectedEpoch, Set<String> pinned) {
        List<Integer> epochs = committedEpochs();
        FileSystem fs = HadoopIO.fs(root, conf);
        for (int i = 0; i < epochs.size() - keep; i++) {
            int e = epochs.get(i);
            Path dir = dirFor(e);
            if (e == protectedEpoch || pinned.contains(fs.makeQualified(dir).toString())) continue;
            try {
                // Marker first: a half-deleted checkpoint must read as uncommitted, never as torn.
                fs.delete(new Path(dir, MARKER), false);
                fs.delete(dir, true);
            } catch (IOException ex) {
                LOG.warn("Could not delete old checkpoint {}: {}", dir, ex.toString());
            }
        }
    }

    /** Reads a graph that {@link ModelSerializer} wrote, with its updater state when {@code updater}. */
    public static ComputationGraph readGraph(Path file, Configuration conf, boolean updater) {
        try (InputStream in = new ByteArrayInputStream(HadoopIO.read(file, conf))) {
            return ModelSerializer.restoreComputationGraph(in, updater);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes one checkpoint file's content to a stream (which it may close). */
    public interface FileWriter {
        void write(OutputStream out) throws IOException;
    }

    private static ObjectNode writeHashed(FileSystem fs, Path path, FileWriter writer) throws IOException {
        MessageDigest md = sha256();
        long size;
        try (FSDataOutputStream raw = fs.create(path, true);
             DigestOutputStream out = new DigestOutputStream(raw, md)) {
            // Serializers close what they are given; the digest must see the stream to its end first.
            writer.write(CloseShieldOutputStream.wrap(out));
            out.flush();
            size = raw.getPos();
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("size", size);
        n.put("sha256", HexFormat.of().formatHex(md.digest()));
        return n;
    }

    private static String sha256(FileSystem fs, Path f) throws IOException {
        MessageDigest md = sha256();
        try (FSDataInputStream raw = fs.open(f); DigestInputStream in = new DigestInputStream(raw, md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
