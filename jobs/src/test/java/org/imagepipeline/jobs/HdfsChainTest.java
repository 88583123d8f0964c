package org.imagepipeline.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Every job on real HDFS: a MiniDFSCluster (one NameNode, two DataNodes) on loopback in this JVM,
 * and the chain of {@link StorageChain} with every path an hdfs:// URI. The jobs know the cluster
 * only by those URIs; its replication (2, for two DataNodes) reaches them as spark.hadoop.*.
 */
class HdfsChainTest {
    @TempDir static Path base;
    static MiniDFSCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        Configuration conf = new Configuration();
        conf.setInt("dfs.replication", 2);
        cluster = new MiniDFSCluster.Builder(conf, base.resolve("dfs").toFile()).numDataNodes(2).build();
        cluster.waitActive();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.shutdown();
    }

    @Test
    void wholeChainOnHdfs() throws IOException {
        String root = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/pipeline";
        Configuration conf = new Configuration(cluster.getFileSystem().getConf());
        StorageChain chain = new StorageChain(root, Map.of("spark.conf.\"spark.hadoop.dfs.replication\"", "2"), conf);
        chain.settings().storage().hadoopProperties().forEach(conf::set);
        try {
            chain.writeImages(20, 40);
            chain.runAndCheck("hdfs");
        } finally {
            // Hadoop caches the filesystem per NameNode; drop it before the cluster goes away.
            new org.apache.hadoop.fs.Path(root).getFileSystem(conf).close();
        }
    }
}
