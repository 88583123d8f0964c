package org.imagepipeline.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

/**
 * Small-file I/O through Hadoop {@link FileSystem}, so one code path serves file:, hdfs: and
 * s3a:. Writes never leave a half-written file at the final name.
 */
public final class HadoopIO {
    private HadoopIO() {}

    /**
     * The filesystem of {@code path}. For local paths, the raw one: our files carry their own
     * checksums where it matters (checkpoints), and .crc side files only clutter a run directory.
     */
    public static FileSystem fs(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the filesystem of " + path + ": " + e.getMessage(), e);
        }
    }

    public static boolean exists(Path path, Configuration conf) {
        try {
            return fs(path, conf).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check whether " + path + " exists: " + e.getMessage(), e);
        }
    }

    public static byte[] read(Path path, Configuration conf) {
        FileSystem fs = fs(path, conf);
        try (FSDataInputStream in = fs.open(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code bytes} so that readers see the old content or the new, never a torn or missing
     * file. On S3 (s3a) an object is uploaded when its stream closes and appears whole, so it is
     * written in place (a rename there would be a copy). Elsewhere it goes to a hidden temporary
     * sibling that is then renamed over {@code path}: with HDFS's atomic overwriting rename, or a
     * plain rename, which replaces the file atomically on local disks; a filesystem whose rename
     * refuses an existing target gets delete-then-rename as a last resort.
     */
    public static void writeAtomically(Path path, byte[] bytes, Configuration conf) {
        writeAtomically(path, conf, out -> out.write(bytes));
    }

    /** Writes what {@code writer} produces onto a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * As {@link #writeAtomically(Path, byte[], Configuration)}, streaming: {@code writer} writes the
     * content, which is never held whole in memory, and it appears at {@code path} only complete.
     * If the writer throws, nothing appears and the temporary file is removed.
     */
    public static void writeAtomically(Path path, Configuration conf, StreamWriter writer) {
        FileSystem fs = fs(path, conf);
        if ("s3a".equals(fs.getUri().getScheme())) {
            // The object is committed when the stream closes; a failed writer must not close it normally.
            FSDataOutputStream out = null;
            try {
                out = fs.create(path, true);
                writer.write(out);
                out.close();
            } catch (IOException | RuntimeException e) {
                if (out != null) {
                    try {
                        out.abort();
                    } catch (RuntimeException ignored) {
                        // best effort: abort discards the pending upload where the stream supports it
                    }
                }
                throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(),
                        e instanceof IOException io ? io : new IOException(e));
            }
            return;
        }
        Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                writer.write(out);
            }
            if (fs instanceof DistributedFileSystem dfs) {
                dfs.rename(tmp, path, Options.Rename.OVERWRITE);
            } else if (!fs.rename(tmp, path)) {
                if (fs.exists(path) && !fs.delete(path, false)) throw new IOException("could not replace the existing file");
                if (!fs.rename(tmp, path)) throw new IOException("rename from " + tmp + " failed");
            }
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // the temporary name is hidden; a leftover is harmless
            }
            if (e instanceof RuntimeException r && !(e instanceof UncheckedIOException)) throw r;
            throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }

    /** Writes a whole directory's content at the path it is given. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path directory) throws IOException;
    }

    /**
     * Replaces the directory {@code target} (a Spark dataset such as a Parquet table) with what
     * {@code writer} writes, so that a failed or interrupted write never loses the previous one.
     * The writer fills a fresh hidden sibling ({@code .NAME.new-ID}); only once it returns is the
     * old directory renamed aside ({@code .NAME.old-ID}), the new one renamed into place, and the
     * old one deleted. A writer that throws leaves {@code target} as it was and its partial output
     * removed.
     *
     * <p>What a crash between the two renames leaves depends on the file system's rename. On
     * {@code file:} and {@code hdfs:} a directory rename is atomic, so at every moment the previous
     * content is whole at {@code target} or at the {@code .old-} name, and the new content whole
     * at the {@code .new-} name or at {@code target}; the next call that finds {@code target}
     * missing renames the {@code .old-} directory back first. On {@code s3a:} a directory rename
     * is a copy of each object followed by deletes, not atomic: the new content is still complete
     * before the old is touched and the old is deleted only after the new is in place, but a crash
     * in the middle of a rename can leave one of them split between its two names (callers keep a
     * single-object copy that S3 replaces whole, such as the restore job's manifest.jsonl).
     */
    public static void replaceDirectory(Path target, Configuration conf, DirectoryWriter writer) {
        FileSystem fs = fs(target, conf);
        String id = UUID.randomUUID().toString();
        Path fresh = new Path(target.getParent(), "." + target.getName() + ".new-" + id);
        Path aside = new Path(target.getParent(), "." + target.getName() + ".old-" + id);
        try {
            restoreAside(fs, target);
            try {
                writer.write(fresh);
            } catch (Exception e) { // Spark throws its checked SparkException through Java lambdas
                deleteQuietly(fs, fresh);
                if (e instanceof RuntimeException r) throw r;
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            if (!fs.exists(fresh)) throw new IOException("the writer wrote nothing at " + fresh);
            boolean had = fs.exists(target);
            if (had && !fs.rename(target, aside)) {
                deleteQuietly(fs, fresh);
                throw new IOException("could not move the previous " + target + " aside to " + aside);
            }
            if (!fs.rename(fresh, target)) {
                if (had && !fs.exists(target)) fs.rename(aside, target);
                deleteQuietly(fs, fresh);
                throw new IOException("could not move the new content from " + fresh + " into place");
            }
            if (had) fs.delete(aside, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace " + target + ": " + e.getMessage(), e);
        }
    }

    /** Puts back the previous content that a replacement stopped between its renames left aside, and drops unfinished new content. */
    private static void restoreAside(FileSystem fs, Path target) throws IOException {
        FileStatus[] aside = fs.globStatus(new Path(target.getParent(), "." + target.getName() + ".old-*"));
        if (aside != null && aside.length > 0 && !fs.exists(target)) {
            Arrays.sort(aside, Comparator.comparingLong(FileStatus::getModificationTime));
            if (!fs.rename(aside[aside.length - 1].getPath(), target)) {
                throw new IOException("could not put the previous content back from " + aside[aside.length - 1].getPath());
            }
        }
        FileStatus[] unfinished = fs.globStatus(new Path(target.getParent(), "." + target.getName() + ".new-*"));
        if (unfinished != null) for (FileStatus f : unfinished) deleteQuietly(fs, f.getPath());
    }

    private static void deleteQuietly(FileSystem fs, Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // a hidden leftover; the next replacement removes it
        }
    }
}
