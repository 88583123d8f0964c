package org.imagepipeline.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replacing a Spark dataset directory without ever losing the previous one. */
class HadoopIOTest {
    @TempDir java.nio.file.Path tmp;

    private List<String> names() throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedWriteKeepsThePreviousTableAndASuccessfulOneReplacesIt() throws IOException {
        SparkSession spark = TestSpark.get();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path table = new Path(tmp.resolve("manifest.parquet").toUri());
        HadoopIO.replaceDirectory(table, conf, d -> spark.range(3).write().parquet(d.toString()));
        assertEquals(3, spark.read().parquet(table.toString()).count());

        // A Spark write whose task fails part-way, and a writer that fails after a whole write.
        assertThrows(RuntimeException.class, () -> HadoopIO.replaceDirectory(table, conf, d -> spark.range(50)
                .filter((FilterFunction<Long>) x -> {
                    if (x == 40) throw new IllegalStateException("injected failure of the new write");
                    return true;
                }).write().parquet(d.toString())));
        UncheckedIOException late = assertThrows(UncheckedIOException.class, () -> HadoopIO.replaceDirectory(table, conf, d -> {
            spark.range(5).write().parquet(d.toString());
            throw new IOException("injected failure after the write");
        }));
        assertTrue(late.getMessage().contains("injected failure after the write"), late.getMessage());
        assertEquals(3, spark.read().parquet(table.toString()).count(), "the previous table is intact");
        assertEquals(List.of("manifest.parquet"), names(), "no partial output is left beside it");

        HadoopIO.replaceDirectory(table, conf, d -> spark.range(7).write().parquet(d.toString()));
        assertEquals(7, spark.read().parquet(table.toString()).count(), "a successful write replaces it");
        assertEquals(List.of("manifest.parquet"), names());
    }

    @Test
    void aReplacementStoppedBetweenItsRenamesIsPutBackByTheNext() throws IOException {
        Configuration conf = new Configuration();
        // What a crash right after the first rename leaves: the previous table aside, none in place,
        // and the unfinished new one.
        java.nio.file.Path aside = Files.createDirectories(tmp.resolve(".manifest.parquet.old-1"));
        Files.writeString(aside.resolve("part-0"), "previous rows");
        Files.writeString(Files.createDirectories(tmp.resolve(".manifest.parquet.new-1")).resolve("part-0"), "unfinished");
        Path table = new Path(tmp.resolve("manifest.parquet").toUri());

        assertThrows(UncheckedIOException.class, () -> HadoopIO.replaceDirectory(table, conf, d -> {
            throw new IOException("injected");
        }));
        assertEquals("previous rows", Files.readString(tmp.resolve("manifest.parquet/part-0")));
        assertEquals(List.of("manifest.parquet"), names());
    }
}
