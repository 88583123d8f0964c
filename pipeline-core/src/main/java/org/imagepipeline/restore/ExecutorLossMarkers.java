package org.imagepipeline.restore;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.data.ContentHash;
import org.imagepipeline.store.HadoopIO;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What the attempts of one restore task tell each other about files that took their executor
 * down. Only a retried attempt (the task's earlier attempt was lost) uses this: before each file it
 * leaves an empty marker {@code <dir>/<key>.<task-attempt-id>} and removes it once the file's row
 * is made, so a marker that stays means "this attempt started the file and never finished it". The
 * key is a hash of the input's relative path, valid as a file name for any input name.
 *
 * <p>The directory is listed once when the attempt starts; {@link #earlierLosses} then counts the
 * markers other attempts left for a file. Writes go through Hadoop, so the markers of an attempt
 * whose executor died are seen by the next attempt on any other executor.
 */
public final class ExecutorLossMarkers {
    private final FileSystem fs;
    private final Path dir;
    private final long attemptId;
    private final String task;
    private final Map<String, Integer> earlier = new HashMap<>();

    /**
     * @param dir       this task's markers (one folder per task of a run)
     * @param task      the task, in words, for failure reasons
     * @param attemptId an id no other attempt of any task in the run shares (Spark's task attempt id)
     */
    public ExecutorLossMarkers(Configuration conf, Path dir, String task, long attemptId) {
        this.fs = HadoopIO.fs(dir, conf);
        this.dir = dir;
        this.task = task;
        this.attemptId = attemptId;
        try {
            for (FileStatus f : fs.listStatus(dir)) {
                String name = f.getPath().getName();
                int dot = name.lastIndexOf('.');
                if (dot > 0 && !name.substring(dot + 1).equals(Long.toString(attemptId))) {
                    earlier.merge(name.substring(0, dot), 1, Integer::sum);
                }
            }
        } catch (FileNotFoundException none) {
            // no earlier attempt left a marker
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the restore attempt markers in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The task, in words. */
    public String task() {
        return task;
    }

    /** How many earlier attempts started {@code rel} and died before finishing it. */
    public int earlierLosses(String rel) {
        return earlier.getOrDefault(key(rel), 0);
    }

    /** Records that this attempt is about to restore {@code rel}. */
    public void started(String rel) {
        try {
            fs.create(marker(rel), true).close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the restore attempt marker " + marker(rel) + ": " + e.getMessage(), e);
        }
    }

    /** Records that this attempt is done with {@code rel} (its row is made): it no longer counts against the file. */
    public void finished(String rel) {
        try {
            fs.delete(marker(rel), false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the restore attempt marker " + marker(rel) + ": " + e.getMessage(), e);
        }
    }

    private Path marker(String rel) {
        return new Path(dir, key(rel) + "." + attemptId);
    }

    /** A name for {@code rel} that is a valid, short file name whatever characters the path has. */
    static String key(String rel) {
        return ContentHash.sha256Hex(rel.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }
}
