package org.imagepipeline.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What people look at after a run, opened by the real tools: {@code report/index.html} in headless
 * Chromium, and {@code notebooks/run_report.ipynb} executed by Jupyter. Both read one small run that
 * the demo job writes once for the class. The tools are Debian packages that
 * {@code .ci/install-test-tools} installs; a missing one fails the test with the package to install.
 */
class RunViewersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path tmp;
    static Path run;
    static JsonNode eval;
    static JsonNode lastEpoch;

    @BeforeAll
    static void demoRun() throws IOException {
        int rc = Main.run(new String[] {"demo",
                "run.root=" + tmp.toUri(), "run.id=viewers",
                "spark.master=local[2]",
                "spark.conf.\"spark.driver.host\"=127.0.0.1",
                "spark.conf.\"spark.driver.bindAddress\"=127.0.0.1",
                "spark.conf.\"spark.ui.enabled\"=false",
                "spark.conf.\"spark.sql.shuffle.partitions\"=4",
                "demo.images=24", "demo.size=48",
                // A quarter each for val and test, so that 24 images leave a few for each.
                "ingest.val-fraction=0.25", "ingest.test-fraction=0.25",
                "model.dncnn.depth=4", "model.dncnn.features=12",
                "prepare.patch-size=24", "prepare.patches-per-image=8",
                "train.epochs=1", "train.batch-size-per-worker=8", "train.averaging-frequency=2",
                "train.val-max-images=4", "train.val-crop=48",
                "eval.crop=48", "eval.samples=2"});
        assertEquals(0, rc, "the demo job failed; its output is above");
        run = tmp.resolve("runs/viewers");
        eval = JSON.readTree(run.resolve("eval/metrics.json").toFile());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        lastEpoch = JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void notebookExecutesAndShowsTheRunsNumbersAndImages() throws Exception {
        Path jupyter = requireTool("jupyter", "jupyter-nbconvert python3-ipykernel python3-matplotlib python3-pandas");
        Path notebook = repoFile("notebooks/run_report.ipynb");
        Path outDir = Files.createDirectories(tmp.resolve("notebook"));
        ToolRun r = runTool(List.of(jupyter.toString(), "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=120", "--output-dir", outDir.toString(), "--output", "executed",
                        notebook.toString()),
                Map.of("PIPELINE_RUN_DIR", run.toUri().toString(), "PYDEVD_DISABLE_FILE_VALIDATION", "1"),
                outDir.resolve("nbconvert"), 180);
        assertEquals(0, r.exitCode, "jupyter nbconvert --execute failed (a missing python3 kernel or library: run "
                + ".ci/install-test-tools):\n" + r.output);

        JsonNode executed = JSON.readTree(outDir.resolve("executed.ipynb").toFile());
        StringBuilder text = new StringBuilder();
        List<byte[]> pngs = new ArrayList<>();
        for (JsonNode cell : executed.get("cells")) {
            for (JsonNode out : cell.path("outputs")) {
                assertTrue(!"error".equals(out.path("output_type").asText()), "a cell failed: " + out);
                text.append(joined(out.path("text")));
                text.append(joined(out.path("data").path("text/plain")));
                text.append(joined(out.path("data").path("text/html")));
                if (out.path("data").has("image/png")) {
                    pngs.add(Base64.getMimeDecoder().decode(joined(out.path("data").path("image/png"))));
                }
            }
        }
        String all = text.toString();
        JsonNode in = eval.get("input");
        JsonNode out = eval.get("output");
        for (String expected : List.of(
                String.format(Locale.ROOT, "test split (%d images): degraded input PSNR %.2f dB / SSIM %.4f",
                        eval.get("images").asInt(), in.get("psnr").asDouble(), in.get("ssim").asDouble()),
                String.format(Locale.ROOT, "restored PSNR %.2f dB / SSIM %.4f; gain %+.2f dB",
                        out.get("psnr").asDouble(), out.get("ssim").asDouble(), eval.get("psnr_gain_db").asDouble()),
                String.format(Locale.ROOT, "best val PSNR %.2f dB at epoch %d",
                        lastEpoch.get("best_val_psnr").asDouble(), lastEpoch.get("best_epoch").asInt()),
                String.format(Locale.ROOT, "%.6f", out.get("mse").asDouble()),
                String.format(Locale.ROOT, "PSNR gain over %d images", eval.get("per_image").size()))) {
            assertTrue(all.contains(expected), "the executed notebook does not show '" + expected + "':\n" + all);
        }
        // The curves, the gain plot, the validation grid and the test samples.
        assertTrue(pngs.size() >= 4, pngs.size() + " image/png outputs");
        for (byte[] png : pngs) {
            BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(png));
            assertNotNull(img, "an image/png output that is not a PNG");
            assertTrue(distinctColours(img, 2) >= 2, "a blank image/png output");
        }
        byte[] grid = Files.readAllBytes(run.resolve("samples/epoch-0001.png"));
        assertTrue(pngs.stream().anyMatch(p -> java.util.Arrays.equals(p, grid)),
                "the newest validation grid, samples/epoch-0001.png, is not shown as it is");
    }

    @Test
    void reportRendersInChromiumWithTheEvaluationAndEveryImage() throws Exception {
        Path chromium = requireTool("chromium", "chromium");
        Path report = run.resolve("report/index.html");
        String url = report.toUri().toString();

        ToolRun dom = runTool(chromiumCommand(chromium, "--dump-dom", url), Map.of(), tmp.resolve("dump-dom"), 60);
        assertEquals(0, dom.exitCode, "chromium --dump-dom failed:\n" + dom.output);
        String html = dom.stdout;
        Matcher table = Pattern.compile("<table id=\"eval\">(.*?)</table>", Pattern.DOTALL).matcher(html);
        assertTrue(table.find(), "no evaluation table in the DOM:\n" + html);
        JsonNode in = eval.get("input");
        JsonNode out = eval.get("output");
        for (double[] v : new double[][] {
                {in.get("psnr").asDouble(), 2}, {in.get("ssim").asDouble(), 4}, {in.get("mse").asDouble(), 6},
                {out.get("psnr").asDouble(), 2}, {out.get("ssim").asDouble(), 4}, {out.get("mae").asDouble(), 5}}) {
            String cell = ">" + String.format(Locale.ROOT, "%." + (int) v[1] + "f", v[0]) + "<";
            assertTrue(table.group(1).contains(cell), "the evaluation table lacks " + cell + ":\n" + table.group(1));
        }
        String gain = String.format(Locale.ROOT, ">%+.2f<", eval.get("psnr_gain_db").asDouble());
        assertTrue(table.group(1).contains(gain), "the evaluation table lacks the PSNR gain " + gain + ":\n" + table.group(1));

        Matcher img = Pattern.compile("<img\\b[^>]*?\\ssrc=\"([^\"]+)\"").matcher(html);
        Set<Path> shown = new HashSet<>();
        URI base = report.toUri();
        while (img.find()) {
            Path file = Path.of(base.resolve(img.group(1).replace("&amp;", "&")));
            assertTrue(Files.isRegularFile(file), img.group(1) + " does not resolve to a file: " + file);
            assertNotNull(ImageIO.read(file.toFile()), img.group(1) + " is not an image");
            shown.add(file.normalize());
        }
        Set<Path> expected = new HashSet<>();
        expected.add(run.resolve("samples/epoch-0001.png").normalize());
        try (var files = Files.list(run.resolve("eval/samples"))) {
            files.forEach(f -> expected.add(f.normalize()));
        }
        assertEquals(1 + 3 * Math.min(2, eval.get("images").asInt()), expected.size(),
                "the validation grid, and degraded, restored and truth for each of eval.samples=2 test images");
        assertEquals(expected, shown, "the report shows every sample image once");

        Path shot = tmp.resolve("report.png");
        ToolRun screenshot = runTool(chromiumCommand(chromium, "--screenshot=" + shot, "--window-size=1200,1600", url),
                Map.of(), tmp.resolve("screenshot"), 60);
        assertEquals(0, screenshot.exitCode, "chromium --screenshot failed:\n" + screenshot.output);
        BufferedImage png = ImageIO.read(shot.toFile());
        assertNotNull(png, "chromium wrote no PNG to " + shot);
        assertEquals(1200, png.getWidth());
        assertEquals(1600, png.getHeight());
        // Text, tables, the chart and grayscale samples: far more than a handful of colours.
        assertTrue(distinctColours(png, 1) > 64, "the screenshot looks blank: " + distinctColours(png, 1) + " colours");
    }

    private static List<String> chromiumCommand(Path chromium, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile")));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A finished tool: its exit code, its stdout, and both streams for failure messages. */
    private record ToolRun(int exitCode, String stdout, String output) {}

    /** Runs a tool with stdout and stderr in files named after {@code logStem}; kills it and its children on timeout. */
    private static ToolRun runTool(List<String> command, Map<String, String> env, Path logStem, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path stdout = Path.of(logStem + ".out");
        Path stderr = Path.of(logStem + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String both = "$ " + String.join(" ", command) + "\n" + out + Files.readString(stderr, StandardCharsets.UTF_8);
        if (!finished) fail("did not finish in " + timeoutSeconds + " s:\n" + both);
        return new ToolRun(p.exitValue(), out, both);
    }

    private static Path requireTool(String name, String debianPackages) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return fail(name + " is not on the PATH; this test needs the Debian package(s) " + debianPackages
                + " (.ci/install-test-tools installs them)");
    }

    /** A file of the repository, found from the module directory surefire runs in. */
    private static Path repoFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) return dir.resolve(relative);
        }
        return fail(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String joined(JsonNode textOrLines) {
        if (textOrLines.isArray()) {
            StringBuilder sb = new StringBuilder();
            textOrLines.forEach(l -> sb.append(l.asText()));
            return sb.toString();
        }
        return textOrLines.isMissingNode() ? "" : textOrLines.asText();
    }

    /** Distinct RGB colours in every {@code step}-th pixel of every {@code step}-th row, counted up to 4097. */
    private static int distinctColours(BufferedImage img, int step) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += step) {
            for (int x = 0; x < img.getWidth(); x += step) {
                colours.add(img.getRGB(x, y) & 0xffffff);
                if (colours.size() > 4096) return colours.size();
            }
        }
        return colours.size();
    }
}
