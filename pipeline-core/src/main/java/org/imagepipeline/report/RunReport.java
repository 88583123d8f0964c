package org.imagepipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.store.HadoopIO;
import org.imagepipeline.store.RunDir;
import org.imagepipeline.store.MetricsLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page for one run, {@code report/index.html}: the per-epoch metrics table
 * and a PSNR curve (inline SVG), the test evaluation, and the sample images (linked relatively, so
 * the run directory can be copied anywhere).
 */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReport() {}

    public static Path write(RunDir run) {
        List<JsonNode> epochs = MetricsLog.read(run);
        JsonNode eval = null;
        if (HadoopIO.exists(run.resolve("eval/metrics.json"), run.hadoopConf())) {
            try {
                eval = JSON.readTree(HadoopIO.read(run.resolve("eval/metrics.json"), run.hadoopConf()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + run.resolve("eval/metrics.json"), e);
            }
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Run ").append(esc(run.id()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#f4f4f4}"
                        + "img{image-rendering:pixelated;margin:.2em;border:1px solid #ddd}.num{font-variant-numeric:tabular-nums}</style>"
                        + "</head><body>\n");
        h.append("<h1>Run ").append(esc(run.id())).append("</h1>\n<p>").append(esc(run.path().toString())).append("</p>\n");
        if (eval != null) {
            h.append("<h2>Test evaluation</h2>\n<table id=\"eval\"><tr><th></th><th>PSNR (dB)</th><th>SSIM</th><th>MSE</th><th>MAE</th></tr>\n");
            for (String k : new String[] {"input", "output"}) {
                JsonNode m = eval.get(k);
                h.append("<tr><th>").append(k.equals("input") ? "degraded input" : "restored").append("</th>")
                        .append(cell(m.get("psnr").asDouble(), 2)).append(cell(m.get("ssim").asDouble(), 4))
                        .append(cell(m.get("mse").asDouble(), 6)).append(cell(m.get("mae").asDouble(), 5)).append("</tr>\n");
            }
            // The change row: positive is better for PSNR and SSIM, negative for MSE and MAE.
            JsonNode in = eval.get("input");
            JsonNode out = eval.get("output");
            h.append("<tr><th>change</th>").append(signedCell(eval.get("psnr_gain_db").asDouble(), 2))
                    .append(signedCell(out.get("ssim").asDouble() - in.get("ssim").asDouble(), 4))
                    .append(signedCell(out.get("mse").asDouble() - in.get("mse").asDouble(), 6))
                    .append(signedCell(out.get("mae").asDouble() - in.get("mae").asDouble(), 5)).append("</tr>\n");
            h.append("</table>\n<p>").append(eval.get("images").asInt()).append(" test images, checkpoint ")
                    .append(esc(eval.get("checkpoint").asText())).append("</p>\n");
        }
        if (!epochs.isEmpty()) {
            h.append("<h2>Training</h2>\n").append(psnrChart(epochs));
            h.append("<table id=\"epochs\"><tr><th>epoch</th><th>train loss</th><th>val PSNR</th><th>val SSIM</th>"
                    + "<th>input PSNR</th><th>lr</th><th>samples/s</th><th>wall s</th></tr>\n");
            for (JsonNode e : epochs) {
                h.append("<tr><td>").append(e.get("epoch").asInt()).append("</td>")
                        .append(cell(e.get("train_loss").asDouble(), 5))
                        .append(cell(e.get("val").get("psnr").asDouble(), 2)).append(cell(e.get("val").get("ssim").asDouble(), 4))
                        .append(cell(e.get("val_input").get("psnr").asDouble(), 2))
                        .append(cell(e.get("learning_rate").asDouble(), 6))
                        .append(cell(e.get("samples_per_second").asDouble(), 1)).append(cell(e.get("wall_seconds").asDouble(), 0))
                        .append("</tr>\n");
            }
            h.append("</table>\n");
        }
        List<String> samples = list(run, "samples");
        if (!samples.isEmpty()) {
            String last = samples.get(samples.size() - 1);
            h.append("<h2>Validation samples (").append(esc(last)).append(")</h2>\n<p>columns: degraded, restored, ground truth</p>\n")
                    .append("<img alt=\"validation samples\" src=\"../samples/").append(esc(last)).append("\">\n");
        }
        List<String> evalSamples = list(run, "eval/samples");
        if (!evalSamples.isEmpty()) {
            // One row per test image: the Evaluator names them <index>-<hash8>-{degraded,restored,truth}.png.
            h.append("<h2>Test samples</h2>\n<table id=\"test-samples\"><tr><th>image</th><th>degraded</th>"
                    + "<th>restored</th><th>ground truth</th></tr>\n");
            String open = null;
            for (String f : evalSamples) {
                int dash = f.lastIndexOf('-');
                String image = dash > 0 ? f.substring(0, dash) : f;
                if (!image.equals(open)) {
                    if (open != null) h.append("</tr>\n");
                    h.append("<tr><th>").append(esc(image)).append("</th>");
                    open = image;
                }
                h.append("<td><img alt=\"").append(esc(f)).append("\" title=\"").append(esc(f))
                        .append("\" src=\"../eval/samples/").append(esc(f)).append("\"></td>");
            }
            h.append("</tr></table>\n");
        }
        h.append("</body></html>\n");
        run.writeText("report/index.html", h.toString());
        return run.resolve("report/index.html");
    }

    private static String psnrChart(List<JsonNode> epochs) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (JsonNode e : epochs) {
            lo = Math.min(lo, Math.min(e.get("val").get("psnr").asDouble(), e.get("val_input").get("psnr").asDouble()));
            hi = Math.max(hi, e.get("val").get("psnr").asDouble());
        }
        if (!(hi > lo)) hi = lo + 1;
        int w = 480;
        int ht = 200;
        int left = 44;
        StringBuilder pts = new StringBuilder();
        // Dots as well as the line: a one-epoch run has no line segment to draw.
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < epochs.size(); i++) {
            double x = left + (epochs.size() == 1 ? 0 : i * (w - left - 10.0) / (epochs.size() - 1));
            double y = ht - 20 - (epochs.get(i).get("val").get("psnr").asDouble() - lo) / (hi - lo) * (ht - 40);
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#36c\"/>", x, y));
        }
        double yIn = ht - 20 - (epochs.get(0).get("val_input").get("psnr").asDouble() - lo) / (hi - lo) * (ht - 40);
        String axes = String.format(Locale.ROOT,
                "<polyline fill=\"none\" stroke=\"#999\" points=\"%d,20 %d,%d %d,%d\"/>"
                        + "<text x=\"%d\" y=\"24\" font-size=\"10\" text-anchor=\"end\">%.1f</text>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%.1f</text>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"10\">epoch %d</text>",
                left - 4, left - 4, ht - 20, w - 10, ht - 20,
                left - 6, hi, left - 6, ht - 16, lo,
                left, ht - 6, epochs.get(0).get("epoch").asInt());
        if (epochs.size() > 1) {
            axes += String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">epoch %d</text>",
                    w - 10, ht - 6, epochs.get(epochs.size() - 1).get("epoch").asInt());
        }
        return String.format(Locale.ROOT,
                "<svg id=\"psnr-chart\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"validation PSNR per epoch\">%s"
                        + "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c33\" stroke-dasharray=\"4\"/>"
                        + "<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"2\" points=\"%s\"/>%s"
                        + "<text x=\"%d\" y=\"12\" font-size=\"11\">val PSNR (dB) %.2f&#8211;%.2f (dashed: degraded input)</text></svg>\n",
                w, ht, axes, left, w - 10, yIn, yIn, pts.toString().trim(), dots, left, lo, hi);
    }

    private static List<String> list(RunDir run, String child) {
        Path dir = run.resolve(child);
        List<String> out = new ArrayList<>();
        try {
            FileSystem fs = HadoopIO.fs(dir, run.hadoopConf());
            if (!fs.exists(dir)) return out;
            for (FileStatus st : fs.listStatus(dir)) {
                if (st.isFile() && st.getPath().getName().endsWith(".png")) out.add(st.getPath().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    private static String cell(double v, int decimals) {
        return "<td class=\"num\">" + String.format(Locale.ROOT, "%." + decimals + "f", v) + "</td>";
    }

    private static String signedCell(double v, int decimals) {
        return "<td class=\"num\">" + String.format(Locale.ROOT, "%+." + decimals + "f", v) + "</td>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
