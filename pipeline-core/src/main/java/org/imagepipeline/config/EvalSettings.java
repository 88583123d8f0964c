package org.imagepipeline.config;

import java.io.Serializable;
import java.util.Locale;

/** Settings of the evaluate job (pipeline.eval.*). */
public record EvalSettings(String checkpoint, int maxImages, int crop, int border, ColorSpace colorSpace, int samples)
        implements Serializable {

    /** Channels the metrics are computed on (pipeline.eval.color-space); {@code toString()} is the configuration's word. */
    public enum ColorSpace {
        /** Every channel. */
        RGB,
        /** BT.601 luma of colour images. */
        Y;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static EvalSettings read(ConfigReader r) {
        String p = "pipeline.eval.";
        return new EvalSettings(r.string(p + "checkpoint").trim(), r.int32(p + "max-images", 1, Integer.MAX_VALUE),
                r.int32(p + "crop", 0, 1 << 16), r.int32(p + "border", 0, 1 << 10),
                r.choice(p + "color-space", ColorSpace.class), r.int32(p + "samples", 0, 1000));
    }
}
