package org.imagepipeline.restore;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The files a restore run covers: everything under the input root, recursively, whose path
 * relative to the root matches an include glob and no exclude glob. Names starting with '.' or
 * '_' (at any level below the root) are left out, as ingest does.
 *
 * <p>Symbolic links are never followed, so a link loop cannot hang the listing and a link cannot
 * pull in files from outside the root; each link is listed with {@link Entry#problem()} set, and
 * becomes a skipped manifest line. Hadoop's local file system follows links silently, so on
 * {@code file:} the tree is walked with java.nio, which reports them; HDFS (links off by default)
 * and S3 (none) are listed with one recursive Hadoop listing.
 */
public final class InputListing {
    private InputListing() {}

    /**
     * One listed path.
     *
     * @param rel     path relative to the input root, '/'-separated (the file's name when the root is a file)
     * @param uri     full URI (percent-encoded; parse with {@code new Path(URI.create(uri))})
     * @param size    bytes
     * @param problem why it cannot be restored (a symbolic link, unreadable), or null
     */
    public record Entry(String rel, String uri, long size, String problem) implements Serializable {}

    /**
     * @param skip a folder to leave out (the output root when it lies inside the input), or null
     */
    public static List<Entry> list(FileSystem fs, Path root, Path skip, List<String> include, List<String> exclude)
            throws IOException {
        List<GlobPattern> in = compile(include);
        List<GlobPattern> out = compile(exclude);
        List<Entry> all = "file".equals(fs.getUri().getScheme()) ? walkLocal(root, skip) : listHadoop(fs, root, skip);
        List<Entry> kept = new ArrayList<>();
        for (Entry e : all) {
            String rel = e.rel().toLowerCase(Locale.ROOT);
            if (matchesAny(in, rel) && !matchesAny(out, rel)) kept.add(e);
        }
        kept.sort(Comparator.comparing(Entry::rel));
        return kept;
    }

    private static List<GlobPattern> compile(List<String> globs) {
        List<GlobPattern> out = new ArrayList<>();
        for (String g : globs) out.add(new GlobPattern(g.toLowerCase(Locale.ROOT)));
        return out;
    }

    private static boolean matchesAny(List<GlobPattern> globs, String rel) {
        for (GlobPattern g : globs) if (g.matches(rel)) return true;
        return false;
    }

    private static List<Entry> walkLocal(Path root, Path skip) throws IOException {
        java.nio.file.Path start = java.nio.file.Path.of(root.toUri());
        java.nio.file.Path skipped = skip == null ? null : java.nio.file.Path.of(skip.toUri());
        List<Entry> out = new ArrayList<>();
        if (Files.isRegularFile(start, LinkOption.NOFOLLOW_LINKS)) {
            out.add(new Entry(start.getFileName().toString(), start.toUri().toString(), Files.size(start), null));
            return out;
        }
        Files.walkFileTree(start, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(java.nio.file.Path dir, BasicFileAttributes attrs) {
                if (dir.equals(start)) return FileVisitResult.CONTINUE;
                if (dir.equals(skipped) || hidden(dir.getFileName().toString())) return FileVisitResult.SKIP_SUBTREE;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs) {
                if (hidden(file.getFileName().toString())) return FileVisitResult.CONTINUE;
                String rel = relative(start, file);
                if (attrs.isSymbolicLink()) {
                    out.add(new Entry(rel, file.toUri().toString(), 0, "symbolic link, not followed (links could lead outside "
                            + "the input root or into a loop)"));
                } else if (attrs.isRegularFile()) {
                    out.add(new Entry(rel, file.toUri().toString(), attrs.size(), null));
                } else if (!attrs.isDirectory()) {
                    out.add(new Entry(rel, file.toUri().toString(), 0, "not a regular file (device, socket or pipe)"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException e) {
                if (!hidden(file.getFileName().toString())) {
                    out.add(new Entry(relative(start, file), file.toUri().toString(), 0, "cannot be listed: " + e));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static String relative(java.nio.file.Path start, java.nio.file.Path file) {
        List<String> parts = new ArrayList<>();
        for (java.nio.file.Path p : start.relativize(file)) parts.add(p.toString());
        return String.join("/", parts);
    }

    private static List<Entry> listHadoop(FileSystem fs, Path root, Path skip) throws IOException {
        List<Entry> out = new ArrayList<>();
        FileStatus rootStatus = fs.getFileStatus(root);
        if (rootStatus.isFile()) {
            out.add(new Entry(root.getName(), root.toUri().toString(), rootStatus.getLen(), null));
            return out;
        }
        String rootPath = root.toUri().getPath();
        String prefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        String skipPrefix = skip == null ? null : skip.toUri().getPath() + "/";
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            String path = st.getPath().toUri().getPath();
            if (!path.startsWith(prefix) || (skipPrefix != null && path.startsWith(skipPrefix))) continue;
            String rel = path.substring(prefix.length());
            boolean hidden = false;
            for (String part : rel.split("/")) hidden |= hidden(part);
            if (hidden) continue;
            out.add(new Entry(rel, st.getPath().toUri().toString(), st.getLen(), st.isSymlink() ? "symbolic link, not followed" : null));
        }
        return out;
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }
}
