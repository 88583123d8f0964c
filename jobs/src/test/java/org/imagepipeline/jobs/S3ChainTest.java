package org.imagepipeline.jobs;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every job on S3 through s3a: S3Proxy (filesystem backend, in a temporary folder) as its own
 * process on a free loopback port, a bucket made with the AWS SDK, and the chain of
 * {@link StorageChain} with every path under s3a://bucket/ and the server reached through
 * pipeline.storage.s3a (endpoint, path-style access, static keys).
 */
class S3ChainTest {
    static final String BUCKET = "pipeline-chain";
    static final String ACCESS_KEY = "chain-access";
    static final String SECRET_KEY = "chain-secret-7f3a9c";

    @TempDir static Path tmp;
    static S3Server server;

    @BeforeAll
    static void startS3() throws Exception {
        server = S3Server.start(tmp, ACCESS_KEY, SECRET_KEY);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() {
        if (server != null) server.close();
    }

    @Test
    void wholeChainOnS3() throws IOException {
        String root = "s3a://" + BUCKET + "/pipeline";
        Map<String, String> storage = new LinkedHashMap<>();
        storage.put("storage.s3a.endpoint", server.endpoint());
        storage.put("storage.s3a.path-style-access", "true");
        storage.put("storage.s3a.access-key", ACCESS_KEY);
        storage.put("storage.s3a.secret-key", SECRET_KEY);
        Configuration conf = new Configuration();
        StorageChain chain = new StorageChain(root, storage, conf);
        chain.settings().storage().hadoopProperties().forEach(conf::set);
        try {
            chain.writeImages(20, 40);
            chain.runAndCheck("s3a");
            String saved = chain.text(root + "/runs/r1/config.conf");
            StorageChain.assertNoSecret(saved, SECRET_KEY);
            StorageChain.assertNoSecret(saved, ACCESS_KEY);
            assertTrue(saved.contains("secret-key=\"<redacted>\""), saved);
        } finally {
            // Hadoop caches the filesystem per bucket; drop it before its server goes away.
            FileSystem.get(URI.create("s3a://" + BUCKET + "/"), conf).close();
        }
    }

    /** S3Proxy as a child process; the jar comes from target/s3proxy (copied by Maven). */
    static final class S3Server implements AutoCloseable {
        private Process process;
        private final Path props;
        private final Path log;
        private final Path blobs;
        private final int port;
        private final String accessKey;
        private final String secretKey;

        private S3Server(Process process, Path props, Path log, Path blobs, int port, String accessKey, String secretKey) {
            this.process = process;
            this.props = props;
            this.log = log;
            this.blobs = blobs;
            this.port = port;
            this.accessKey = accessKey;
            this.secretKey = secretKey;
        }

        static S3Server start(Path dir, String accessKey, String secretKey) throws IOException, InterruptedException {
            Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
            if (!Files.isRegularFile(jar)) {
                fail("S3Proxy is not at " + jar.toAbsolutePath() + ": run the tests through Maven, whose "
                        + "process-test-resources phase copies it there (maven-dependency-plugin, execution s3proxy)");
            }
            int port = freePort();
            Path blobs = Files.createDirectories(dir.resolve("s3-blobs"));
            Path props = dir.resolve("s3proxy.properties");
            Files.writeString(props, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "jclouds.provider=filesystem",
                    "jclouds.identity=" + accessKey,
                    "jclouds.credential=" + secretKey,
                    "jclouds.filesystem.basedir=" + blobs.toAbsolutePath()) + "\n");
            Path log = dir.resolve("s3proxy.log");
            S3Server server = new S3Server(launch(jar, props, log), props, log, blobs, port, accessKey, secretKey);
            try {
                server.awaitReady(60);
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        }

        private static Process launch(Path jar, Path props, Path log) throws IOException {
            return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar.toAbsolutePath().toString(), "--properties", props.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }

        /** Starts the server again on the same port and storage after {@link #close()}. */
        void startAgain() throws IOException, InterruptedException {
            process = launch(Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar")), props, log);
            awaitReady(60);
        }

        /** The file in which the filesystem backend keeps an object. */
        Path objectFile(String bucket, String key) {
            return blobs.resolve(bucket).resolve(key);
        }

        String endpoint() {
            return "http://127.0.0.1:" + port;
        }

        /** Polls until the server answers HTTP (any status); fails at once if the process dies. */
        private void awaitReady(int seconds) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    fail("S3Proxy exited with status " + process.exitValue() + ":\n" + logText());
                }
                try {
                    HttpURLConnection c = (HttpURLConnection) new URL(endpoint() + "/").openConnection();
                    c.setConnectTimeout(500);
                    c.setReadTimeout(2000);
                    int status = c.getResponseCode();
                    c.disconnect();
                    if (status > 0) return;
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
            fail("S3Proxy did not answer on " + endpoint() + " within " + seconds + " s:\n" + logText());
        }

        /** Creates a bucket (S3Proxy serves only buckets that exist). */
        void createBucket(String bucket) {
            AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                    .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
                    .withPathStyleAccessEnabled(true)
                    .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(accessKey, secretKey)))
                    .build();
            try {
                s3.createBucket(bucket);
            } finally {
                s3.shutdown();
            }
        }

        String logText() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A loopback port that nothing listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
