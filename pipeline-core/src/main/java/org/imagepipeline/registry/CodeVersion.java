package org.imagepipeline.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version and git commit this code was built from (version.properties, filtered by Maven). */
public final class CodeVersion {
    private CodeVersion() {}

    /** e.g. {@code 0.1.0-SNAPSHOT+3f2a9c1...}, or {@code 0.1.0-SNAPSHOT+unknown} when built without -Dgit.commit. */
    public static String current() {
        Properties p = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("/org/imagepipeline/version.properties")) {
            if (in == null) return "unknown";
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown") + "+" + p.getProperty("commit", "unknown");
    }
}
