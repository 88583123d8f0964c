package org.imagepipeline.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for {@link Main#run} as a user on one machine writes them: the run root and the
 * ingest input ({@code images/}) under a test's folder, Spark on local[2] bound to loopback with
 * no UI, then the test's own settings and the call's extras.
 */
final class LocalArgs {
    private LocalArgs() {}

    static String[] of(Path root, String job, List<String> settings, String... extra) {
        List<String> a = new ArrayList<>(List.of(job,
                "run.root=" + root.toUri(),
                "spark.master=local[2]",
                "spark.conf.\"spark.driver.host\"=127.0.0.1",
                "spark.conf.\"spark.ui.enabled\"=false",
                "ingest.input=" + root.resolve("images").toUri()));
        a.addAll(settings);
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }
}
