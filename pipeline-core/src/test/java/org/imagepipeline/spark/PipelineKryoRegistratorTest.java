package org.imagepipeline.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.imagepipeline.data.SerializableHadoopConf;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What executors in other JVMs receive: values through Spark's Kryo serializer set up as
 * {@link Sessions#create} sets it (broadcasts and task results go this way; local mode skips it).
 */
class PipelineKryoRegistratorTest {
    @SuppressWarnings("unchecked")
    private static <T> T throughKryo(T value) {
        SerializerInstance kryo = new KryoSerializer(new SparkConf(false)
                .set("spark.kryo.registrator", PipelineKryoRegistrator.class.getName())).newInstance();
        ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
        return (T) kryo.deserialize(kryo.serialize(value, tag), tag);
    }

    @Test
    void aBroadcastHadoopConfigurationArrivesWithTheDriversSettings() {
        Configuration conf = new Configuration(false);
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:9000");
        conf.setInt("fs.s3a.attempts.maximum", 3);

        Configuration received = throughKryo(new SerializableHadoopConf(conf)).get();

        assertEquals("http://127.0.0.1:9000", received.get("fs.s3a.endpoint"));
        assertEquals(3, received.getInt("fs.s3a.attempts.maximum", 0));
    }

    @Test
    void recordsAndArraysArriveIntact() {
        record Pair(String name, List<Integer> values) implements java.io.Serializable {}
        assertEquals(new Pair("a", List.of(1, 2)), throughKryo(new Pair("a", List.of(1, 2))));
        INDArray a = Nd4j.linspace(1, 6, 6).reshape(2, 3);
        assertEquals(a, throughKryo(a));
    }
}
