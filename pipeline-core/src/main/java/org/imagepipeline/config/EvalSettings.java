package org.imagepipeline.config;

import java.io.Serializable;

/** Settings of the evaluate job (pipeline.eval.*). */
public record EvalSettings(String checkpoint, int maxImages, int crop, int border, String colorSpace, int samples)
        implements Serializable {
    static EvalSettings read(ConfigReader r) {
        String p = "pipeline.eval.";
        return new EvalSettings(r.string(p + "checkpoint").trim(), r.int32(p + "max-images", 1, Integer.MAX_VALUE),
                r.int32(p + "crop", 0, 1 << 16), r.int32(p + "border", 0, 1 << 10),
                r.oneOf(p + "color-space", "rgb", "y"), r.int32(p + "samples", 0, 1000));
    }
}
