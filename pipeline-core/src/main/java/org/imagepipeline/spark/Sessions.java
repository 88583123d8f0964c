package org.imagepipeline.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.SparkSettings;
import org.imagepipeline.config.StorageSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Makes the job's SparkSession. The master comes from spark-submit when it set one, else from
 * pipeline.spark.master; nothing here picks one. Executors get the JVM flags that DL4J needs on
 * Java 17 (module opens, layer helpers on) and Kryo with ND4J's registrator; driver and executors
 * get the storage settings (s3a endpoint and credentials, bounded HDFS/S3 retries).
 */
public final class Sessions {
    private Sessions() {}

    /** The JVM options every JVM that trains or infers needs, as built into this jar. */
    public static String jvmOptions() {
        try (InputStream in = Sessions.class.getResourceAsStream("/org/imagepipeline/jvm-options.txt")) {
            if (in == null) throw new IllegalStateException("jvm-options.txt is missing from the pipeline-core jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A session with the storage settings of reference.conf (bounded retries, no s3a endpoint or keys). */
    public static SparkSession create(SparkSettings s) {
        return create(s, StorageSettings.defaults());
    }

    /**
     * The job's session, with {@code storage} (s3a endpoint and credentials, retry bounds) in the
     * Hadoop configuration of the driver and, as {@code spark.hadoop.*}, of every executor. It is
     * set before anything opens a filesystem: Hadoop caches filesystems per scheme and authority
     * with the configuration they were first opened with.
     */
    public static SparkSession create(SparkSettings s, StorageSettings storage) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            if (s.master().isEmpty()) {
                throw new IllegalStateException("No Spark master: run through spark-submit --master ..., or set "
                        + "pipeline.spark.master (e.g. local[*] or spark://host:7077)");
            }
            conf.setMaster(s.master());
        }
        conf.setIfMissing("spark.app.name", s.appName());
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", PipelineKryoRegistrator.class.getName());
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        for (Map.Entry<String, String> e : s.conf().entrySet()) conf.set(e.getKey(), e.getValue());
        String opts = jvmOptions();
        for (String key : new String[] {"spark.executor.extraJavaOptions"}) {
            String old = conf.get(key, "");
            if (!old.contains("helpers.disable")) conf.set(key, (old + " " + opts).trim());
        }
        Map<String, String> hadoop = storage.hadoopProperties();
        hadoop.forEach((k, v) -> conf.set("spark.hadoop." + k, v));
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        // getOrCreate may return a session that already ran: its Hadoop configuration was made
        // before these settings, so set them there too.
        Configuration driver = session.sparkContext().hadoopConfiguration();
        hadoop.forEach(driver::set);
        return session;
    }

    /**
     * The Hadoop configuration a job's driver would get, without starting Spark: the
     * {@code spark.hadoop.*} entries of pipeline.spark.conf, then {@code storage}. For jobs that
     * only read and write small files (the models job).
     */
    public static Configuration hadoopConfiguration(SparkSettings s, StorageSettings storage) {
        Configuration conf = new Configuration();
        s.conf().forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) conf.set(k.substring("spark.hadoop.".length()), v);
        });
        storage.hadoopProperties().forEach(conf::set);
        return conf;
    }
}
