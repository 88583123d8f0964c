package org.imagepipeline.config;

import java.io.Serializable;

/**
 * The generated image set the demo job and the denoise bench train on (pipeline.demo.*): its size,
 * the share of dead-leaves images in it ({@code dead-leaves-share}, in [0,1]) and the share with a
 * clipped exposure ({@code clipped-share}, in [0,1]).
 */
public record DemoSettings(int images, int size, double deadLeavesShare, double clippedShare) implements Serializable {
    static DemoSettings read(ConfigReader r) {
        return new DemoSettings(r.int32("pipeline.demo.images", 4, 1_000_000), r.int32("pipeline.demo.size", 16, 8192),
                r.number("pipeline.demo.dead-leaves-share", 0, 1), r.number("pipeline.demo.clipped-share", 0, 1));
    }
}
