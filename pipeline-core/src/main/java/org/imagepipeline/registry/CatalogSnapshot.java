package org.imagepipeline.registry;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.store.HadoopIO;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * An id of the catalog's current contents: SHA-256 (first 16 hex digits) over the sorted list of
 * the Parquet files under its images/ table with their sizes. Every ingest writes new part files,
 * so a re-ingest gets a new id even when the images are the same; the same files, the same id.
 */
public final class CatalogSnapshot {
    private CatalogSnapshot() {}

    /** The id, or "none" when there is no catalog at {@code catalogDir}. */
    public static String id(String catalogDir, Configuration conf) {
        Path given = new Path(Catalog.imagesPath(catalogDir));
        FileSystem fs = HadoopIO.fs(given, conf);
        Path images = fs.makeQualified(given);
        TreeMap<String, Long> files = new TreeMap<>();
        try {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(images, true);
            while (it.hasNext()) {
                LocatedFileStatus st = it.next();
                String rel = st.getPath().toUri().getPath().substring(images.toUri().getPath().length());
                if (!rel.contains("/.") && !rel.startsWith(".")) files.put(rel, st.getLen());
            }
        } catch (FileNotFoundException e) {
            return "none";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the catalog " + images + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) return "none";
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            files.forEach((name, len) -> md.update((name + "\t" + len + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
