package org.imagepipeline.jobs;

import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.config.SettingsException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatcher behind {@code deploy/bin/pipeline}: {@code <job> [--conf FILE]... [key=value ...]}.
 * Settings are loaded and validated before any job starts Spark; a bad key exits with status 2
 * and every problem listed.
 */
public final class Main {
    static final Map<String, Job> JOBS = new LinkedHashMap<>();

    static {
        for (Job j : List.of(new DemoJob(), new IngestJob(), new PrepareJob(), new TrainRestorationJob(),
                new EvaluateJob(), new RestoreJob(), new BenchJob(), new GpuCheckJob(), new ModelsJob(), new TrainGanJob(),
                new GenerateJob())) {
            JOBS.put(j.name(), j);
        }
    }

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Parsed command line. */
    record Args(String job, List<Path> confFiles, Map<String, String> overrides, List<String> positional, boolean help) {}

    static Args parse(String[] argv) {
        String job = null;
        List<Path> conf = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
            } else if (a.equals("--conf")) {
                if (i + 1 >= argv.length) throw new IllegalArgumentException("--conf needs a file name after it");
                conf.add(Path.of(argv[++i]));
            } else if (a.startsWith("--conf=")) {
                conf.add(Path.of(a.substring("--conf=".length())));
            } else if (a.startsWith("--")) {
                throw new IllegalArgumentException("Unknown option " + a + "; options are --conf FILE and --help, "
                        + "settings are given as key=value");
            } else if (job == null) {
                job = a;
            } else if (a.contains("=") && !a.startsWith("=")) {
                int eq = a.indexOf('=');
                overrides.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                positional.add(a);
            }
        }
        return new Args(job, conf, overrides, positional, help);
    }

    static int run(String[] argv) {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (args.job() == null) {
            System.out.println(usage());
            return args.help() ? 0 : 2;
        }
        Job job = JOBS.get(args.job());
        if (job == null) {
            System.err.println("error: unknown job '" + args.job() + "'\n\n" + usage());
            return 2;
        }
        if (args.help()) {
            System.out.println("usage: pipeline " + job.name() + " [--conf FILE]... [key=value ...]\n\n"
                    + job.summary() + "\n\n" + job.help().strip() + "\n\n"
                    + "Settings: every key and its default is documented in pipeline-core's reference.conf;\n"
                    + "conf/application.conf is the local default, --conf FILE replaces it (repeat to layer files),\n"
                    + "key=value overrides (the 'pipeline.' prefix is optional).");
            return 0;
        }
        PipelineSettings settings;
        try {
            settings = PipelineSettings.load(args.confFiles(), args.overrides(), job.defaults());
        } catch (SettingsException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        try {
            job.run(settings, args.positional());
            return 0;
        } catch (UserError e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("error: " + job.name() + " failed: " + e);
            e.printStackTrace(System.err);
            return 1;
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: pipeline <job> [--conf FILE]... [key=value ...]\n\njobs:\n");
        JOBS.values().forEach(j -> sb.append(String.format("  %-18s %s%n", j.name(), j.summary())));
        sb.append("\n'pipeline <job> --help' describes one job.");
        return sb.toString();
    }
}
