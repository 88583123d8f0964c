package org.imagepipeline.jobs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NameNode or S3 endpoint that is not there: the job fails with an error naming the path it
 * could not reach, within the bounds of pipeline.storage (Hadoop's defaults would retry s3a for
 * about 16 minutes). Each test holds its port bound but not listening (see {@link RefusingPort}), so
 * every connection is refused.
 */
class UnreachableStorageTest {
    /** Includes starting and stopping Spark (a few seconds); the storage bounds make up the rest. */
    private static final double BOUND_SECONDS = 40;

    @Test
    void deadS3EndpointFailsFastNamingThePath() throws IOException {
        try (RefusingPort port = new RefusingPort()) {
            deadS3Endpoint(port.number());
        }
    }

    private static void deadS3Endpoint(int port) throws IOException {
        String input = "s3a://nowhere-bucket/images";
        StorageChain chain = new StorageChain("s3a://nowhere-bucket/pipeline", java.util.Map.of(
                "storage.s3a.endpoint", "http://127.0.0.1:" + port,
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
        try (RefusingPort port = new RefusingPort()) {
            deadNameNode(port.number());
        }
    }

    private static void deadNameNode(int port) throws IOException {
        String root = "hdfs://127.0.0.1:" + port + "/pipeline";
        StorageChain chain = new StorageChain(root, java.util.Map.of(), new org.apache.hadoop.conf.Configuration());
        StorageChain.Outcome o = StorageChain.runCapturing(chain.args("train-restoration", "run.id=r1"));
        assertEquals(1, o.status(), o.stderr());
        assertTrue(o.stderr().contains(root + "/runs/r1"), o.stderr());
        assertTrue(o.stderr().contains("Connection refused"), o.stderr());
        assertTrue(o.seconds() < BOUND_SECONDS, "took " + o.seconds() + " s:\n" + o.stderr());
    }

    /**
     * A loopback port bound by a socket that never listens: connecting to it is refused, and while
     * it is held nothing else can bind it and no connection can take it as its own source port.
     * A port found free and then released is not enough. CI once got an EOF instead of a refusal:
     * the Spark driver the job starts binds ports of its own (bind(0) hands out the same odd ports
     * a released one comes from), and one that took ours would read the NameNode request and hang
     * up. A retried connection can also be given the released port as its source and connect to
     * itself; on this machine that happened to an even released port within 4,000-21,000
     * attempts, and never to a held one in 100,000.
     */
    private static final class RefusingPort implements AutoCloseable {
        private final Socket socket = new Socket();

        RefusingPort() throws IOException {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }

        int number() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
