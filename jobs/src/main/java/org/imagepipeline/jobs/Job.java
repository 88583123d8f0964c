package org.imagepipeline.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.imagepipeline.config.PipelineSettings;

import java.util.List;

/** One {@code deploy/bin/pipeline <job>}: a name, its help, and what it does with the settings. */
interface Job {
    String name();

    /** One line for the job list. */
    String summary();

    /** What --help prints after the usage line: what it reads, writes, and the keys that matter. */
    String help();

    /** The job's own defaults, layered under the user's config files and overrides. */
    default Config defaults() {
        return ConfigFactory.empty();
    }

    /** Runs the job; {@code args} are the positional arguments left after options and key=value. */
    void run(PipelineSettings settings, List<String> args) throws Exception;
}
