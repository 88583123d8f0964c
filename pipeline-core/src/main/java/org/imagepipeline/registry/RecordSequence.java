package org.imagepipeline.registry;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.imagepipeline.store.HadoopIO;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder of numbered records, {@code 000001.json, 000002.json, ...}, each created at most once
 * and never changed: the primitive under the registry's versions and champion history. Creating
 * number {@code n} either succeeds for exactly one writer or reports that another got it first,
 * which gives compare-and-set on "the next number after the one I read".
 *
 * <p>How "exactly one" is made on each filesystem:
 * <ul>
 *   <li>HDFS: the record is written under a hidden temporary name, then renamed to its number;
 *       the NameNode's rename fails when the target exists, atomically, and the record appears whole.</li>
 *   <li>Local disks: written under a temporary name, then hard-linked to its number; link(2) fails
 *       when the target exists, atomically. (Hadoop's local create(overwrite=false) checks, then
 *       opens: two writers can both pass the check.)</li>
 *   <li>Everything else, S3 (s3a) in particular, where neither an atomic exclusive create nor an
 *       atomic no-overwrite rename exists (s3a 3.3's create(overwrite=false) is a HEAD then a PUT)
 *       and a plain PUT silently overwrites: each writer puts its record under its own unique name,
 *       {@code 000007.<uuid>.json}, so nothing is ever overwritten, then lists the folder. It wins
 *       only if its record is the only one numbered 7; otherwise it deletes its record and loses.
 *       With S3's strong read-after-write and list-after-write consistency, of two writers the one
 *       whose PUT finished last lists after both PUTs and sees both, so at most one writer can win
 *       (both may lose; both then report it, and a registration then takes the next number, so
 *       version numbers can skip). Readers count a number as taken only when exactly one
 *       record carries it. What is weaker than on HDFS: while colliding writers clean up (one LIST
 *       and one DELETE, milliseconds) a reader may see the previous record or a losing one as current,
 *       and a losing writer that dies between its LIST and its DELETE leaves the number contested
 *       (two records) for good, which readers skip, so the winner's record is hidden (and the registry
 *       refuses further champion changes) until the stray file is deleted by hand. Nothing here
 *       depends on clocks.</li>
 * </ul>
 * Temporary files start with '.', so listings and Spark ignore them.
 */
final class RecordSequence {
    private static final Pattern NAME = Pattern.compile("(\\d{6,})(?:\\.([0-9a-f-]{36}))?\\.json");

    private final Path dir;
    private final Configuration conf;

    RecordSequence(Path dir, Configuration conf) {
        this.dir = dir;
        this.conf = conf;
    }

    Path dir() {
        return dir;
    }

    /** What the folder holds now. */
    record Listing(TreeMap<Long, Path> decided, long highest) {
        /** The newest decided record, if any. */
        Optional<Map.Entry<Long, Path>> newest() {
            return Optional.ofNullable(decided.lastEntry());
        }
    }

    /** Lists the records: a number is decided when exactly one record carries it. */
    Listing list() {
        FileSystem fs = HadoopIO.fs(dir, conf);
        Map<Long, List<Path>> byNumber = new TreeMap<>();
        try {
            for (FileStatus st : fs.listStatus(dir)) {
                Matcher m = NAME.matcher(st.getPath().getName());
                if (st.isFile() && m.matches()) {
                    byNumber.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>()).add(st.getPath());
                }
            }
        } catch (FileNotFoundException e) {
            return new Listing(new TreeMap<>(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        TreeMap<Long, Path> decided = new TreeMap<>();
        long highest = 0;
        for (Map.Entry<Long, List<Path>> e : byNumber.entrySet()) {
            highest = Math.max(highest, e.getKey());
            if (e.getValue().size() == 1) decided.put(e.getKey(), e.getValue().get(0));
        }
        return new Listing(decided, highest);
    }

    /** Creates record {@code n} with {@code bytes}; false when another writer holds that number. */
    boolean tryCreate(long n, byte[] bytes) {
        FileSystem fs = HadoopIO.fs(dir, conf);
        String name = String.format("%06d", n);
        Path target = new Path(dir, name + ".json");
        String unique = UUID.randomUUID().toString();
        try {
            fs.mkdirs(dir);
            if (fs instanceof DistributedFileSystem || fs instanceof RawLocalFileSystem) {
                Path tmp = new Path(dir, "." + name + ".tmp-" + unique);
                write(fs, tmp, bytes);
                try {
                    if (fs instanceof RawLocalFileSystem local) {
                        try {
                            Files.createLink(local.pathToFile(target).toPath(), local.pathToFile(tmp).toPath());
                            return true;
                        } catch (FileAlreadyExistsException taken) {
                            return false;
                        }
                    }
                    if (fs.rename(tmp, target)) return true;
                    if (fs.exists(target)) return false;
                    throw new IOException("rename of " + tmp + " to " + target + " failed");
                } finally {
                    fs.delete(tmp, false);
                }
            }
            Path mine = new Path(dir, name + "." + unique + ".json");
            write(fs, mine, bytes);
            int holders = 0;
            for (FileStatus st : fs.listStatus(dir)) {
                Matcher m = NAME.matcher(st.getPath().getName());
                if (m.matches() && Long.parseLong(m.group(1)) == n) holders++;
            }
            if (holders == 1) return true;
            fs.delete(mine, false);
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + target + ": " + e.getMessage(), e);
        }
    }

    private static void write(FileSystem fs, Path path, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(bytes);
        }
    }
}
