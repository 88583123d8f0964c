package org.imagepipeline.jobs;

import org.apache.spark.sql.SparkSession;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.runtime.FastPath;
import org.imagepipeline.spark.Sessions;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;

/** What every job needs: its Spark session and, for jobs that write one, its run directory. */
final class Context implements AutoCloseable {
    final PipelineSettings settings;
    final SparkSession spark;

    Context(PipelineSettings settings) {
        this.settings = settings;
        FastPath.requireOrWarn(false);
        this.spark = Sessions.create(settings.spark(), settings.storage());
    }

    /** The run named by run.id, or a new one; a new run gets the effective config saved as config.conf. */
    RunDir run(boolean mustExist) {
        String id = settings.run().id();
        if (id.isEmpty()) {
            if (mustExist) throw new UserError("Set run.id=<id> to name the run to use (see " + settings.run().root() + "/runs)");
            id = RunDir.newId();
        }
        RunDir run = new RunDir(settings.run().root(), id, spark.sparkContext().hadoopConfiguration());
        boolean exists = HadoopIO.exists(run.path(), run.hadoopConf());
        if (mustExist && !exists) throw new UserError("Run " + run + " does not exist");
        if (!exists || !HadoopIO.exists(run.resolve("config.conf"), run.hadoopConf())) {
            run.writeText("config.conf", settings.rendered());
        }
        return run;
    }

    @Override
    public void close() {
        spark.stop();
    }
}
