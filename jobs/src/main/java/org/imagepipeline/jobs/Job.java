package org.imagepipeline.jobs;

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
    default com.typesafe.config.Config defaults() {
        return com.typesafe.config.ConfigFactory.empty();
    }

    /** Runs the job; {@code args} are the positional arguments left after options and key=value. */
    void run(PipelineSettings settings, List<String> args) throws Exception;
}
