package org.imagepipeline.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.RegistrySettings;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.store.TrainingState;
import org.imagepipeline.store.MetricsLog;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named models with numbered versions and a champion, under one registry root on any Hadoop
 * filesystem:
 * <pre>
 *   &lt;root&gt;/&lt;name&gt;/versions/000001.json   one {@link ModelVersion} each, created once, never changed
 *   &lt;root&gt;/&lt;name&gt;/champion/000001.json   the champion history, one {@link Champion} each; the newest is current
 * </pre>
 * Both folders are {@link RecordSequence}s: a new version takes the next free number, and a
 * promotion or rollback creates history entry current+1, which only one of two concurrent changes
 * can do (compare-and-set; the other gets {@link ConcurrentChangeException} and changes nothing).
 * See {@link RecordSequence} for what this guarantees on HDFS, local disks and S3.
 *
 * <p>A version references a checkpoint in place (no copy); {@link CheckpointStore#retain}
 * keeps every checkpoint that {@link #referencedCheckpoints()} lists.
 */
public final class ModelRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often a registration retries on the next number after losing one to a concurrent one. */
    private static final int REGISTER_ATTEMPTS = 100;

    private final Path root;
    private final Configuration conf;

    public ModelRegistry(RegistrySettings settings, Configuration conf) {
        Path p = new Path(settings.root());
        this.root = HadoopIO.fs(p, conf).makeQualified(p);
        this.conf = conf;
    }

    public Path root() {
        return root;
    }

    /**
     * The checkpoint directory a model reference names: {@code name} (the champion of that model),
     * {@code name@version}, or a checkpoint path (anything with a '/' or a scheme), returned as
     * given. The one resolver every job uses for its model argument.
     */
    public static Path resolve(String ref, RegistrySettings settings, Configuration conf) {
        String r = ref.trim();
        if (r.isEmpty()) throw new RegistryException("Empty model reference: expected name, name@version or a checkpoint path");
        if (r.contains("/") || r.contains(":")) return new Path(r);
        ModelRegistry registry = new ModelRegistry(settings, conf);
        int at = r.indexOf('@');
        if (at < 0) {
            String name = checkName(r);
            Champion c = registry.champion(name).orElseThrow(() -> new RegistryException("Model '" + name + "' has no champion in "
                    + registry.root + (registry.versions(name).isEmpty() ? " (no such model)" : "; promote one: pipeline models promote "
                    + name + "@<version>")));
            return new Path(registry.version(name, c.version()).checkpoint());
        }
        String name = checkName(r.substring(0, at));
        String v = r.substring(at + 1);
        if (!v.matches("\\d{1,9}")) {
            throw new RegistryException("Bad model reference '" + r + "': expected name@version with a version number, e.g. " + name + "@3");
        }
        return new Path(registry.version(name, Integer.parseInt(v)).checkpoint());
    }

    private static String checkName(String name) {
        if (!RegistrySettings.NAME.matcher(name).matches()) {
            throw new RegistryException("Bad model name '" + name + "': expected letters, digits, '.', '_' or '-', starting "
                    + "with a letter or digit");
        }
        return name;
    }

    private RecordSequence versionsOf(String name) {
        return new RecordSequence(new Path(new Path(root, checkName(name)), "versions"), conf);
    }

    private RecordSequence historyOf(String name) {
        return new RecordSequence(new Path(new Path(root, checkName(name)), "champion"), conf);
    }

    /** Model names, sorted. */
    public List<String> models() {
        FileSystem fs = HadoopIO.fs(root, conf);
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus st : fs.listStatus(root)) {
                String n = st.getPath().getName();
                if (st.isDirectory() && RegistrySettings.NAME.matcher(n).matches()) out.add(n);
            }
        } catch (FileNotFoundException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the registry " + root + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** The versions of a model, oldest first (empty for an unknown model). */
    public List<ModelVersion> versions(String name) {
        List<ModelVersion> out = new ArrayList<>();
        for (Path p : versionsOf(name).list().decided().values()) out.add(read(p, ModelVersion.class));
        return out;
    }

    public ModelVersion version(String name, int version) {
        Path p = versionsOf(name).list().decided().get((long) version);
        if (p == null) {
            List<ModelVersion> all = versions(name);
            throw new RegistryException("Model " + name + "@" + version + " is not in the registry " + root + ": "
                    + (all.isEmpty() ? "no such model" : "its versions are " + all.stream().map(v -> String.valueOf(v.version())).toList()));
        }
        return read(p, ModelVersion.class);
    }

    public Optional<Champion> champion(String name) {
        return historyOf(name).list().newest().map(e -> read(e.getValue(), Champion.class));
    }

    /** The champion history, oldest first. */
    public List<Champion> history(String name) {
        List<Champion> out = new ArrayList<>();
        for (Path p : historyOf(name).list().decided().values()) out.add(read(p, Champion.class));
        return out;
    }

    /**
     * Registers a committed checkpoint as the next version of {@code name}: verifies it against its
     * commit marker, and records its metrics, training config hash, the catalog's snapshot id and
     * the code version. Concurrent registrations get distinct numbers.
     */
    public ModelVersion register(String name, Path checkpoint, String catalogDir) {
        checkName(name);
        FileSystem fs = HadoopIO.fs(checkpoint, conf);
        Path ckpt = fs.makeQualified(checkpoint);
        CheckpointStore.verify(ckpt, conf);
        TrainingState state = read(new Path(ckpt, CheckpointStore.STATE), TrainingState.class);
        Map<String, Double> metrics = metricsOf(ckpt, state);
        String snapshot = CatalogSnapshot.id(catalogDir, conf);
        RecordSequence seq = versionsOf(name);
        for (int attempt = 0; attempt < REGISTER_ATTEMPTS; attempt++) {
            long n = seq.list().highest() + 1;
            ModelVersion v = new ModelVersion(name, Math.toIntExact(n), ckpt.toString(), metrics, snapshot,
                    state.configHash(), CodeVersion.current(), Instant.now().toString());
            if (seq.tryCreate(n, bytes(v))) return v;
        }
        throw new RegistryException("Could not register a version of " + name + " in " + root + ": " + REGISTER_ATTEMPTS
                + " numbers in a row were taken by concurrent registrations");
    }

    /**
     * Makes {@code version} the champion of {@code name}, if the champion is still the one this
     * call reads: of two concurrent changes exactly one lands, the other throws
     * {@link ConcurrentChangeException} and changes nothing.
     */
    public Champion promote(String name, int version) {
        version(name, version);
        RecordSequence.Listing h = historyOf(name).list();
        long current = h.newest().map(Map.Entry::getKey).orElse(0L);
        return change(name, h, new Champion(current + 1, name, version, current, "promote", Instant.now().toString()));
    }

    /**
     * Returns the champion of {@code name} to the one before it (repeatable: each rollback goes one
     * further back in the history of promotions). Compare-and-set like {@link #promote}.
     */
    public Champion rollback(String name) {
        RecordSequence.Listing h = historyOf(name).list();
        Champion current = h.newest().map(e -> read(e.getValue(), Champion.class))
                .orElseThrow(() -> new RegistryException("Model '" + name + "' has no champion to roll back"));
        Path prevPath = h.decided().get(current.previousSeq());
        if (prevPath == null) {
            throw new RegistryException("Model '" + name + "' has no earlier champion than version " + current.version()
                    + " (history entry " + current.seq() + ")");
        }
        Champion previous = read(prevPath, Champion.class);
        return change(name, h, new Champion(current.seq() + 1, name, previous.version(), previous.previousSeq(), "rollback",
                Instant.now().toString()));
    }

    private Champion change(String name, RecordSequence.Listing seen, Champion next) {
        if (seen.highest() >= next.seq()) {
            throw new ConcurrentChangeException("The champion of " + name + " is being changed concurrently (history entry "
                    + seen.highest() + " is contested); nothing changed, retry. If it stays contested, a change died half-way "
                    + "(possible on S3 only): delete the stray " + String.format("%06d", seen.highest()) + ".<uuid>.json files in "
                    + historyOf(name).dir());
        }
        if (!historyOf(name).tryCreate(next.seq(), bytes(next))) {
            throw new ConcurrentChangeException("The champion of " + name + " changed concurrently (history entry " + next.seq()
                    + " was taken by another change); nothing changed: look at `pipeline models show " + name + "` and retry");
        }
        return next;
    }

    /** Every checkpoint a version of any model references (fully qualified): retention keeps them. */
    public Set<String> referencedCheckpoints() {
        Set<String> out = new TreeSet<>();
        for (String m : models()) {
            for (ModelVersion v : versions(m)) out.add(v.checkpoint());
        }
        return out;
    }

    /** val_* from the checkpoint's epoch in its run's metrics.jsonl, test_* from eval/metrics.json if it scored this checkpoint. */
    private Map<String, Double> metricsOf(Path ckpt, TrainingState state) {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "best_val_psnr", state.bestValPsnr());
        // A run's checkpoint is <root>/runs/<id>/checkpoints/epoch-N; one elsewhere has no run to read.
        Path runPath = ckpt.getParent() == null ? null : ckpt.getParent().getParent();
        if (runPath == null || runPath.getParent() == null || !"runs".equals(runPath.getParent().getName())
                || !"checkpoints".equals(ckpt.getParent().getName())) {
            return m;
        }
        RunDir run = new RunDir(runPath.getParent().getParent().toString(), runPath.getName(), conf);
        for (JsonNode line : MetricsLog.read(run)) {
            if (line.path("epoch").asInt() == state.epochsDone()) {
                putAll(m, "val_", line.path("val"));
                putAll(m, "val_input_", line.path("val_input"));
            }
        }
        Path eval = run.resolve("eval/metrics.json");
        if (HadoopIO.exists(eval, conf)) {
            JsonNode doc = read(eval, JsonNode.class);
            if (ckpt.equals(new Path(doc.path("checkpoint").asText("")))) {
                putAll(m, "test_", doc.path("output"));
                putAll(m, "test_input_", doc.path("input"));
            }
        }
        return m;
    }

    private static void putAll(Map<String, Double> m, String prefix, JsonNode metrics) {
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) put(m, prefix + e.getKey(), e.getValue().asDouble());
        }
    }

    private static void put(Map<String, Double> m, String key, double value) {
        // JSON has no infinities (PSNR of an exact restoration); such a metric is left out.
        if (Double.isFinite(value)) m.put(key, value);
    }

    private <T> T read(Path p, Class<T> type) {
        try {
            return JSON.readValue(HadoopIO.read(p, conf), type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + p + " as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Object record) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
