package org.imagepipeline.restoration;

import org.imagepipeline.model.CosineSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The restoration trainer's learning rate follows the run's progress, which the time budget can lead. */
class LearningRateTest {
    private static final int EPOCHS = 7;
    private static final long ITERS = 324;

    @Test
    void withoutBudgetEachEpochGetsWhatTheScheduleGivesItsFirstIteration() {
        ISchedule cosine = new CosineSchedule(1e-3, 1e-5, (int) (EPOCHS * ITERS));
        ISchedule step = new StepSchedule(ScheduleType.EPOCH, 1e-3, 0.5, 2);
        for (int k = 0; k < EPOCHS; k++) {
            double progress = (double) k / EPOCHS;
            assertEquals(cosine.valueAt((int) (k * ITERS), k), RestorationTrainer.learningRate(cosine, 1e-3, EPOCHS, ITERS, progress), 0);
            assertEquals(step.valueAt((int) (k * ITERS), k), RestorationTrainer.learningRate(step, 1e-3, EPOCHS, ITERS, progress), 0);
        }
    }

    @Test
    void aRunThatTheBudgetEndsAtProgressOneEndsAtTheScheduleFinalValue() {
        // 7 epochs planned, 3 fit the budget: the lifecycle gives the third progress 1.
        ISchedule cosine = new CosineSchedule(1e-3, 1e-5, (int) (EPOCHS * ITERS));
        assertEquals(1e-5, RestorationTrainer.learningRate(cosine, 1e-3, EPOCHS, ITERS, 1.0), 1e-15);
        ISchedule step = new StepSchedule(ScheduleType.EPOCH, 1e-3, 0.5, 2);
        assertEquals(1e-3 * Math.pow(0.5, 3), RestorationTrainer.learningRate(step, 1e-3, EPOCHS, ITERS, 1.0), 1e-15,
                "the step schedule's rate after all 7 epochs");
        // Halfway through the budget is halfway through the schedule, not 1/7 of it.
        assertEquals(cosine.valueAt((int) Math.round(3.5 * ITERS), 3), RestorationTrainer.learningRate(cosine, 1e-3, EPOCHS, ITERS, 0.5), 0);
        assertEquals(5.05e-4, RestorationTrainer.learningRate(cosine, 1e-3, EPOCHS, ITERS, 0.5), 1e-12);
    }

    @Test
    void aConstantRateStaysConstant() {
        assertEquals(2e-4, RestorationTrainer.learningRate(null, 2e-4, EPOCHS, ITERS, 1.0), 0);
    }
}
