package org.imagepipeline.config;

import org.imagepipeline.gan.GanTrainer;
import org.imagepipeline.restoration.RestorationTrainer;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.testing.GeneratedImagesRoot;
import org.imagepipeline.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes the run directories under src/test/resources/legacy-checkpoints/ (config.conf and
 * checkpoints/ of one tiny restoration run and one tiny GAN run), the way the jobs make them: the
 * effective settings saved as config.conf, then training. Runs only when asked:
 * {@code mvn -o -pl pipeline-core test -Dtest=LegacyCheckpointsMaker -Dlegacy-checkpoints.out=DIR}.
 * Checkpoints record the training hash of the code that makes them, so running it again on newer
 * code makes checkpoints of the newer hash, not legacy ones. (At e5f0617 it also printed the v1
 * hashes of LegacyHashCases that LegacyTrainingHashTest holds.)
 */
@EnabledIfSystemProperty(named = "legacy-checkpoints.out", matches = ".+")
class LegacyCheckpointsMaker {
    /** Settings of the restoration run; LegacyCheckpointsTest uses the same images. */
    static final String RESTORATION = """
            ingest.val-fraction = 0.25
            ingest.test-fraction = 0.1
            model.dncnn.depth = 2
            model.dncnn.features = 4
            prepare.patch-size = 16
            prepare.patches-per-image = 2
            train.batch-size-per-worker = 4
            train.averaging-frequency = 1
            train.val-max-images = 2
            train.val-crop = 16
            train.keep-checkpoints = 1
            train.epochs = 2
            """;

    /** Settings of the GAN run: the tests' tiny 28 px GAN, with the schedule keys older runs lacked set. */
    static final String GAN = """
            gan.resolution = 28
            gan.channels = 1
            gan.latent-size = 8
            gan.generator-features = 4
            gan.discriminator-features = 4
            gan.batch-size = 4
            gan.sample-grid = 2
            gan.ema-half-life-steps = 2
            gan.ema-rampup = 0.5
            gan.lr-decay-start = 0.5
            gan.log-every = 1
            gan.sample-every = 100
            gan.checkpoint-every = 2
            gan.keep-checkpoints = 1
            gan.steps = 2
            """;

    @TempDir Path tmp;

    @Test
    void make() throws IOException {
        Path out = Path.of(System.getProperty("legacy-checkpoints.out"));

        GeneratedImagesRoot restoration = new GeneratedImagesRoot(tmp.resolve("restoration"), 16, 32, 1, 5, RESTORATION);
        PipelineSettings rs = restoration.settings(Map.of());
        RunDir r = restoration.run("legacy-restoration");
        r.writeText("config.conf", rs.rendered());
        new RestorationTrainer(rs).train(TestSpark.get(), r, rs.catalogDir());
        copyRun(tmp.resolve("restoration/runs/legacy-restoration"), out.resolve("restoration"));

        GeneratedImagesRoot gan = new GeneratedImagesRoot(tmp.resolve("gan"), 16, 28, 1, 5, GAN);
        PipelineSettings gs = gan.settings(Map.of());
        RunDir g = gan.run("legacy-gan");
        g.writeText("config.conf", gs.rendered());
        new GanTrainer(gs).train(TestSpark.get(), g, gs.catalogDir());
        copyRun(tmp.resolve("gan/runs/legacy-gan"), out.resolve("gan"));
    }

    /** config.conf and checkpoints/ of a run, without Hadoop's .crc side files. */
    private static void copyRun(Path run, Path to) throws IOException {
        Files.createDirectories(to);
        Files.copy(run.resolve("config.conf"), to.resolve("config.conf"));
        try (Stream<Path> files = Files.walk(run.resolve("checkpoints"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".crc")).toList()) {
                Path target = to.resolve(run.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }
}
