package org.imagepipeline.config;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Where the model registry lives and whether training registers what it trained
 * (pipeline.registry.*).
 *
 * @param root       Hadoop path of the registry (file:, hdfs:, s3a:); from an empty key, {@code <run.root>/registry}
 * @param registerAs model name under which train-restoration registers its best checkpoint; empty = don't
 */
public record RegistrySettings(String root, String registerAs) implements Serializable {
    /** What a model name may be: it becomes a folder name, and '@' separates a version in references. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    static RegistrySettings read(ConfigReader r, RunSettings run) {
        String p = "pipeline.registry.";
        String root = RunSettings.stripSlash(r.string(p + "root"));
        String registerAs = r.string(p + "register-as").trim();
        if (!registerAs.isEmpty() && !NAME.matcher(registerAs).matches()) {
            r.fail(p + "register-as", "empty or a model name: letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return new RegistrySettings(root.isEmpty() ? run.root() + "/registry" : root, registerAs);
    }
}
