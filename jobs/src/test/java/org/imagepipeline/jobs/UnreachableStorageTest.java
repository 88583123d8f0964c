package org.imagepipeline.jobs;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NameNode or S3 endpoint that is not there: the job fails with an error naming the path it
 * could not reach, within the bounds of pipeline.storage (Hadoop's defaults would retry s3a for
 * about 16 minutes). The ports are free loopback ports, so every connection is refused.
 */
class UnreachableStorageTest {
    /** Includes starting and stopping Spark (a few seconds); the storage bounds make up the rest. */
    private static final double BOUND_SECONDS = 40;

    @Test
    void deadS3EndpointFailsFastNamingThePath() throws IOException {
        String input = "s3a://nowhere-bucket/images";
        StorageChain chain = new StorageChain("s3a://nowhere-bucket/pipeline", java.util.Map.of(
                "storage.s3a.endpoint", "http://127.0.0.1:" + S3ChainTest.freePort(),
                "storage.s3a.path-style-access", "true",
                "storage.s3a.access-key", "dead-access",
                "storage.s3a.secret-key", "dead-secret-41c7"), new org.apache.hadoop.conf.Configuration());
        StorageChain.Outcome o = StorageChain.runCapturing(chain.args("ingest", "ingest.input=" + input));
        assertEquals(1, o.status(), o.stderr());
        assertTrue(o.stderr().contains("error: ingest failed") && o.stderr().contains(input), o.stderr());
        assertTrue(o.seconds() < BOUND_SECONDS, "took " + o.seconds() + " s:\n" + o.stderr());
        StorageChain.assertNoSecret(o.stderr(), "dead-secret-41c7");
    }

    @Test
    void deadNameNodeFailsFastNamingThePath() throws IOException {
        String root = "hdfs://127.0.0.1:" + S3ChainTest.freePort() + "/pipeline";
        StorageChain chain = new StorageChain(root, java.util.Map.of(), new org.apache.hadoop.conf.Configuration());
        StorageChain.Outcome o = StorageChain.runCapturing(chain.args("train-restoration", "run.id=r1"));
        assertEquals(1, o.status(), o.stderr());
        assertTrue(o.stderr().contains(root + "/runs/r1"), o.stderr());
        assertTrue(o.stderr().contains("Connection refused"), o.stderr());
        assertTrue(o.seconds() < BOUND_SECONDS, "took " + o.seconds() + " s:\n" + o.stderr());
    }
}
