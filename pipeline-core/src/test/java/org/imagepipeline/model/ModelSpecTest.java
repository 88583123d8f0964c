package org.imagepipeline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ModelSpecTest {

    @Test
    void reportsEveryProblemAtOnceInSentences() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelType.UNET, 2, 0, 0, false,
                0, 0, null, null, null, 0, -1, LrSchedule.COSINE, 1, 1, 0, 1, 1, 0.999, 1, DataType.INT));
        String m = e.getMessage();
        for (String part : new String[] {"1 (gray) or 3 (RGB) channels, but had 2.", "at least 1 base feature map",
                "between 1 and 8 levels", "\"maxpool\" or \"strided\"", "\"upsample\" or \"deconv\"", "\"mse\" or \"l1\"",
                "learning rate must be a finite number above 0", "weight decay", "at least 1 iteration",
                "minimum learning rate", "beta1", "FLOAT, DOUBLE or HALF"}) {
            assertTrue(m.contains(part), "Missing \"" + part + "\" in: " + m);
        }
        // DnCNN fields are not checked for a U-Net
        assertTrue(!m.contains("DnCNN"), m);
    }

    @Test
    void sizeMultipleFollowsTheLevels() {
        assertEquals(1, Specs.dncnn(1, 17, 64, true).sizeMultiple());
        assertEquals(8, Specs.unet(3, 32, 3, UnetDownsample.MAXPOOL, UnetUpsample.UPSAMPLE).sizeMultiple());
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ModelSpec spec = Specs.unet(3, 32, 3, UnetDownsample.STRIDED, UnetUpsample.DECONV);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(spec, in.readObject());
        }
    }
}
