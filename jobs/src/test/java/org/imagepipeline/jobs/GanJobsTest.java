package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.image.ImageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train-gan, resume, and generate through the dispatcher on local[2]. */
class GanJobsTest {
    @TempDir Path tmp;

    private static final List<String> SETTINGS = List.of(
            "gan.resolution=28", "gan.latent-size=6", "gan.generator-features=4", "gan.discriminator-features=4",
            "gan.batch-size=8", "gan.sample-grid=2", "gan.sample-every=2", "gan.checkpoint-every=2", "gan.log-every=1");

    private String[] args(String job, String... extra) {
        return LocalArgs.of(tmp, job, SETTINGS, extra);
    }

    @Test
    void trainResumeAndGenerateDeterministically() throws Exception {
        SyntheticImages.writePngs(tmp.resolve("images"), 16, 28, 1, 5);
        assertEquals(0, Main.run(args("ingest")));
        assertEquals(0, Main.run(args("train-gan", "run.id=g", "gan.steps=2")));
        assertEquals(0, Main.run(args("train-gan", "run.id=g", "gan.steps=3", "gan.resume=true")));
        List<String> lines = Files.readAllLines(tmp.resolve("runs/g/metrics.jsonl"));
        assertEquals(List.of(1, 2, 3), lines.stream().map(l -> {
            try {
                return new ObjectMapper().readTree(l).get("step").asInt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList());
        assertTrue(Files.exists(tmp.resolve("runs/g/samples/step-000003.png")));
        assertTrue(Files.exists(tmp.resolve("runs/g/checkpoints/step-0003/_COMMITTED")));

        Path out1 = tmp.resolve("gen1");
        Path out2 = tmp.resolve("gen2");
        assertEquals(0, Main.run(args("generate", "run.id=g", "gan.generate.count=3", "gan.generate.seed=7",
                "gan.generate.interpolation-steps=5", "gan.generate.output=" + out1.toUri())));
        assertEquals(0, Main.run(args("generate", "gan.generate.checkpoint=" + tmp.resolve("runs/g/checkpoints/step-0003").toUri(),
                "gan.generate.count=2", "gan.generate.seed=7", "gan.generate.output=" + out2.toUri())));
        for (int i = 0; i < 2; i++) {
            String name = String.format("generated-%05d.png", i);
            assertArrayEquals(Files.readAllBytes(out1.resolve(name)), Files.readAllBytes(out2.resolve(name)),
                    "the same seed gives the same image " + i + " whatever the count");
        }
        var image = ImageCodec.decode(Files.readAllBytes(out1.resolve("generated-00002.png")), "g", 1 << 20).image();
        assertEquals(28, image.width());
        var strip = ImageCodec.decode(Files.readAllBytes(out1.resolve("interpolation.png")), "s", 1 << 20).image();
        assertEquals(5 * 28 + 4 * 2, strip.width(), "5 images with 2 px gaps");
        assertEquals(28, strip.height());

        Path out3 = tmp.resolve("gen3");
        assertEquals(0, Main.run(args("generate", "run.id=g", "gan.generate.count=1", "gan.generate.seed=8",
                "gan.generate.output=" + out3.toUri())));
        assertFalse(Arrays.equals(Files.readAllBytes(out1.resolve("generated-00000.png")),
                Files.readAllBytes(out3.resolve("generated-00000.png"))), "another seed gives another image");
        assertTrue(Files.exists(tmp.resolve("gen3/interpolation.png")));
    }

    @Test
    void generateSaysWhatItNeeds() {
        assertEquals(1, Main.run(args("generate")));
        assertEquals(1, Main.run(args("train-gan", "gan.resume=true")));
        assertEquals(2, Main.run(args("train-gan", "gan.resolution=30")));
    }
}
