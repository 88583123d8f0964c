package org.imagepipeline.jobs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: help for every job, and bad settings stopping before Spark starts. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String stdout() { return out.toString(StandardCharsets.UTF_8); }
    private String stderr() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void everyJobHasHelp() {
        for (String job : Main.JOBS.keySet()) {
            out.reset();
            assertEquals(0, Main.run(new String[] {job, "--help"}), job);
            assertTrue(stdout().startsWith("usage: pipeline " + job), stdout());
            assertTrue(stdout().contains("reference.conf"), stdout());
        }
    }

    @Test
    void noJobPrintsTheJobListAndFails() {
        assertEquals(2, Main.run(new String[0]));
        for (String job : new String[] {"demo", "ingest", "prepare", "train-restoration", "evaluate", "bench"}) {
            assertTrue(stdout().contains(job), stdout());
        }
    }

    @Test
    void unknownJobIsNamed() {
        assertEquals(2, Main.run(new String[] {"trian"}));
        assertTrue(stderr().contains("unknown job 'trian'"), stderr());
    }

    @Test
    void invalidSettingsExitWithStatus2AndListEveryProblem() {
        int rc = Main.run(new String[] {"train-restoration", "train.epochs=0", "model.channels=2", "train.bogus=1"});
        assertEquals(2, rc);
        String e = stderr();
        assertTrue(e.contains("pipeline.train.epochs: expected an integer in [1, 1000000], got 0"), e);
        assertTrue(e.contains("pipeline.model.channels"), e);
        assertTrue(e.contains("pipeline.train.bogus: unknown key"), e);
    }

    @Test
    void missingConfFileIsAClearError() {
        assertEquals(2, Main.run(new String[] {"ingest", "--conf", "/nonexistent/x.conf"}));
        assertTrue(stderr().contains("/nonexistent/x.conf: expected a readable HOCON file"), stderr());
    }

    @Test
    void benchesOnUserDataNeedTheirFolderAndSayWhatItHolds() {
        for (String bench : new String[] {"denoise", "restore", "gan", "gan-restoration"}) {
            err.reset();
            assertEquals(1, Main.run(new String[] {"bench", bench}), bench);
            assertTrue(stderr().contains("bench " + bench + " needs its data folder as the first argument"), stderr());
        }
        err.reset();
        assertEquals(1, Main.run(new String[] {"bench", "gan", "none"}), "none is restore's word for no photos, not gan's");
        assertTrue(stderr().contains("the data folder"), stderr());
        err.reset();
        assertEquals(1, Main.run(new String[] {"bench", "denoise", "/nonexistent/photos"}));
        assertTrue(stderr().contains("the data folder /nonexistent/photos does not exist"), stderr());
    }

    @Test
    void ingestWithoutInputSaysWhichKeyIsNeeded() {
        assertEquals(1, Main.run(new String[] {"ingest"}));
        assertTrue(stderr().contains("ingest.input"), stderr());
    }

    @Test
    void demoDefaultsSitUnderUserOverrides() throws Exception {
        var s = org.imagepipeline.config.PipelineSettings.load(java.util.List.of(),
                java.util.Map.of("train.epochs", "2"), new DemoJob().defaults());
        assertEquals(2, s.train().epochs());
        assertEquals(10, s.model().dncnnDepth(), "the demo's smaller network");
    }
}
