package org.imagepipeline.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.SparkSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Makes the job's SparkSession. The master comes from spark-submit when it set one, else from
 * pipeline.spark.master; nothing here picks one. Executors get the JVM flags that DL4J needs on
 * Java 17 (module opens, layer helpers on) and Kryo with ND4J's registrator.
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

    public static SparkSession create(SparkSettings s) {
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
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
