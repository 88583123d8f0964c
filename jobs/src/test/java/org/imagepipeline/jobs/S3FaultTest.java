package org.imagepipeline.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.data.SyntheticImages;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.RegistryRaces;
import org.imagepipeline.store.CheckpointStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults on S3 (S3Proxy with its filesystem backend, through s3a): the server stopped mid-run
 * (the run fails cleanly) and started again (resume completes the run), an object's bytes corrupted in the backend's file, a missing commit marker,
 * wrong credentials, a missing bucket, and threads racing on the model registry where S3 offers
 * no exclusive create.
 */
class S3FaultTest {
    static final String BUCKET = "pipeline-faults";
    static final String ACCESS_KEY = "fault-access";
    static final String SECRET_KEY = "fault-secret-2b8e";
    /** Includes starting and stopping Spark; the storage bounds of pipeline.storage make up the rest. */
    static final double BOUND_SECONDS = 40;

    @TempDir static Path tmp;
    static S3ChainTest.S3Server server;
    static Configuration conf;

    @BeforeAll
    static void startS3() throws Exception {
        server = S3ChainTest.S3Server.start(tmp, ACCESS_KEY, SECRET_KEY);
        server.createBucket(BUCKET);
        conf = new Configuration();
        settings("s3a://" + BUCKET + "/pipeline").storage().hadoopProperties().forEach(conf::set);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (server == null) return;
        // Hadoop caches the filesystem per bucket; drop it before its server goes away.
        FileSystem.get(URI.create("s3a://" + BUCKET + "/"), conf).close();
        server.close();
    }

    static Map<String, String> storage(String secretKey) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("storage.s3a.endpoint", server.endpoint());
        m.put("storage.s3a.path-style-access", "true");
        m.put("storage.s3a.access-key", ACCESS_KEY);
        m.put("storage.s3a.secret-key", secretKey);
        return m;
    }

    static PipelineSettings settings(String root) {
        Map<String, String> m = storage(SECRET_KEY);
        m.put("run.root", root);
        return PipelineSettings.load(List.of(), m);
    }

    @Test
    void corruptedObjectAndMissingMarkerFallBackToThePreviousCheckpoint() throws Exception {
        CheckpointStore store = StorageChain.twoCheckpoints("s3a://" + BUCKET + "/corrupt/checkpoints", conf);
        Path object = server.objectFile(BUCKET, "corrupt/checkpoints/epoch-0002/" + CheckpointStore.MODEL);
        StorageChain.flipMiddleByte(object);
        assertEquals(1, store.loadNewest().orElseThrow().state().epochsDone(), "the previous checkpoint is used");

        CheckpointStore unmarked = StorageChain.twoCheckpoints("s3a://" + BUCKET + "/unmarked/checkpoints", conf);
        FileSystem.get(URI.create("s3a://" + BUCKET + "/"), conf)
                .delete(new org.apache.hadoop.fs.Path(unmarked.dirFor(2), CheckpointStore.MARKER), false);
        assertEquals(List.of(1), unmarked.committedEpochs());
        assertEquals(1, unmarked.loadNewest().orElseThrow().state().epochsDone());
    }

    @Test
    void registryRacesNeverHaveTwoWinners() throws Exception {
        CheckpointStore store = StorageChain.twoCheckpoints("s3a://" + BUCKET + "/race/checkpoints", conf);
        ModelRegistry registry = new ModelRegistry(settings("s3a://" + BUCKET + "/pipeline").registry(), conf);
        RegistryRaces.oneWriterPerRecord(new org.apache.hadoop.fs.Path(registry.root(), "race"), conf, 6, 2, false);
        RegistryRaces.concurrentRegistrationsGetDistinctVersions(registry, "den", store.dirFor(1), 4, false);
        RegistryRaces.concurrentPromotionsNeverBothWin(registry, "den", 4, 2, false);
    }

    @Test
    void wrongCredentialsAndMissingBucketFailFastNamingThePath() throws Exception {
        // A bucket no other test touched: s3a filesystems are cached per bucket, with the first credentials used.
        String bucket = "wrong-credentials";
        server.createBucket(bucket);
        String input = "s3a://" + bucket + "/images";
        StorageChain chain = new StorageChain("s3a://" + bucket + "/pipeline", storage("not-the-secret-5d1f"), new Configuration());
        StorageChain.Outcome o = StorageChain.runCapturing(chain.args("ingest", "ingest.input=" + input));
        assertEquals(1, o.status(), o.stderr());
        assertTrue(o.stderr().contains(input) && o.stderr().contains("403"), o.stderr());
        assertTrue(o.seconds() < BOUND_SECONDS, "took " + o.seconds() + " s");
        StorageChain.assertNoSecret(o.stderr(), "not-the-secret-5d1f");

        String missing = "s3a://no-such-bucket/images";
        StorageChain noBucket = new StorageChain("s3a://no-such-bucket/pipeline", storage(SECRET_KEY), new Configuration());
        StorageChain.Outcome m = StorageChain.runCapturing(noBucket.args("ingest", "ingest.input=" + missing));
        assertEquals(1, m.status(), m.stderr());
        assertTrue(m.stderr().contains(missing) && m.stderr().contains("bucket does not exist"), m.stderr());
        assertTrue(m.seconds() < BOUND_SECONDS, "took " + m.seconds() + " s");
    }

    @Test
    void serverStoppedMidRunThenRestartedAndResumed() throws Exception {
        // The run on S3; the images and catalog on the local disk, so the outage hits what training writes.
        Map<String, String> settings = storage(SECRET_KEY);
        settings.put("ingest.input", tmp.resolve("images").toUri().toString());
        settings.put("ingest.catalog", tmp.resolve("catalog").toUri().toString());
        StorageChain chain = new StorageChain("s3a://" + BUCKET + "/restart", settings, conf);
        SyntheticImages.writePngs(tmp.resolve("images"), 10, 32, 1, 3);
        assertEquals(0, Main.run(chain.args("ingest")));
        // The server goes away once the first checkpoint is committed and stays away until the run ends:
        // its next write fails after s3a's bounded retries, cleanly, naming the path.
        StorageChain.Outcome o = chain.trainWithFault("r", 2, "epoch-0001/" + CheckpointStore.MARKER, server::close);
        assertEquals(1, o.status(), o.stderr());
        assertTrue(o.stderr().contains("error: train-restoration failed") && o.stderr().contains("s3a://" + BUCKET + "/restart/"),
                o.stderr());
        assertTrue(o.stderr().contains("Connection refused"), o.stderr());
        server.startAgain();
        chain.resumeAndCheck("r", 3);
    }
}
