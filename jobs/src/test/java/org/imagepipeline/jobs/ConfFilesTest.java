package org.imagepipeline.jobs;

import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.TrainSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example under conf/ loads and validates against reference.conf (unknown keys are errors). */
class ConfFilesTest {

    /** The repository's conf/ folder; tests run in jobs/. */
    static Path confDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("conf")) && Files.isRegularFile(p.resolve("conf/application.conf"))) {
                return p.resolve("conf");
            }
        }
        throw new IllegalStateException("No conf/application.conf above " + Path.of("").toAbsolutePath());
    }

    @TestFactory
    Stream<DynamicTest> everyConfFileValidates() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(confDir())) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "expected application.conf, cluster.conf and gpu.conf, found " + files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> PipelineSettings.load(List.of(f), Map.of())));
    }

    @Test
    void clusterExportsToHdfs() {
        PipelineSettings s = PipelineSettings.load(List.of(confDir().resolve("cluster.conf")), Map.of());
        assertEquals(TrainSettings.TrainingApproach.EXPORT, s.train().trainingApproach());
        assertTrue(s.train().exportDir().startsWith("hdfs://"), s.train().exportDir());
        assertTrue(s.run().root().startsWith("hdfs://"), s.run().root());
        assertTrue(s.catalogDir().startsWith("hdfs://"), s.catalogDir());
        assertEquals("", s.spark().master(), "the master comes from --master, not from the file");
    }

    @Test
    void gpuLayersOverClusterWithOneTaskPerGpuExecutor() {
        PipelineSettings s = PipelineSettings.load(
                List.of(confDir().resolve("cluster.conf"), confDir().resolve("gpu.conf")), Map.of());
        Map<String, String> conf = s.spark().conf();
        assertEquals("1", conf.get("spark.executor.resource.gpu.amount"));
        assertEquals("1", conf.get("spark.task.resource.gpu.amount"));
        assertEquals(conf.get("spark.executor.cores"), conf.get("spark.task.cpus"), "one task per executor");
        assertEquals(4, s.train().workers());
        assertEquals(TrainSettings.TrainingApproach.EXPORT, s.train().trainingApproach(), "cluster.conf's settings stay underneath");
        assertFalse(s.spark().conf().containsKey("spark.master"));
    }
}
