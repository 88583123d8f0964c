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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder(ModelType.UNET, 2)
                .dncnnDepth(0).dncnnFeatures(0).batchNorm(false).unetBaseFeatures(0).unetLevels(0).learningRate(0).weightDecay(-1)
                .lrSchedule(LrSchedule.COSINE).lrGamma(1).lrStepEpochs(1).lrCosineIterations(0).lrMinimum(1).adamBeta1(1)
                .adamBeta2(0.999).seed(1).dataType(DataType.INT).build());
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
    void theBuilderHasNoDefaultsAndNamesEveryValueItLacksWithTheOtherProblems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder(ModelType.DNCNN, 2)
                .dncnnDepth(1).lrSchedule(LrSchedule.STEP).lrGamma(2).build());
        String m = e.getMessage();
        for (String part : new String[] {"1 (gray) or 3 (RGB) channels, but had 2.", "a depth of at least 2 conv layers",
                "gamma must lie in (0, 1], but was 2.0", "\"mse\" or \"l1\"", "FLOAT, DOUBLE or HALF",
                "not given (there are no defaults here; reference.conf has them): dncnnFeatures, batchNorm, learningRate, "
                        + "weightDecay, lrStepEpochs, adamBeta1, adamBeta2, seed."}) {
            assertTrue(m.contains(part), "Missing \"" + part + "\" in: " + m);
        }
        assertTrue(m.startsWith("The model settings are invalid: "), m);
        // U-Net values and the cosine schedule's are not needed by this spec, so not asked for.
        assertTrue(!m.contains("unet") && !m.contains("lrMinimum") && !m.contains("lrCosineIterations"), m);
    }

    @Test
    void valuesTheTypeAndScheduleDoNotUseMayStayUnset() {
        ModelSpec dncnn = Specs.dncnn(1, 3, 4, false);
        assertEquals(0, dncnn.unetLevels());
        assertEquals(null, dncnn.unetDownsample());
        assertEquals(0, dncnn.lrCosineIterations());
        assertEquals(dncnn, dncnn.toBuilder().build());
        ModelSpec cosine = dncnn.toBuilder().lrSchedule(LrSchedule.COSINE).lrMinimum(0).lrCosineIterations(7).build();
        assertEquals(70, cosine.withCosineIterations(70).lrCosineIterations());
        assertEquals(cosine, cosine.withCosineIterations(70).withCosineIterations(7), "nothing else changes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Specs.builder(ModelType.DNCNN, 1)
                .dncnnDepth(3).dncnnFeatures(4).batchNorm(false).lrSchedule(LrSchedule.COSINE).build());
        assertTrue(e.getMessage().contains("not given") && e.getMessage().contains("lrCosineIterations, lrMinimum."),
                e.getMessage());
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
