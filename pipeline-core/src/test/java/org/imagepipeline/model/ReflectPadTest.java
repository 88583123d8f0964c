package org.imagepipeline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.imagepipeline.image.Image;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReflectPadTest {

    @Test
    void paddedSizeIsNextMultiple() {
        assertEquals(8, ReflectPad.paddedSize(5, 8));
        assertEquals(8, ReflectPad.paddedSize(8, 8));
        assertEquals(16, ReflectPad.paddedSize(9, 8));
        assertEquals(7, ReflectPad.paddedSize(7, 1));
    }

    @Test
    void mirrorsWithoutRepeatingTheEdge() {
        assertArrayEquals(new long[] {0, 1, 2, 1, 0, 1, 2, 1}, ReflectPad.mirrorIndices(3, 8));
        assertArrayEquals(new long[] {0, 0, 0, 0}, ReflectPad.mirrorIndices(1, 4));
    }

    @Test
    void padsAndCropsAnArray() {
        INDArray x = Nd4j.arange(2 * 3 * 5).castTo(DataType.FLOAT).reshape(1, 2, 3, 5);
        INDArray p = ReflectPad.pad(x, 4);
        assertArrayEquals(new long[] {1, 2, 4, 8}, p.shape());
        // channel 1, row 3 mirrors row 1; columns 5,6,7 mirror 3,2,1
        assertArrayEquals(new float[] {20, 21, 22, 23, 24, 23, 22, 21},
                p.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(3), org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector());
        assertEquals(x, ReflectPad.crop(p, 3, 5));
        assertSame(x, ReflectPad.pad(x, 1));
    }

    @Test
    void padsAndCropsAnImageLikeTheArray() {
        Image img = new Image(3, 5, 6);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = i / 100f;
        }
        Image padded = ReflectPad.pad(img, 4);
        assertEquals(8, padded.height());
        assertEquals(8, padded.width());
        INDArray asArray = Nd4j.create(img.data(), new long[] {1, 3, 5, 6}, DataType.FLOAT);
        assertArrayEquals(ReflectPad.pad(asArray, 4).dup('c').data().asFloat(), padded.data());
        assertEquals(img, ReflectPad.crop(padded, 5, 6));
    }
}
