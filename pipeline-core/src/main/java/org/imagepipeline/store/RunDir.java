package org.imagepipeline.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One run's directory, {@code <root>/runs/<id>/}, and the names of what goes in it:
 * config.conf, metrics.jsonl, checkpoints/, samples/, eval/, report/.
 */
public final class RunDir {
    private static final DateTimeFormatter ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final String id;
    private final Path path;
    private final Configuration conf;

    public RunDir(String root, String id, Configuration conf) {
        this.id = id;
        Path p = new Path(root + "/runs/" + id);
        this.path = HadoopIO.fs(p, conf).makeQualified(p);
        this.conf = conf;
    }

    /** A run id from the current UTC time. */
    public static String newId() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(ID_FORMAT);
    }

    public String id() { return id; }
    public Path path() { return path; }
    public Configuration hadoopConf() { return conf; }
    public Path resolve(String child) { return new Path(path, child); }
    public Path metrics() { return resolve("metrics.jsonl"); }
    public Path checkpoints() { return resolve("checkpoints"); }
    public Path samples() { return resolve("samples"); }
    public Path eval() { return resolve("eval"); }
    public Path report() { return resolve("report"); }

    /** Appends one line to metrics.jsonl. Rewrites the small file atomically: S3 has no append. */
    public void appendMetrics(String jsonLine) {
        Path m = metrics();
        String old = HadoopIO.exists(m, conf) ? new String(HadoopIO.read(m, conf), StandardCharsets.UTF_8) : "";
        HadoopIO.writeAtomically(m, (old + jsonLine + "\n").getBytes(StandardCharsets.UTF_8), conf);
    }

    public void writeText(String child, String text) {
        HadoopIO.writeAtomically(resolve(child), text.getBytes(StandardCharsets.UTF_8), conf);
    }

    public void writeBytes(String child, byte[] bytes) {
        HadoopIO.writeAtomically(resolve(child), bytes, conf);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
