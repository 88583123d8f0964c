package org.imagepipeline.registry;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.store.HadoopIO;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real threads racing on the registry, for every filesystem the tests start (local disk here,
 * MiniDFSCluster and S3Proxy in the jobs module). {@code atomic}: the filesystem has an exclusive
 * create (HDFS, local), so every race has exactly one winner; on S3 a race may have none (see
 * {@link RecordSequence}), but never two.
 */
public final class RegistryRaces {
    private RegistryRaces() {}

    /** Runs {@code n} tasks on n threads released at once; their results in task order. */
    public static <T> List<T> race(int n, IntFunction<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                final int id = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return task.apply(id);
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code writers} threads create the same record number, {@code rounds} times: one wins (at most one on S3), whole. */
    public static void oneWriterPerRecord(Path dir, Configuration conf, int writers, int rounds, boolean atomic) throws Exception {
        RecordSequence seq = new RecordSequence(dir, conf);
        for (int round = 1; round <= rounds; round++) {
            final long n = round;
            List<Boolean> won = race(writers, i -> seq.tryCreate(n, ("writer " + i).getBytes(StandardCharsets.UTF_8)));
            long winners = won.stream().filter(b -> b).count();
            if (atomic) assertEquals(1, winners, "round " + round + ": " + won);
            assertTrue(winners <= 1, "round " + round + ": " + won);
            Path decided = seq.list().decided().get(n);
            if (winners == 1) {
                assertEquals("writer " + won.indexOf(true), new String(HadoopIO.read(decided, conf), StandardCharsets.UTF_8),
                        "the record is the winner's, whole");
            } else {
                assertEquals(null, decided, "no winner, no record");
            }
        }
    }

    /**
     * {@code n} concurrent registrations of {@code checkpoint} get distinct versions, each listed
     * once; with an exclusive create ({@code atomic}) exactly 1..n. On S3 two colliding writers can
     * both lose a number, which then stays unused: versions are distinct but may skip numbers.
     */
    public static void concurrentRegistrationsGetDistinctVersions(ModelRegistry registry, String name, Path checkpoint, int n,
                                                                  boolean atomic) throws Exception {
        List<Integer> versions = race(n, i -> registry.register(name, checkpoint, "none").version());
        assertEquals(n, new TreeSet<>(versions).size(), "distinct versions: " + versions);
        if (atomic) {
            assertEquals(new TreeSet<>(IntStream.rangeClosed(1, n).boxed().toList()), new TreeSet<>(versions), versions.toString());
        }
        assertEquals(new TreeSet<>(versions), new TreeSet<>(registry.versions(name).stream().map(ModelVersion::version).toList()),
                "the registry lists exactly the versions handed out");
    }

    /**
     * Rounds of concurrent promotions of the first {@code n} registered versions of {@code name}
     * (not 1..n: on S3 version numbers may skip): every reported win is in the champion history
     * and stays there, every loss changed nothing, and the champion is the newest win.
     */
    public static void concurrentPromotionsNeverBothWin(ModelRegistry registry, String name, int n, int rounds, boolean atomic)
            throws Exception {
        List<Integer> registered = registry.versions(name).stream().map(ModelVersion::version).sorted().limit(n).toList();
        assertEquals(n, registered.size(), "versions registered before the race: " + registered);
        for (int round = 0; round < rounds; round++) {
            int before = registry.history(name).size();
            List<Object> outcomes = race(n, i -> {
                try {
                    return registry.promote(name, registered.get(i));
                } catch (ConcurrentChangeException lost) {
                    return lost;
                }
            });
            List<Champion> wins = outcomes.stream().filter(o -> o instanceof Champion).map(o -> (Champion) o).toList();
            List<Champion> history = registry.history(name);
            if (atomic) assertFalse(wins.isEmpty(), "with an exclusive create some promotion lands: " + outcomes);
            assertEquals(before + wins.size(), history.size(), "every reported win is in the history, no more: " + outcomes);
            for (Champion w : wins) {
                assertTrue(history.contains(w), "a win is never overwritten: " + w + " in " + history);
                assertEquals(w.seq() - 1, w.previousSeq(), "each win replaced the champion it read");
            }
            if (!history.isEmpty()) assertEquals(history.get(history.size() - 1), registry.champion(name).orElseThrow());
        }
    }
}
