package org.imagepipeline.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.ModelVersion;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.MetricsLog;
import org.imagepipeline.store.RunDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The one lifecycle of a training run, whatever it trains (restoration, adversarial restoration,
 * the GAN): resume from the newest committed checkpoint with the training-hash check, the step
 * loop with its learning-rate progress, the divergence stop, metrics lines, checkpoint commits,
 * retention that spares checkpoints the model registry points at, and the time budget. A
 * {@link Flow} supplies only what differs: its networks, one step of training, and what a
 * checkpoint holds.
 *
 * <p>A step is an epoch (restoration) or a round (GAN). The schedule's progress at the start of
 * step k is max(k / planned steps, seconds used / time budget), so a run that its budget stops
 * anneals as far as one that runs every planned step. The budget is a ceiling: a step is not
 * started when the slowest step so far says it would end past it, and the step that the budget
 * makes the last one is told so before it starts and trains at progress 1, the schedule's final
 * value.
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /** The checkpoint a flow resumed from: its directory, recorded training hash and steps done. */
    public record Resumed(Path dir, String trainingHash, int stepsDone) {}

    /** What one step left for the lifecycle: a metrics line (or null), whether to commit a checkpoint, an early stop. */
    public record Outcome(ObjectNode metricsLine, boolean checkpoint, String stopReason) {
        public static Outcome of(ObjectNode metricsLine, boolean checkpoint) {
            return new Outcome(metricsLine, checkpoint, null);
        }
    }

    /** How the run ended, and the model version it registered (when registry.register-as names a model). */
    public record Result(int stepsDone, String stopReason, boolean stoppedEarly, Path lastCheckpoint,
                         Optional<ModelVersion> registered) {}

    /**
     * What a flow is planned to do: its step counter's name in metrics.jsonl ("epoch" or "step"),
     * the steps planned (train.epochs, gan.steps), this session's time budget in seconds (0: none),
     * the training hash of the current settings, and where its checkpoints go and how many
     * committed ones are kept (0: all).
     */
    public record Plan(String counter, int steps, long timeBudgetSeconds, String trainingHash, CheckpointStore checkpoints,
                       int keepCheckpoints) {}

    /** One training flow, as the lifecycle drives it. */
    public interface Flow {
        Plan plan();

        /** Whether a checkpoint that recorded {@code hash} may be continued with the current settings. */
        default boolean acceptsTrainingHash(String hash) {
            return plan().trainingHash().equals(hash);
        }

        /** Loads the newest committed checkpoint into the flow; empty when there is none. */
        Optional<Resumed> resume();

        /** Builds the networks and state of a new run. */
        void startFresh();

        /** Trains one step. */
        Outcome train(Step step);

        /** Commits a checkpoint of the current state; returns its directory. */
        Path writeCheckpoint();

        /** The checkpoint number that retention must also spare (the best epoch), or -1. */
        default int spareCheckpoint() {
            return -1;
        }

        /** The checkpoint to register as a new model version when the run ends, if this flow registers any. */
        default Optional<Path> registrable() {
            return Optional.empty();
        }
    }

    /** The step being trained: its index, schedule progress, whether it is the last, and checks. */
    public final class Step {
        private final int index;
        private final double progress;
        private final boolean last;

        private Step(int index, double progress, boolean last) {
            this.index = index;
            this.progress = progress;
            this.last = last;
        }

        /** 0-based index of this step; {@code index() + 1} steps are done after it. */
        public int index() {
            return index;
        }

        /** Where the learning-rate schedule stands for this step, in [0, 1]. */
        public double progress() {
            return progress;
        }

        /** Whether the run ends after this step (its last planned step, or the last its time budget allows). */
        public boolean last() {
            return last;
        }

        /** Seconds since this session's first step started. */
        public double sessionSeconds() {
            return (clock.getAsLong() - started) / 1e9;
        }

        /**
         * Stops the run when {@code loss} is not finite: the message names the step, the loss and
         * the last good checkpoint, which is kept; {@code advice} says what to change.
         */
        public void requireFinite(String what, double loss, String advice) {
            if (Double.isFinite(loss)) return;
            throw new IllegalStateException(String.format(Locale.ROOT, "%s diverged at %s %d: the %s is %s; %s. %s", name,
                    plan.counter(), index + 1, what, loss, lastCheckpoint == null ? "no checkpoint was written yet"
                            : "the last good checkpoint " + lastCheckpoint + " is kept", advice));
        }
    }

    private final String name;
    private final RunDir run;
    private final Flow flow;
    private final Plan plan;
    private final boolean resume;
    private final Registration registration;
    private final LongSupplier clock;
    private long started;
    private Path lastCheckpoint;

    /**
     * The registry as a run uses it: the checkpoints its versions point at (retention spares them),
     * and registering the run's checkpoint under {@code registerAs} (empty: none).
     */
    record Registration(Supplier<Set<String>> pinned, String registerAs, Function<Path, ModelVersion> register) {}

    /**
     * A run of {@code flow} in {@code run}; {@code name} starts its messages ("Training", "GAN
     * training"). Retention spares the checkpoints that {@code registry}'s versions point at; with
     * a non-empty {@code registerAs} the flow's {@link Flow#registrable()} checkpoint becomes that
     * model's next version when the run ends, its catalog being {@code catalogDir}.
     */
    public TrainingRun(String name, RunDir run, Flow flow, boolean resume, ModelRegistry registry, String registerAs,
                       String catalogDir) {
        this(name, run, flow, resume, new Registration(registry::referencedCheckpoints, registerAs,
                checkpoint -> registry.register(registerAs, checkpoint, catalogDir)), System::nanoTime);
    }

    TrainingRun(String name, RunDir run, Flow flow, boolean resume, Registration registration, LongSupplier clock) {
        this.name = name;
        this.run = run;
        this.flow = flow;
        this.plan = flow.plan();
        this.resume = resume;
        this.registration = registration;
        this.clock = clock;
    }

    /** Resumes or starts the flow and trains it until its last step, an early stop or the time budget. */
    public Result execute() {
        int done = 0;
        Optional<Resumed> resumed = resume ? flow.resume() : Optional.empty();
        if (resumed.isPresent()) {
            Resumed r = resumed.get();
            if (!flow.acceptsTrainingHash(r.trainingHash())) {
                throw new IllegalStateException("Cannot resume " + run + ": checkpoint " + r.dir() + " was trained with other "
                        + "settings (config hash " + r.trainingHash() + ", now " + plan.trainingHash() + "); resume with the "
                        + "run's own config.conf or start a new run");
            }
            done = r.stepsDone();
            lastCheckpoint = r.dir();
            // A run that died between a metrics line and its checkpoint repeats those steps: drop their lines.
            MetricsLog.truncateAfter(run, plan.counter(), done);
            LOG.info("Resuming {} from {} ({} {})", run, r.dir(), plan.counter(), done);
        } else {
            if (resume) LOG.warn("resume requested but {} has no complete checkpoint: starting from scratch", run);
            flow.startFresh();
        }

        int planned = plan.steps();
        int stepsDone = done;
        long budget = plan.timeBudgetSeconds();
        String stopReason = "completed " + planned + " " + plan.counter() + "s";
        boolean stoppedEarly = false;
        started = clock.getAsLong();
        double slowest = 0;
        for (int k = done; k < planned; k++) {
            long stepStarted = clock.getAsLong();
            double used = (stepStarted - started) / 1e9;
            if (budget > 0 && slowest > 0 && used + slowest > budget) {
                // The last step was slower than the ones before foretold: none of that length fits any more.
                stopReason = budgetStop(budget, used, k, slowest);
                stoppedEarly = true;
                break;
            }
            // This step and one more as slow as the slowest so far would end past the budget: this is the last.
            boolean lastByBudget = budget > 0 && k + 1 < planned && slowest > 0 && used + 2 * slowest > budget;
            double progress = lastByBudget ? 1.0 : progress(k, planned, used, budget);
            Step step = new Step(k, progress, lastByBudget || k + 1 == planned);
            Outcome out = flow.train(step);
            stepsDone = k + 1;
            if (out.metricsLine() != null) run.appendMetrics(out.metricsLine().toString());
            // After the metrics line: a crash in between repeats this step on resume, which drops the line.
            if (out.checkpoint()) {
                lastCheckpoint = flow.writeCheckpoint();
                plan.checkpoints().retain(plan.keepCheckpoints(), flow.spareCheckpoint(), registration.pinned().get());
            }
            slowest = Math.max(slowest, (clock.getAsLong() - stepStarted) / 1e9);
            if (out.stopReason() != null) {
                stopReason = out.stopReason();
                stoppedEarly = true;
                break;
            }
            if (lastByBudget) {
                stopReason = budgetStop(budget, step.sessionSeconds(), k + 1, slowest);
                stoppedEarly = true;
                break;
            }
        }
        LOG.info("{} stopped: {}", name, stopReason);
        Optional<ModelVersion> registered = Optional.empty();
        if (!registration.registerAs().isEmpty()) {
            Optional<Path> candidate = flow.registrable();
            if (candidate.isEmpty()) {
                LOG.warn("pipeline.registry.register-as = {}: this run has no checkpoint to register", registration.registerAs());
            } else {
                registered = Optional.of(registration.register().apply(candidate.get()));
                LOG.info("Registered {} as {}", candidate.get(), registered.get().ref());
            }
        }
        return new Result(stepsDone, stopReason, stoppedEarly, lastCheckpoint, registered);
    }

    private String budgetStop(long budget, double used, int stepsDone, double slowest) {
        return String.format(Locale.ROOT, "time budget of %d s: %.0f s used after %s %d, another %s (up to %.0f s) would not fit",
                budget, used, plan.counter(), stepsDone, plan.counter(), slowest);
    }

    /** The schedule's progress at the start of step {@code k}: max(k / planned, seconds used / budget), at most 1. */
    static double progress(int k, int planned, double secondsUsed, long budget) {
        double bySteps = (double) k / planned;
        return Math.min(1.0, budget > 0 ? Math.max(bySteps, secondsUsed / budget) : bySteps);
    }
}
