package org.imagepipeline.restore;

import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.RestoreSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputPlanTest {
    @Test
    void sameFormatKeepsPngJpegTiffNamesAndTurnsOthersIntoPng() {
        assertEquals("jpeg", OutputPlan.format(RestoreSettings.Format.SAME, "a/b.JPG"));
        assertEquals("a/b.JPG", OutputPlan.outputRel("a/b.JPG", "jpeg"));
        assertEquals("tiff", OutputPlan.format(RestoreSettings.Format.SAME, "scan.tif"));
        assertEquals("png", OutputPlan.format(RestoreSettings.Format.SAME, "old.gif"));
        assertEquals("old.png", OutputPlan.outputRel("old.gif", "png"));
        assertEquals("png", OutputPlan.format(RestoreSettings.Format.SAME, "no-extension"));
        assertEquals("no-extension.png", OutputPlan.outputRel("no-extension", "png"));
        assertEquals("dir.v2/file.jpg", OutputPlan.outputRel("dir.v2/file.png", "jpeg"));
        assertNull(OutputPlan.formatOfName("archive.tar"));
    }

    @Test
    void outputsStayUnderTheRoot() {
        Path root = new Path("file:/data/out");
        assertEquals("file:/data/out/a%20b/%C3%BC:%25.png", OutputPlan.under(root, "a b/ü:%.png").toUri().toASCIIString());
        for (String bad : List.of("../x.png", "a/../../x.png", "/etc/x.png", "a//x.png", "./x.png", "a\\..\\x.png", "")) {
            assertThrows(IllegalArgumentException.class, () -> OutputPlan.under(root, bad), bad);
        }
    }

    @Test
    void twoInputsWithOneOutputNameCollideAndTheSecondFails() {
        var plans = BulkRestore.plan(List.of(
                new InputListing.Entry("x.JPG", "file:/in/x.JPG", 10, null),
                new InputListing.Entry("x.png", "file:/in/x.png", 10, null),
                new InputListing.Entry("y.png", "file:/in/y.png", 10, null)), RestoreSettings.Format.PNG);
        assertEquals("x.png", plans.get(0).outRel());
        assertNull(plans.get(0).failure());
        assertTrue(plans.get(1).failure().contains("already the output of x.JPG"), plans.get(1).failure());
        assertNull(plans.get(2).failure());
    }
}
