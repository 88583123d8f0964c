package org.imagepipeline.testing;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Spark listener that records where every task of an application ended and which executors
 * were lost, so tests can check what really ran where. Jobs make their own sessions; register it
 * with {@code spark.extraListeners=org.imagepipeline.testing.TaskRecorder} and read the records
 * in the test JVM (the driver) after {@link #clear()}.
 */
public final class TaskRecorder extends SparkListener {
    /** One ended task attempt: its stage's name, the executor it ran on, and how it ended. */
    public record Task(int stage, String stageName, String executor, boolean successful, String endReason) {}

    private static final List<Task> TASKS = new ArrayList<>();
    private static final List<String> REMOVED = new ArrayList<>();
    private static final Map<Integer, String> STAGE_NAMES = new ConcurrentHashMap<>();

    public static synchronized void clear() {
        TASKS.clear();
        REMOVED.clear();
        STAGE_NAMES.clear();
    }

    public static synchronized List<Task> tasks() {
        return List.copyOf(TASKS);
    }

    /** Executors the driver was told are gone, with the reason, as "id: reason". */
    public static synchronized List<String> removedExecutors() {
        return List.copyOf(REMOVED);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        STAGE_NAMES.put(e.stageInfo().stageId(), e.stageInfo().name());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        synchronized (TaskRecorder.class) {
            TASKS.add(new Task(e.stageId(), STAGE_NAMES.getOrDefault(e.stageId(), "?"), e.taskInfo().executorId(),
                    e.taskInfo().successful(), e.reason().toString()));
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        synchronized (TaskRecorder.class) {
            REMOVED.add(e.executorId() + ": " + e.reason());
        }
    }
}
