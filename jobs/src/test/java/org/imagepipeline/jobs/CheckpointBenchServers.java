package org.imagepipeline.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: a command (deploy/bench/checkpoint-servers) that starts a MiniDFSCluster (one
 * NameNode, two DataNodes, replication 2) and an S3Proxy on loopback, then runs
 * {@code pipeline bench checkpoint} on a local folder, HDFS and S3 side by side, and stops them.
 * Arguments: [repetitions] [key=value ...], passed on to the bench.
 */
public final class CheckpointBenchServers {
    private CheckpointBenchServers() {}

    public static void main(String[] argv) throws Exception {
        Path tmp = Files.createTempDirectory("checkpoint-bench");
        Configuration conf = new Configuration();
        conf.setInt("dfs.replication", 2);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, tmp.resolve("dfs").toFile()).numDataNodes(2).build();
        int status;
        try (S3ChainTest.S3Server s3 = S3ChainTest.S3Server.start(Files.createDirectories(tmp.resolve("s3")), "bench", "bench-secret")) {
            cluster.waitActive();
            s3.createBucket("bench");
            String reps = argv.length > 0 && !argv[0].contains("=") ? argv[0] : "5";
            List<String> a = new ArrayList<>(List.of("bench", "checkpoint", reps,
                    Files.createDirectories(tmp.resolve("local")).toUri().toString(),
                    "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/bench",
                    "s3a://bench/bench",
                    "storage.s3a.endpoint=" + s3.endpoint(), "storage.s3a.path-style-access=true",
                    "storage.s3a.access-key=bench", "storage.s3a.secret-key=bench-secret",
                    "spark.conf.\"spark.hadoop.dfs.replication\"=2"));
            for (String arg : argv) if (arg.contains("=")) a.add(arg);
            status = Main.run(a.toArray(String[]::new));
        } finally {
            cluster.shutdown();
        }
        System.exit(status);
    }
}
