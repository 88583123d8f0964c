package org.imagepipeline.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.imagepipeline.data.SerializableHadoopConf;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void arraysOfEveryNumericTypeShapeAndLayoutArriveIntact() {
        for (DataType t : List.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF, DataType.INT, DataType.LONG, DataType.BYTE,
                DataType.BOOL)) {
            INDArray a = Nd4j.linspace(-3, 20, 24, DataType.DOUBLE).reshape(2, 3, 4).castTo(t);
            INDArray back = throughKryo(a);
            assertEquals(t, back.dataType(), t.toString());
            assertEquals(a, back, t.toString());
        }
        INDArray base = Nd4j.linspace(1, 60, 60, DataType.FLOAT).reshape(3, 4, 5);
        INDArray view = base.get(NDArrayIndex.point(1), NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertEquals(view, throughKryo(view), "a view with an offset");
        INDArray fOrder = base.dup('f');
        assertEquals(fOrder, throughKryo(fOrder), "an array in Fortran order");
        assertEquals(base.transpose(), throughKryo(base.transpose()), "a transposed view");
        INDArray scalar = Nd4j.scalar(2.5f);
        assertEquals(scalar, throughKryo(scalar));
        INDArray empty = Nd4j.empty(DataType.FLOAT);
        assertEquals(true, ((INDArray) throughKryo(empty)).isEmpty());
        DataSet d = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8), Nd4j.ones(DataType.FLOAT, 4, 1));
        DataSet dBack = throughKryo(d);
        assertEquals(d.getFeatures(), dBack.getFeatures());
        assertEquals(d.getLabels(), dBack.getLabels());
    }

    @Test
    @SuppressWarnings("unchecked")
    void arraysTravelAsOneBlockOfTheirBytes() {
        com.esotericsoftware.kryo.Kryo kryo = new KryoSerializer(new SparkConf(false)
                .set("spark.kryo.registrator", PipelineKryoRegistrator.class.getName())).newKryo();
        Class<INDArray> arrayClass = (Class<INDArray>) Nd4j.getBackend().getNDArrayClass();
        assertTrue(kryo.getRegistration(arrayClass).getSerializer() instanceof NdArraySerializer);
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 1_000_000);
        com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(1 << 16, -1);
        kryo.writeObject(out, params);
        byte[] bytes = out.toBytes();
        assertEquals(1, bytes[0], "the block format, not ND4J's per-element one");
        // Kind, type, rank and two dimensions, then the 4 MB of floats.
        assertTrue(bytes.length >= 4_000_000 && bytes.length < 4_000_020, bytes.length + " bytes");
        assertEquals(params, kryo.readObject(new com.esotericsoftware.kryo.io.Input(bytes), arrayClass));
    }
}
