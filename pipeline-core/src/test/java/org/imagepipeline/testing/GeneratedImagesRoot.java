package org.imagepipeline.testing;

import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Ingest;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.store.RunDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The set-up shared by the tests that train: a run root (a test's temporary folder) holding
 * generated PNGs, already ingested into the root's catalog on the shared local Spark session, and
 * the settings for it: the test's fixed keys, the run root and input, then each call's extras.
 */
public final class GeneratedImagesRoot {
    private final Path dir;
    private final Map<String, String> fixed;
    private final Function<Map<String, String>, PipelineSettings> load;

    /**
     * Writes {@code images} generated images of {@code size}² with {@code channels} channels
     * (seeded by {@code seed}) under {@code dir}/images and ingests them.
     *
     * @param fixed "key = value" lines (pipeline.-relative keys), the test's own settings
     * @param load  turns the merged key/value overrides into settings, e.g. with a test's defaults
     */
    public GeneratedImagesRoot(Path dir, int images, int size, int channels, long seed, String fixed,
                               Function<Map<String, String>, PipelineSettings> load) {
        this.dir = dir;
        this.fixed = parse(fixed);
        this.load = load;
        SyntheticImages.writePngs(dir.resolve("images"), images, size, channels, seed);
        Ingest.run(TestSpark.get(), settings(Map.of()).ingest());
    }

    /** As above, loading settings with the project's defaults only. */
    public GeneratedImagesRoot(Path dir, int images, int size, int channels, long seed, String fixed) {
        this(dir, images, size, channels, seed, fixed, o -> PipelineSettings.load(List.of(), o));
    }

    /** The run root, as a URI string. */
    public String root() {
        return dir.toUri().toString();
    }

    public PipelineSettings settings(Map<String, String> extra) {
        Map<String, String> o = new HashMap<>(fixed);
        o.put("run.root", root());
        o.put("ingest.input", dir.resolve("images").toUri().toString());
        o.putAll(extra);
        return load.apply(o);
    }

    public RunDir run(String id) {
        return new RunDir(root(), id, TestSpark.get().sparkContext().hadoopConfiguration());
    }

    private static Map<String, String> parse(String lines) {
        Map<String, String> out = new HashMap<>();
        for (String line : lines.strip().split("\n")) {
            if (line.isBlank()) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected 'key = value', got '" + line.strip() + "'");
            out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }
}
