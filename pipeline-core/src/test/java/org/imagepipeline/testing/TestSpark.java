package org.imagepipeline.testing;

import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.SparkSettings;
import org.imagepipeline.spark.Sessions;

import java.util.Map;

/**
 * One embedded {@code local[2]} SparkSession for the whole test JVM, made the way jobs make
 * theirs ({@link Sessions#create}), bound to loopback. Starting Spark costs seconds; sharing it
 * keeps the suite fast. Tests must not stop it.
 */
public final class TestSpark {
    private static SparkSession session;

    private TestSpark() {}

    public static synchronized SparkSession get() {
        // A test that stopped it anyway (or a job's Context, which stops the session it used) gets a new one.
        if (session == null || session.sparkContext().isStopped()) {
            session = Sessions.create(new SparkSettings("local[2]", "pipeline-tests", Map.of(
                    "spark.driver.host", "127.0.0.1",
                    "spark.driver.bindAddress", "127.0.0.1",
                    "spark.ui.enabled", "false",
                    "spark.sql.shuffle.partitions", "4")));
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
