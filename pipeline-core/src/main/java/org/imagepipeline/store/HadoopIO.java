package org.imagepipeline.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        void write(java.io.OutputStream out) throws IOException;
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
}
