package org.imagepipeline.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DFSTestUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.RegistryRaces;
import org.imagepipeline.store.CheckpointStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults on a real HDFS (MiniDFSCluster: one NameNode, two DataNodes, replication 2): a DataNode
 * stopped while a run writes its checkpoints, checkpoint bytes corrupted in the DataNodes' block
 * files, a missing commit marker, and threads racing on the model registry.
 */
class HdfsFaultTest {
    @TempDir static Path base;
    static MiniDFSCluster cluster;
    static String root;
    static Configuration conf;

    @BeforeAll
    static void startCluster() throws IOException {
        Configuration c = new Configuration();
        c.setInt("dfs.replication", 2);
        cluster = new MiniDFSCluster.Builder(c, base.resolve("dfs").toFile()).numDataNodes(2).build();
        cluster.waitActive();
        root = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/pipeline";
        conf = new Configuration(cluster.getFileSystem().getConf());
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster == null) return;
        // Hadoop caches the filesystem per NameNode; drop it before the cluster goes away.
        new org.apache.hadoop.fs.Path(root).getFileSystem(conf).close();
        cluster.shutdown();
    }

    @Test
    void corruptedBlockFilesAndAMissingMarkerFallBackToThePreviousCheckpoint() throws IOException {
        CheckpointStore store = StorageChain.twoCheckpoints(root + "/corrupt/checkpoints", conf);
        FileSystem fs = cluster.getFileSystem();
        org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(store.dirFor(2), CheckpointStore.MODEL);
        int corrupted = 0;
        for (LocatedBlock b : DFSTestUtil.getAllBlocks(fs, model)) {
            for (int dn = 0; dn < 2; dn++) {
                File blockFile = cluster.getBlockFile(dn, b.getBlock());
                if (blockFile == null) continue;
                StorageChain.flipMiddleByte(blockFile.toPath());
                corrupted++;
            }
        }
        assertEquals(2, corrupted, "both replicas of the model's block");
        assertEquals(1, store.loadNewest().orElseThrow().state().epochsDone(), "the previous checkpoint is used");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CheckpointStore.verify(store.dirFor(2), conf));
        assertTrue(e.getMessage().contains("epoch-0002"), e.getMessage());

        CheckpointStore unmarked = StorageChain.twoCheckpoints(root + "/unmarked/checkpoints", conf);
        fs.delete(new org.apache.hadoop.fs.Path(unmarked.dirFor(2), CheckpointStore.MARKER), false);
        assertEquals(List.of(1), unmarked.committedEpochs());
        assertEquals(1, unmarked.loadNewest().orElseThrow().state().epochsDone());
    }

    @Test
    void registryRacesHaveOneWinner() throws Exception {
        CheckpointStore store = StorageChain.twoCheckpoints(root + "/race/checkpoints", conf);
        ModelRegistry registry = new ModelRegistry(PipelineSettings.load(List.of(), Map.of("run.root", root)).registry(), conf);
        RegistryRaces.oneWriterPerRecord(new org.apache.hadoop.fs.Path(registry.root(), "race"), conf, 8, 3, true);
        RegistryRaces.concurrentRegistrationsGetDistinctVersions(registry, "den", store.dirFor(1), 6, true);
        RegistryRaces.concurrentPromotionsNeverBothWin(registry, "den", 6, 2, true);
    }

    @Test
    void aDataNodeStoppedWhileCheckpointingThenResume() throws Exception {
        StorageChain chain = new StorageChain(root, Map.of("spark.conf.\"spark.hadoop.dfs.replication\"", "2"), conf);
        chain.writeImages(12, 32);
        assertEquals(0, Main.run(chain.args("ingest")));
        MiniDFSCluster.DataNodeProperties stopped = null;
        try {
            MiniDFSCluster.DataNodeProperties[] holder = new MiniDFSCluster.DataNodeProperties[1];
            // As soon as the second checkpoint's folder appears, its files are being written (or just were).
            StorageChain.Outcome o = chain.trainWithFault("dn", 2, "epoch-0002", () -> holder[0] = cluster.stopDataNode(1));
            stopped = holder[0];
            // The run goes on with one DataNode, or fails with a clear error; either way resume completes it.
            assertTrue(o.status() == 0 || o.stderr().contains("error: train-restoration failed"), o.stderr());
            chain.resumeAndCheck("dn", 3);
        } finally {
            if (stopped != null) {
                cluster.restartDataNode(stopped, true);
                cluster.waitActive();
            }
        }
    }
}
