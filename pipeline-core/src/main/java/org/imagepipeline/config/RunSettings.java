package org.imagepipeline.config;

import java.io.Serializable;

/**
 * Where a run lives and how it is seeded.
 *
 * @param root Hadoop path under which runs/ and catalog/ live
 * @param id   run id; empty means "make a new one"
 * @param seed the seed every random choice of the run derives from
 */
public record RunSettings(String root, String id, long seed) implements Serializable {
    static RunSettings read(ConfigReader r) {
        String root = r.string("pipeline.run.root");
        if (root.isBlank()) r.fail("pipeline.run.root", "a Hadoop path such as work, file:/data/pipeline or hdfs://nn/pipeline");
        String id = r.string("pipeline.run.id");
        if (!id.matches("[A-Za-z0-9._-]*")) {
            r.fail("pipeline.run.id", "letters, digits, '.', '_' or '-' only (it becomes a folder name)");
        }
        return new RunSettings(stripSlash(root), id, r.integer("pipeline.run.seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    static String stripSlash(String path) {
        String p = path.trim();
        while (p.endsWith("/") && !p.endsWith("://")) p = p.substring(0, p.length() - 1);
        return p;
    }
}
