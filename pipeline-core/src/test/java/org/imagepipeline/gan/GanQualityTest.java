package org.imagepipeline.gan;

import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.Catalog;
import org.imagepipeline.data.Ingest;
import org.imagepipeline.image.Image;
import org.imagepipeline.image.ImageCodec;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FD-classifier's classifier, cache and measurements on a tiny two-class catalog. */
class GanQualityTest {
    @TempDir Path tmp;

    /** 28 px images of a bar, horizontal in class "h", vertical in class "v", at random positions with noise. */
    private static void writeBars(Path dir, int perClass) throws Exception {
        SplittableRandom rng = new SplittableRandom(9);
        for (String cls : new String[] {"h", "v"}) {
            Files.createDirectories(dir.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                Image im = new Image(1, 28, 28);
                int at = 4 + rng.nextInt(20);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        boolean on = cls.equals("h") ? Math.abs(y - at) <= 1 : Math.abs(x - at) <= 1;
                        im.set(0, y, x, (float) Math.min(1, Math.max(0, (on ? 0.9 : 0.1) + 0.05 * rng.nextGaussian())));
                    }
                }
                Files.write(dir.resolve(cls + "/" + i + ".png"), ImageCodec.encodePng(im, 8));
            }
        }
    }

    private PipelineSettings settings(String images, String catalog) {
        return GanTestSettings.settings(Map.of("run.root", tmp.toUri().toString(), "ingest.input", images,
                "ingest.catalog", catalog, "gan.quality.classifier-epochs", "10", "gan.quality.samples", "40"));
    }

    @Test
    void trainsAClassifierCachesItAndMeasuresAGenerator() throws Exception {
        SparkSession spark = TestSpark.get();
        writeBars(tmp.resolve("bars"), 30);
        PipelineSettings s = settings(tmp.resolve("bars").toUri().toString(), tmp.resolve("catalog").toUri().toString());
        Ingest.run(spark, s.ingest());
        GanQuality.Prepared p = GanQuality.prepare(spark, s.catalogDir(), s.gan(), 1);
        assertNull(p.skipped());
        GanQuality.Reference ref = p.quality().reference();
        assertEquals(java.util.List.of("h", "v"), ref.classes());
        assertTrue(ref.heldOutImages() > 0);
        assertTrue(ref.heldOutAccuracy() > 0.9, "held-out accuracy " + ref.heldOutAccuracy());
        Path cached;
        try (Stream<Path> st = Files.list(tmp.resolve("catalog/fd-classifier"))) {
            cached = st.findFirst().orElseThrow();
        }
        assertEquals(ref.key(), cached.getFileName().toString());
        long written = Files.getLastModifiedTime(cached.resolve(GanQuality.STATS)).toMillis();

        GanQuality.Prepared again = GanQuality.prepare(spark, s.catalogDir(), s.gan(), 1);
        assertEquals(ref.key(), again.quality().reference().key());
        assertEquals(written, Files.getLastModifiedTime(cached.resolve(GanQuality.STATS)).toMillis(), "read from the cache");
        assertEquals(ref.real().mean()[0], again.quality().reference().real().mean()[0], 0.0);

        ComputationGraph generator = GanModels.generator(s.gan(), 3);
        GanQuality.Measurement m = p.quality().measure(generator, 40, 5);
        assertTrue(m.fd() > 0 && Double.isFinite(m.fd()), "FD " + m.fd());
        assertTrue(m.score() >= 1 && m.score() <= 2 + 1e-9, "score " + m.score());
        assertEquals(m, p.quality().measure(generator, 40, 5), "deterministic for a seed");

        // The catalog's own images, both classes: the score nears the number of classes (2) and the
        // FD-classifier lies far below the untrained generator's.
        java.util.List<org.imagepipeline.image.Image> real = Catalog.images(spark, s.catalogDir(), "train", 1, Long.MAX_VALUE)
                .values().collect();
        GanQuality.Measurement r = p.quality().measureImages(java.util.List.of(GanImages.toTanh(real)));
        assertTrue(r.score() > 1.8, "classifier score of real images " + r.score());
        assertTrue(r.fd() < m.fd() / 10, "FD-classifier of real images " + r.fd() + ", of the untrained generator " + m.fd());
        // The reference carries the same for the held-out real images: the ceiling a generator aims at
        // (a handful of images, not evenly split between the classes, so a little lower than 2).
        assertTrue(ref.heldOutScore() > 1.5 && ref.heldOutScore() <= 2 + 1e-9, "classifier score of held-out real images "
                + ref.heldOutScore());
        // A Fréchet distance from so few images is biased upwards (their covariance is rank-deficient).
        assertTrue(ref.heldOutFd() >= 0 && ref.heldOutFd() < m.fd() / 2,
                "FD-classifier of held-out real images " + ref.heldOutFd() + ", of the untrained generator " + m.fd());
    }

    @Test
    void aCatalogWithoutClassFoldersSkipsWithAReason() throws Exception {
        SparkSession spark = TestSpark.get();
        org.imagepipeline.data.SyntheticImages.writePngs(tmp.resolve("flat"), 6, 28, 1, 2);
        PipelineSettings s = settings(tmp.resolve("flat").toUri().toString(), tmp.resolve("flat-catalog").toUri().toString());
        Ingest.run(spark, s.ingest());
        GanQuality.Prepared p = GanQuality.prepare(spark, s.catalogDir(), s.gan(), 1);
        assertNull(p.quality());
        assertNotNull(p.skipped());
        assertTrue(p.skipped().startsWith("no labels"), p.skipped());
    }
}
