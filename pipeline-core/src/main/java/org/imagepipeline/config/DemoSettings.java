package org.imagepipeline.config;

import java.io.Serializable;

/** Size of the generated image set the demo job trains on (pipeline.demo.*). */
public record DemoSettings(int images, int size) implements Serializable {
    static DemoSettings read(ConfigReader r) {
        return new DemoSettings(r.int32("pipeline.demo.images", 4, 1_000_000), r.int32("pipeline.demo.size", 16, 8192));
    }
}
