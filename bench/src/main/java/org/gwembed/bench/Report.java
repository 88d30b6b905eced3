package org.gwembed.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gwembed.cli.Json;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The harness's report of one run: {@code <date>.md} (environment, the EW_λ table, JMDS and GW, the targets
 * against this run, the scaling table with fitted exponents, notes), {@code <date>.json} (the same numbers, written by
 * the command line's {@link Json}) and {@code <date>-scaling.png} (log-log seconds per outer iteration).
 */
final class Report {

    private static final String[] EMBED_COLUMNS = {"n1", "n2", "N", "outerIterations", "secondsPerIterationMean",
        "secondsPerIterationMedian", "innerIterations", "J", "wasserstein", "gw1", "gw2", "stopReason",
        "peakHeapMiB"};

    private final Harness.Mode mode;
    private final Measurements m;
    private final Map<String, Object> env;

    /**
     * @param env the environment table (ordered)
     */
    Report(Harness.Mode mode, Measurements m, Map<String, Object> env) {
        this.mode = mode;
        this.m = m;
        this.env = env;
    }

    /** Writes the md, json and png files into {@code out} (which exists); returns their paths. */
    Path[] write(Path out, String date) throws IOException {
        Path md = out.resolve(date + ".md");
        Path json = out.resolve(date + ".json");
        Path png = out.resolve(date + "-scaling.png");
        double[] exponents = exponents();
        Files.writeString(md, markdown(date, exponents, png.getFileName().toString()), StandardCharsets.UTF_8);
        Json.write(json, json(exponents));
        plot(png, exponents);
        return new Path[] {md, json, png};
    }

    private Map<String, Object> json(double[] exponents) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("environment", env);
        List<Object> problems = new ArrayList<>();
        for (Measurements.Row r : m.rows()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("group", r.group());
            p.put("name", r.name());
            p.putAll(r.fields());
            problems.add(p);
        }
        doc.put("problems", problems);
        List<Object> scaling = new ArrayList<>();
        List<String> names = seriesNames();
        for (int i = 0; i < names.size(); i++) {
            List<Measurements.ScalingPoint> pts = points(names.get(i));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("series", names.get(i));
            s.put("sizes", pts.stream().mapToInt(Measurements.ScalingPoint::size).toArray());
            s.put("secondsPerIteration", pts.stream().mapToDouble(Measurements.ScalingPoint::secondsPerIteration)
                    .toArray());
            s.put("exponent", exponents[i]);
            s.put("peakHeapMiB", pts.stream().mapToDouble(Measurements.ScalingPoint::peakHeapMiB).toArray());
            s.put("peakHeapExponent", exponents[names.size() + i]);
            scaling.add(s);
        }
        doc.put("scaling", scaling);
        doc.put("notes", m.notes());
        return doc;
    }

    private String markdown(String date, double[] exponents, String pngName) {
        StringBuilder sb = new StringBuilder();
        sb.append("# gwembed benchmark ").append(date).append("\n\n");
        sb.append("Written by `org.gwembed.bench.Harness` (").append(env.get("mode")).append(" mode). Regenerate: ")
                .append("`mvn -B -q -o package -DskipTests -pl bench -am && java -cp bench/target/benchmarks.jar ")
                .append("org.gwembed.bench.Harness").append(mode == Harness.Mode.SCALING ? " --scaling" : "")
                .append("`.\n\n");
        sb.append("| environment | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : env.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(format(e.getValue())).append(" |\n");
        }
        sb.append("\n## EW_lambda runs\n\n");
        sb.append("Times are wall seconds per outer iteration (from `EmbeddingResult.history()`), after each "
                + "setting ran " + env.get("rollWarmupIterations") + " untimed outer iterations of the first rolls "
                + "problem (JIT warm-up); inner = inner chain-Sinkhorn iterations in total; J = W + lambda (GW1 + GW2) with raw costs; peak heap = sum of "
                + "the heap pools' peaks during the run (MiB).\n\n");
        sb.append("| problem | n1 | n2 | N | outer | s/it mean | s/it median | inner | J | W | GW1 | GW2 | stop | "
                + "peak MiB |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurements.Row r : m.rows()) {
            if (!r.fields().containsKey("secondsPerIterationMean")) {
                continue;
            }
            sb.append("| ").append(r.group()).append(": ").append(r.name());
            for (String c : EMBED_COLUMNS) {
                sb.append(" | ").append(format(r.fields().get(c)));
            }
            sb.append(" |\n");
        }
        List<Measurements.Row> others = m.rows().stream()
                .filter(r -> !r.fields().containsKey("secondsPerIterationMean")).toList();
        if (!others.isEmpty()) {
            sb.append("\n## JMDS and GW\n\n| problem | results |\n|---|---|\n");
            for (Measurements.Row r : others) {
                sb.append("| ").append(r.group()).append(": ").append(r.name()).append(" | ");
                List<String> parts = new ArrayList<>();
                r.fields().forEach((k, v) -> parts.add(k + " " + format(v)));
                sb.append(String.join(", ", parts)).append(" |\n");
            }
        }
        targets(sb);
        sb.append("\n## Scaling\n\n");
        List<String> names = seriesNames();
        sb.append("Exponents are log-log least-squares slopes; peak heap = sum of the heap pools' peaks during the "
                + "run, inputs included (MiB).\n\n");
        sb.append("| series | sizes | s/it | time exponent | peak heap MiB | heap exponent |\n"
                + "|---|---|---|---|---|---|\n");
        for (int i = 0; i < names.size(); i++) {
            double[][] xy = series(names.get(i), false);
            double[][] mem = series(names.get(i), true);
            sb.append("| ").append(names.get(i)).append(" | ");
            List<String> xs = new ArrayList<>();
            List<String> ys = new ArrayList<>();
            List<String> ms = new ArrayList<>();
            for (int j = 0; j < xy[0].length; j++) {
                xs.add(String.valueOf((int) xy[0][j]));
                ys.add(format(xy[1][j]));
                ms.add(format(mem[1][j]));
            }
            sb.append(String.join(", ", xs)).append(" | ").append(String.join(", ", ys)).append(" | ")
                    .append(format(exponents[i])).append(" | ").append(String.join(", ", ms)).append(" | ")
                    .append(format(exponents[names.size() + i])).append(" |\n");
        }
        sb.append("\n![scaling](").append(pngName).append(")\n");
        if (!m.notes().isEmpty()) {
            sb.append("\n## Notes\n\n");
            for (String n : m.notes()) {
                sb.append("* ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    /** The targets (2 cores, native BLAS) next to what this run measured. */
    private void targets(StringBuilder sb) {
        List<String> lines = new ArrayList<>();
        for (SolverSetting setting : SolverSetting.ALL) {
            gridTarget("snareseq" + setting.suffix(), setting.rowSuffix(), lines);
        }
        for (Measurements.Row r : m.rows()) {
            Map<String, Object> f = r.fields();
            String rollsLabel = SolverSetting.label(r.group(), "rolls");
            if (rollsLabel != null) {
                int side = (int) Math.round(Math.sqrt(((Number) f.get("N")).doubleValue()));
                double limit = side == 30 ? 0.3 : side == 50 ? 1.0 : Double.NaN;
                if (!Double.isNaN(limit)) {
                    double got = (Double) f.get("secondsPerIterationMean");
                    lines.add(String.format(Locale.ROOT, "| rolls %dx%d%s, s / outer iteration | <= %.1f | %.3f | %s |",
                            side, side, rollsLabel, limit, got,
                            got <= limit ? "met" : "missed"));
                }
            } else if (r.group().equals("snareseq-jmds")) {
                double got = (Double) f.get("seconds");
                int its = ((Number) f.get("iterations")).intValue();
                lines.add(String.format(Locale.ROOT, "| JMDS SNAREseq 100 iterations, s | <= 60 | %.1f (%d iterations) "
                        + "| %s |", got, its, its >= 100 && got <= 60 ? "met" : its < 100 ? "n/a" : "missed"));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        sb.append("\n## Targets (issue 7: 2 cores, native BLAS)\n\n| target | limit | this run | |\n|---|---|---|---|\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
    }

    /** The SNAREseq grid-search target for the runs of {@code group}. */
    private void gridTarget(String group, String label, List<String> lines) {
        double gridSeconds = 0;
        int gridRuns = 0;
        int gridIterations = 0;
        for (Measurements.Row r : m.rows()) {
            if (r.group().equals(group)) {
                gridSeconds += ((Number) r.fields().get("seconds")).doubleValue();
                gridIterations += ((Number) r.fields().get("outerIterationLimit")).intValue();
                gridRuns++;
            }
        }
        if (gridRuns == 0) {
            return;
        }
        // measured when the whole grid ran (a run that stopped early on converged plans counts as it ran);
        // otherwise scaled to 5 x 50 iterations (an underestimate: the later iterations are the slow ones)
        int lambdas = SnareseqScenario.LAMBDAS.length;
        boolean whole = gridRuns == lambdas && gridIterations == lambdas * 50;
        double got = whole ? gridSeconds : gridSeconds * lambdas * 50 / gridIterations;
        lines.add(String.format(Locale.ROOT, "| SNAREseq EW_lambda grid search (5 lambdas x 50 iterations%s), s "
                + "| <= 30 | %.1f (%s) | %s |", label, got, whole ? "measured, sum of the 5 runs"
                : "extrapolated from " + gridIterations + " iterations, an underestimate", got <= 30 ? "met" : "missed"));
    }

    private void plot(Path png, double[] exponents) throws IOException {
        List<String> names = seriesNames();
        List<XYChart> charts = new ArrayList<>();
        for (boolean memory : new boolean[] {false, true}) {
            XYChart chart = new XYChartBuilder().width(800).height(560)
                    .title("EW_lambda: " + (memory ? "peak heap" : "seconds per outer iteration") + " ("
                            + mode.name().toLowerCase(Locale.ROOT) + ")")
                    .xAxisTitle("problem size (grid points N, or input vertices n)")
                    .yAxisTitle(memory ? "peak heap, MiB" : "s / outer iteration").build();
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
            for (int i = 0; i < names.size(); i++) {
                double[][] xy = series(names.get(i), memory);
                XYSeries s = chart.addSeries(String.format(Locale.ROOT, "%s, slope %.2f", names.get(i),
                        exponents[(memory ? names.size() : 0) + i]), xy[0], xy[1]);
                s.setMarker(SeriesMarkers.CIRCLE);
            }
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(charts, 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private List<String> seriesNames() {
        List<String> names = new ArrayList<>();
        for (Measurements.ScalingPoint p : m.scaling()) {
            if (!names.contains(p.series())) {
                names.add(p.series());
            }
        }
        return names;
    }

    private List<Measurements.ScalingPoint> points(String name) {
        return m.scaling().stream().filter(p -> p.series().equals(name)).toList();
    }

    /** A series' sizes and its seconds per outer iteration ({@code memory} false) or peak heap in MiB. */
    private double[][] series(String name, boolean memory) {
        List<Measurements.ScalingPoint> pts = points(name);
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i).size();
            xy[1][i] = memory ? pts.get(i).peakHeapMiB() : pts.get(i).secondsPerIteration();
        }
        return xy;
    }

    /** The fitted log-log exponents of every series: time in the first half, peak heap in the second. */
    private double[] exponents() {
        List<String> names = seriesNames();
        double[] e = new double[2 * names.size()];
        for (int i = 0; i < names.size(); i++) {
            double[][] xy = series(names.get(i), false);
            e[i] = logLogSlope(xy[0], xy[1]);
            double[][] mem = series(names.get(i), true);
            e[names.size() + i] = logLogSlope(mem[0], mem[1]);
        }
        return e;
    }

    /** Least-squares slope of log y against log x. */
    static double logLogSlope(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** A value in the md tables: 4 significant digits, or 3 in exponent form when very small or large. */
    static String format(Object v) {
        if (v instanceof Double d) {
            double a = Math.abs(d);
            if (!Double.isFinite(d)) {
                return String.valueOf(d);
            }
            if (a != 0 && (a < 1e-3 || a >= 1e5)) {
                return String.format(Locale.ROOT, "%.3e", d);
            }
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(v).replace("|", "/");
    }
}
