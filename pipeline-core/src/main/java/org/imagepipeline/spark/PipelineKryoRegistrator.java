package org.imagepipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Kryo set-up for the pipeline's Spark jobs: ND4J's serializers for arrays and DataSets, and
 * Java serialization for records (Kryo 4, which Spark 3.5 ships, cannot construct a record).
 */
public final class PipelineKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
    }
}
