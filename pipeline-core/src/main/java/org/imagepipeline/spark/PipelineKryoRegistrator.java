package org.imagepipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.imagepipeline.data.SerializableHadoopConf;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo set-up for the pipeline's Spark jobs: ND4J's registrations, with arrays copied in one block
 * by {@link NdArraySerializer} instead of element by element, and
 * Java serialization for records (Kryo 4, which Spark 3.5 ships, cannot construct a record) and
 * for {@link SerializableHadoopConf}, whose Configuration is a transient field written by its own
 * {@code writeObject}: Kryo's field serializer skips both, so executors in other JVMs got a null
 * Configuration from every broadcast (local mode hands the driver's object over unserialized).
 */
public final class PipelineKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        // Replaces Nd4jRegistrator's per-element serializer for the backend's array class.
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new NdArraySerializer());
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
        kryo.register(SerializableHadoopConf.class, new JavaSerializer());
    }
}
