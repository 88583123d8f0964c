package archfixture.config;

import org.apache.spark.SparkConf;

/** A planted violation for ArchitectureTest: a pure package that reaches for Spark. */
public final class SparkInConfig {
    public static SparkConf conf() {
        return new SparkConf();
    }
}
