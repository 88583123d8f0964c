package org.imagepipeline.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.registry.ModelVersion;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.MetricsLog;
import org.imagepipeline.store.RunDir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run lifecycle on a scripted flow and a clock the test moves: every step takes a known time,
 * so the time budget, the schedule's progress and the stop are exact, without waiting.
 */
class TrainingRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    java.nio.file.Path tmp;
    private RunDir run;
    private long now;

    @BeforeEach
    void setUp() {
        run = new RunDir("file:" + tmp, "r1", new Configuration());
    }

    /** Records what the lifecycle asked of it; each step advances the clock by {@code stepSeconds}. */
    private class Scripted implements TrainingRun.Flow {
        final int planned;
        final long budget;
        double stepSeconds = 1;
        String hash = "h-now";
        Optional<TrainingRun.Resumed> resumable = Optional.empty();
        int nanAt = -1;
        int stopAt = -1;
        final List<Double> progress = new ArrayList<>();
        final List<Boolean> last = new ArrayList<>();
        final List<Integer> checkpointsAfter = new ArrayList<>();
        boolean fresh;
        int done;

        Scripted(int planned, long budget) {
            this.planned = planned;
            this.budget = budget;
        }

        @Override
        public TrainingRun.Plan plan() {
            return new TrainingRun.Plan("step", planned, budget, hash, new CheckpointStore(run.checkpoints(), run.hadoopConf()), 2);
        }

        @Override public Optional<TrainingRun.Resumed> resume() { return resumable; }
        @Override public void startFresh() { fresh = true; }

        @Override
        public TrainingRun.Outcome train(TrainingRun.Step step) {
            now += (long) (stepSeconds * SECOND);
            progress.add(step.progress());
            last.add(step.last());
            step.requireFinite("loss", step.index() + 1 == nanAt ? Double.NaN : 0.5, "Lower the rate");
            done = step.index() + 1;
            ObjectNode line = JSON.createObjectNode().put("step", done);
            return new TrainingRun.Outcome(line, true, done == stopAt ? "early stopping: scripted" : null);
        }

        @Override
        public Path writeCheckpoint() {
            checkpointsAfter.add(done);
            return new Path(run.checkpoints(), "step-" + done);
        }

        @Override public Optional<Path> registrable() { return Optional.of(new Path(run.checkpoints(), "step-" + done)); }
    }

    private TrainingRun.Result execute(Scripted flow, boolean resume, String registerAs, Function<Path, ModelVersion> register) {
        return new TrainingRun("Test training", run, flow, resume,
                new TrainingRun.Registration(Set::of, registerAs, register), () -> now).execute();
    }

    private TrainingRun.Result execute(Scripted flow, boolean resume) {
        return execute(flow, resume, "", p -> {
            throw new AssertionError("registered without registry.register-as");
        });
    }

    @Test
    void withoutBudgetEveryPlannedStepRunsAtItsShareOfTheRun() {
        Scripted flow = new Scripted(4, 0);
        TrainingRun.Result r = execute(flow, false);
        assertTrue(flow.fresh);
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75), flow.progress, "progress = steps done / planned, as the schedules had it");
        assertEquals(List.of(false, false, false, true), flow.last);
        assertEquals(4, r.stepsDone());
        assertFalse(r.stoppedEarly());
        assertEquals("completed 4 steps", r.stopReason());
        assertEquals(List.of(1, 2, 3, 4), flow.checkpointsAfter);
        assertEquals(4, MetricsLog.read(run).size());
    }

    @Test
    void budgetStoppedRunEndsAtTheScheduleFinalValue() {
        // 100 steps planned, 1 s each, a 10 s budget: the budget decides, and the schedule follows it.
        Scripted flow = new Scripted(100, 10);
        TrainingRun.Result r = execute(flow, false);
        assertEquals(10, r.stepsDone(), "every step that fits the budget, and not one past it");
        assertTrue(r.stoppedEarly());
        assertTrue(r.stopReason().startsWith("time budget of 10 s"), r.stopReason());
        assertEquals(1.0, flow.progress.get(flow.progress.size() - 1), 0, "the last step trains at the schedule's end");
        assertTrue(flow.last.get(9) && !flow.last.subList(0, 9).contains(true), "only the last step is told it is last");
        for (int k = 1; k < 9; k++) {
            assertEquals(k / 10.0, flow.progress.get(k), 1e-12, "seconds used / budget leads steps done / planned at step " + k);
        }
        assertTrue(now <= 10 * SECOND, "the budget is a ceiling: ended at " + now / 1e9 + " s");
        assertEquals(10, flow.checkpointsAfter.get(flow.checkpointsAfter.size() - 1), "the last step is checkpointed");
    }

    @Test
    void aStepSlowerThanForeseenIsNotFollowedByOneThatWouldOverrunTheBudget() {
        Scripted flow = new Scripted(100, 10) {
            @Override
            public TrainingRun.Outcome train(TrainingRun.Step step) {
                stepSeconds = step.index() == 2 ? 6 : 1;
                return super.train(step);
            }
        };
        TrainingRun.Result r = execute(flow, false);
        // Steps of 1, 1, 6 s: after 8 s, another step as slow as the slowest would end at 14 s.
        assertEquals(3, r.stepsDone());
        assertTrue(r.stoppedEarly(), r.stopReason());
        assertEquals(8 * SECOND, now);
    }

    @Test
    void resumeContinuesAfterTheCheckpointAndDropsTheLinesOfRepeatedSteps() {
        for (int i = 1; i <= 5; i++) run.appendMetrics("{\"step\":" + i + "}");
        Scripted flow = new Scripted(6, 0);
        flow.resumable = Optional.of(new TrainingRun.Resumed(new Path(run.checkpoints(), "step-3"), "h-now", 3));
        TrainingRun.Result r = execute(flow, true);
        assertFalse(flow.fresh, "a resumed run does not build new networks");
        assertEquals(List.of(0.5, 4 / 6.0, 5 / 6.0), flow.progress, "steps 4..6 at their place in the run");
        List<Integer> steps = MetricsLog.read(run).stream().map(n -> n.get("step").asInt()).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6), steps, "lines 4 and 5 of the crashed session were dropped, then written again");
        assertEquals(6, r.stepsDone());
    }

    @Test
    void resumeRefusesACheckpointOfOtherSettings() {
        Scripted flow = new Scripted(6, 0);
        flow.resumable = Optional.of(new TrainingRun.Resumed(new Path(run.checkpoints(), "step-3"), "h-before", 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> execute(flow, true));
        assertTrue(e.getMessage().startsWith("Cannot resume " + run) && e.getMessage().contains("step-3")
                && e.getMessage().contains("config hash h-before, now h-now"), e.getMessage());
        assertTrue(flow.progress.isEmpty(), "nothing was trained");
    }

    @Test
    void resumeWithoutACheckpointStartsFresh() {
        Scripted flow = new Scripted(2, 0);
        execute(flow, true);
        assertTrue(flow.fresh);
        assertEquals(2, flow.progress.size());
    }

    @Test
    void divergenceNamesTheStepTheLossAndTheLastGoodCheckpoint() {
        Scripted flow = new Scripted(10, 0);
        flow.nanAt = 3;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> execute(flow, false));
        assertEquals("Test training diverged at step 3: the loss is NaN; the last good checkpoint "
                + new Path(run.checkpoints(), "step-2") + " is kept. Lower the rate", e.getMessage());
        assertEquals(List.of(1, 2), flow.checkpointsAfter);
        assertEquals(2, MetricsLog.read(run).size(), "no metrics line for the diverged step");
    }

    @Test
    void divergenceBeforeAnyCheckpointSaysSo() {
        Scripted flow = new Scripted(10, 0);
        flow.nanAt = 1;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> execute(flow, false));
        assertTrue(e.getMessage().contains("no checkpoint was written yet"), e.getMessage());
    }

    @Test
    void earlyStopCommitsTheStepsCheckpointFirst() {
        Scripted flow = new Scripted(10, 0);
        flow.stopAt = 4;
        TrainingRun.Result r = execute(flow, false);
        assertEquals(4, r.stepsDone());
        assertTrue(r.stoppedEarly());
        assertEquals("early stopping: scripted", r.stopReason());
        assertEquals(4, flow.checkpointsAfter.get(flow.checkpointsAfter.size() - 1));
    }

    @Test
    void registersTheFlowsCheckpointWhenAsked() {
        Scripted flow = new Scripted(2, 0);
        List<Path> registered = new ArrayList<>();
        TrainingRun.Result r = execute(flow, false, "den", p -> {
            registered.add(p);
            return new ModelVersion("den", 1, p.toString(), Map.of(), "", flow.hash, "", "");
        });
        assertEquals(List.of(new Path(run.checkpoints(), "step-2")), registered);
        assertEquals("den@1", r.registered().orElseThrow().ref());
    }

    @Test
    void progressIsTheLargerShareAndNeverPastTheEnd() {
        assertEquals(0.3, TrainingRun.progress(3, 10, 1, 100), 1e-12);
        assertEquals(0.5, TrainingRun.progress(3, 10, 50, 100), 1e-12);
        assertEquals(1.0, TrainingRun.progress(3, 10, 150, 100), 0, "a budget overrun");
        assertEquals(0.3, TrainingRun.progress(3, 10, 1e9, 0), 1e-12, "budget 0: none");
    }
}
