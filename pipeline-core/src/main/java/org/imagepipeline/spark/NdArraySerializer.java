package org.imagepipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo serializer for ND4J arrays on the CPU backend that copies the data buffer in one block.
 * ND4J's own serializer ({@link Nd4jSerializer}, through {@code Nd4j.write}) writes and reads
 * every element through a {@code DataOutputStream}; dl4j-spark's parameter averaging ships the
 * whole parameter and updater-state vectors to and from each worker at every average, and a GAN
 * does that twice a round, so that per-element loop took a large share of a round's time.
 *
 * <p>Format: a kind byte; for an array: data type ordinal, rank, shape, then {@code length × element size} bytes of the array
 * in C order, native byte order (driver and executors run on the same platform). Arrays of other
 * data types (strings, compressed) and arrays of other backends go through {@link Nd4jSerializer},
 * flagged by the kind byte; an empty array is its kind byte and data type.
 */
public final class NdArraySerializer extends Serializer<INDArray> {
    private static final byte BULK = 1;
    private static final byte FALLBACK = 0;
    private static final byte EMPTY = 2;
    private static final boolean CPU = Nd4j.getBackend().getClass().getName().contains("CpuBackend");

    private final Nd4jSerializer fallback = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
        if (!bulk(array.dataType())) {
            output.writeByte(FALLBACK);
            fallback.write(kryo, output, array);
            return;
        }
        if (array.isEmpty()) {
            output.writeByte(EMPTY);
            output.writeInt(array.dataType().ordinal(), true);
            return;
        }
        output.writeByte(BULK);
        INDArray c = !array.isView() && array.ordering() == 'c' && array.data().length() == array.length() ? array : array.dup('c');
        long[] shape = c.shape();
        output.writeInt(c.dataType().ordinal(), true);
        output.writeInt(shape.length, true);
        for (long d : shape) output.writeLong(d, true);
        long bytes = c.length() * c.dataType().width();
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("An array of " + bytes + " bytes is too large to serialize in one block");
        }
        byte[] block = new byte[(int) bytes];
        if (bytes > 0) new BytePointer(c.data().addressPointer()).capacity(bytes).get(block);
        output.writeBytes(block);
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
        byte kind = input.readByte();
        if (kind == FALLBACK) return fallback.read(kryo, input, type);
        if (kind == EMPTY) return Nd4j.empty(DataType.values()[input.readInt(true)]);
        DataType dataType = DataType.values()[input.readInt(true)];
        long[] shape = new long[input.readInt(true)];
        for (int i = 0; i < shape.length; i++) shape[i] = input.readLong(true);
        INDArray array = Nd4j.create(dataType, shape, 'c');
        long bytes = array.length() * dataType.width();
        byte[] block = input.readBytes((int) bytes);
        if (bytes > 0) new BytePointer(array.data().addressPointer()).capacity(bytes).put(block);
        return array;
    }

    /** Whether arrays of {@code type} take the bulk path here (numbers and booleans on the CPU backend). */
    private static boolean bulk(DataType type) {
        return CPU && type != DataType.UTF8 && type != DataType.COMPRESSED && type != DataType.UNKNOWN && type.width() > 0;
    }
}
