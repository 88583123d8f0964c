package org.imagepipeline.config;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the job's SparkSession is made. An empty master leaves it to spark-submit or the
 * launcher; the code never picks one.
 */
public record SparkSettings(String master, String appName, Map<String, String> conf) implements Serializable {
    public SparkSettings {
        conf = Map.copyOf(conf);
    }

    /** As the record's, with the values of secret-looking settings (spark.hadoop.fs.s3a.secret.key...) hidden. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        conf.forEach((k, v) -> shown.put(k, StorageSettings.isSecretName(k) ? StorageSettings.REDACTED : v));
        return "SparkSettings[master=" + master + ", appName=" + appName + ", conf=" + shown + "]";
    }

    static SparkSettings read(ConfigReader r) {
        return new SparkSettings(r.string("pipeline.spark.master").trim(), r.string("pipeline.spark.app-name"),
                r.stringMap("pipeline.spark.conf"));
    }
}
