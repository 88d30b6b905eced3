package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Decimals;
import org.gwembed.embedding.BarycentricProjection;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.Tables;
import org.knowm.xchart.BitmapEncoder;

/**
 * One EW_λ run as the {@code embed} and {@code demo} commands do it: the solver with a progress bar, then
 * {@code result.json}, the tables ({@code zeta1.csv}/{@code .npy}, {@code zeta2}, {@code grid.npy},
 * {@code projection1}/{@code 2}, see {@link #writeTables}), {@code embeddings.png} (and for generated surfaces
 * {@code projections.png}), plans as {@code .npy} on request, and a short summary on stdout.
 */
final class EmbeddingRun {

    private EmbeddingRun() {
    }

    /**
     * What to run and where to write.
     *
     * @param extras more figures and report entries after the standard files (the {@code examples} command)
     */
    record Request(String command, Inputs.Input source, Inputs.Input target, String spaceSpec, MetricSpace space,
            double maxLength, JointEmbedding.Options options, Path out, boolean savePlans, boolean quiet,
            Map<String, Object> notes, Extras extras, OutputOptions files) {

        Request(String command, Inputs.Input source, Inputs.Input target, String spaceSpec, MetricSpace space,
                double maxLength, JointEmbedding.Options options, Path out, boolean savePlans, boolean quiet,
                Map<String, Object> notes, Extras extras) {
            this(command, source, target, spaceSpec, space, maxLength, options, out, savePlans, quiet, notes,
                    extras, OutputOptions.DEFAULT);
        }

        Request(String command, Inputs.Input source, Inputs.Input target, String spaceSpec, MetricSpace space,
                double maxLength, JointEmbedding.Options options, Path out, boolean savePlans, boolean quiet,
                Map<String, Object> notes) {
            this(command, source, target, spaceSpec, space, maxLength, options, out, savePlans, quiet, notes,
                    Extras.NONE);
        }

        /** As this request, writing the files {@code files} chooses. */
        Request withFiles(OutputOptions files) {
            return new Request(command, source, target, spaceSpec, space, maxLength, options, out, savePlans, quiet,
                    notes, extras, files);
        }
    }

    /** Files written after the standard ones, and what they add to {@code result.json} (under {@code "example"}). */
    record Extra(List<String> files, Map<String, Object> report) {
    }

    /** Writes more figures from a finished run into its output directory. */
    @FunctionalInterface
    interface Extras {
        /** No extras. */
        Extras NONE = (result, dir) -> new Extra(List.of(), Map.of());

        Extra write(EmbeddingResult result, Path dir);
    }

    /** Runs, writes every file and prints the summary; returns the result. */
    static EmbeddingResult run(Request r, PrintWriter out, PrintWriter err) {
        return run(r, out, err, Progress.enabled(r.quiet()));
    }

    /** As above, drawing the progress bar when {@code draw} (see {@link Progress#decide}). */
    static EmbeddingResult run(Request r, PrintWriter out, PrintWriter err, boolean draw) {
        JointEmbedding.Options o = r.options();
        return run(r, out, new Progress(err, draw,
                o.outerIterations() * o.lambdas().size() * o.restarts()));
    }

    /** As above, continuing a progress bar that already drew earlier stages (the reading of the inputs). */
    static EmbeddingResult run(Request r, PrintWriter out, Progress progress) {
        createDirectories(r.out());
        JointEmbedding.Options o = r.options();
        progress.stage("EW_lambda");
        EmbeddingResult result;
        try {
            result = JointEmbedding.embed(r.source().space(), r.target().space(), r.space(),
                    o.withListener(Interruption.listener(progress)));
        } catch (RuntimeException | Error e) {
            Interruption.finished();
            throw e;
        } finally {
            progress.finish();
        }
        try {
            write(r, result, out);
        } finally {
            Interruption.finished();
        }
        return result;
    }

    /**
     * Writes every file of a finished run (the zeta CSVs, the plans on request, the pictures, the extras,
     * {@code result.json}) and prints the summary.
     */
    static void write(Request r, EmbeddingResult result, PrintWriter out) {
        createDirectories(r.out());
        List<String> files = new ArrayList<>();
        writeTables(r, result, files);
        Optional<Coordinates> coords = r.space().coordinates();
        if (coords.isPresent()) {
            Plots.View view = Plots.view(coords.get());
            BufferedImage a = Plots.massPlot("zeta1: " + shortName(r.source()), view, result.zeta1(), 560, 600);
            BufferedImage b = Plots.massPlot("zeta2: " + shortName(r.target()), view, result.zeta2(), 560, 600);
            Plots.write(Plots.sideBySide(a, b), r.out().resolve("embeddings.png"));
            files.add("embeddings.png");
            if (r.files().svg) {
                Plots.writeSvg(r.out().resolve("embeddings.svg"),
                        Plots.massChart("zeta1: " + shortName(r.source()), view, result.zeta1(), 560, 600),
                        Plots.massChart("zeta2: " + shortName(r.target()), view, result.zeta2(), 560, 600));
                files.add("embeddings.svg");
            }
            if (coloured(r.source()) && coloured(r.target())) {
                Plots.View v1 = projectionView(result.p1(), true, coords.get());
                Plots.View v2 = projectionView(result.p2(), false, coords.get());
                Plots.write(Plots.sideBySide(BitmapEncoder.getBufferedImage(projectionChart(r.source(), v1)),
                        BitmapEncoder.getBufferedImage(projectionChart(r.target(), v2))),
                        r.out().resolve("projections.png"));
                files.add("projections.png");
                if (r.files().svg) {
                    Plots.writeSvg(r.out().resolve("projections.svg"), projectionChart(r.source(), v1),
                            projectionChart(r.target(), v2));
                    files.add("projections.svg");
                }
            }
        }
        Extra extra = r.extras().write(result, r.out());
        files.addAll(extra.files());
        files.add("result.json");
        Map<String, Object> report = report(r, result, files);
        if (!extra.report().isEmpty()) {
            report.put("example", extra.report());
        }
        Json.write(r.out().resolve("result.json"), report);
        printSummary(out, r, result, files);
    }

    /**
     * The tables of a run in the formats {@link OutputOptions} chooses: ζ₁, ζ₂ ({@code zeta1.csv} with the grid's
     * coordinates and the weight; {@code zeta1.npy} the weights in grid order), the grid ({@code grid.npy}, points ×
     * coordinates) and the barycentric projections of the data points ({@code projection1.csv}/{@code .npy}) where
     * the space has coordinates, the plans with {@code --save-plans} ({@code p1.npy}, {@code p2.npy}), and all of
     * them in {@code result.npz} with {@code --npz}. Adds the names written to {@code files}.
     */
    static void writeTables(Request r, EmbeddingResult result, List<String> files) {
        OutputOptions.Format format = r.files().format;
        Map<String, byte[]> bundle = new LinkedHashMap<>();
        Path dir = r.out();
        if (format.csv()) {
            writeZeta(dir.resolve("zeta1.csv"), r.space(), result.zeta1());
            writeZeta(dir.resolve("zeta2.csv"), r.space(), result.zeta2());
            files.add("zeta1.csv");
            files.add("zeta2.csv");
        }
        if (format.npy()) {
            Tables.writeNpy(dir.resolve("zeta1.npy"), result.zeta1());
            Tables.writeNpy(dir.resolve("zeta2.npy"), result.zeta2());
            files.add("zeta1.npy");
            files.add("zeta2.npy");
        }
        if (r.files().npz) {
            bundle.put("zeta1.npy", NumpyFiles.npy(result.zeta1()));
            bundle.put("zeta2.npy", NumpyFiles.npy(result.zeta2()));
        }
        Optional<Coordinates> coords = r.space().coordinates();
        if (coords.isPresent()) {
            Coordinates c = coords.get();
            DMatrixRMaj z1 = BarycentricProjection.project(result.p1(), true, c);
            DMatrixRMaj z2 = BarycentricProjection.project(result.p2(), false, c);
            if (format.csv()) {
                Tables.writeCsv(dir.resolve("projection1.csv"), z1, c.names());
                Tables.writeCsv(dir.resolve("projection2.csv"), z2, c.names());
                files.add("projection1.csv");
                files.add("projection2.csv");
            }
            if (format.npy()) {
                Tables.writeNpy(dir.resolve("grid.npy"), c.values());
                Tables.writeNpy(dir.resolve("projection1.npy"), z1);
                Tables.writeNpy(dir.resolve("projection2.npy"), z2);
                files.add("grid.npy");
                files.add("projection1.npy");
                files.add("projection2.npy");
            }
            if (r.files().npz) {
                bundle.put("grid.npy", NumpyFiles.npy(c.values()));
                bundle.put("projection1.npy", NumpyFiles.npy(z1));
                bundle.put("projection2.npy", NumpyFiles.npy(z2));
            }
        }
        if (r.savePlans()) {
            Tables.writeNpy(dir.resolve("p1.npy"), result.p1());
            Tables.writeNpy(dir.resolve("p2.npy"), result.p2());
            files.add("p1.npy");
            files.add("p2.npy");
            if (r.files().npz) {
                bundle.put("p1.npy", NumpyFiles.npy(result.p1()));
                bundle.put("p2.npy", NumpyFiles.npy(result.p2()));
            }
        }
        if (r.files().npz) {
            NumpyFiles.writeNpz(dir.resolve("result.npz"), bundle);
            files.add("result.npz");
        }
    }

    /**
     * The barycentric projections of a plan's data points (paper eq. 37) as a 2D view like {@link Plots#view}: the
     * plane as it is, the sphere as (longitude, colatitude), angles as angles.
     */
    static Plots.View projectionView(DMatrixRMaj plan, boolean dataOnRows, Coordinates grid) {
        DMatrixRMaj z = BarycentricProjection.project(plan, dataOnRows, grid);
        return Plots.view(new Coordinates(z, grid.names(), grid.kind()));
    }

    /** Whether the input's projections can be coloured: a generated input, or one with labels. */
    private static boolean coloured(Inputs.Input in) {
        return in.generated() != null || in.labels() != null;
    }

    /** An input's projections coloured by its first generator parameter, or by its labels. */
    private static org.knowm.xchart.XYChart projectionChart(Inputs.Input in, Plots.View view) {
        String p = in.generated() != null ? Inputs.parameterName(in) : in.labels().name();
        double[] values = in.generated() != null ? column(in.generated().parameters(), 0) : in.labels().values();
        return Plots.valueChart(Inputs.displayName(in) + " projected, colour = " + p, view, values, p, 560, 560);
    }

    static Map<String, Object> report(Request r, EmbeddingResult result, List<String> files) {
        JointEmbedding.Options o = r.options();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("space", r.spaceSpec());
        params.put("space_description", r.space().description());
        params.put("space_points", r.space().size());
        params.put("max_length", r.maxLength());
        params.put("lambda", o.lambdas());
        params.put("epsilon", o.epsilon());
        params.put("epsilon_kind", o.costScaling() == JointEmbedding.CostScaling.REFERENCE ? "relative" : "absolute");
        params.put("cost_scaling", o.costScaling().name().toLowerCase(Locale.ROOT));
        params.put("outer_iterations", o.outerIterations());
        params.put("outer_tolerance", o.outerTolerance());
        params.put("inner_max_iterations", o.inner().maxIterations());
        params.put("warm_start", o.warmStart());
        params.put("inner_relaxation", innerRelaxation(o));
        params.put("inner_relaxation_adaptive", o.inner().adaptiveRelaxation());
        params.put("exact_reference", o.exactReference());
        params.put("precision", o.precision().name().toLowerCase(Locale.ROOT));
        params.put("threads", o.threads());
        params.put("input_scaling", "input distances divided by their maximum (max 1), "
                + (Inputs.uniform(r.source()) && Inputs.uniform(r.target()) ? "uniform weights"
                        : "weights as each input's description says"));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", r.command());
        m.put("parameters", params);
        m.put("source", inputMap(r.source()));
        m.put("target", inputMap(r.target()));
        m.put("objective", objective(result.objective()));
        m.put("lambda", result.objective().lambda());
        m.put("outer_iterations", result.outerIterations());
        m.put("inner_iterations", result.innerIterations());
        m.put("inner_not_converged", result.innerNotConverged());
        m.put("stop_reason", result.stopReason());
        m.put("stopped", result.stopReason() == JointEmbedding.StopReason.INTERRUPTED ? "interrupted" : "completed");
        m.put("marginal_error", result.marginalError());
        m.put("seconds", result.seconds());
        m.put("kernels", result.kernelKinds());
        m.put("zeta1_support", support(result.zeta1()));
        m.put("zeta2_support", support(result.zeta2()));
        List<Object> history = new ArrayList<>();
        for (JointEmbedding.Step s : result.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("lambda", s.lambda());
            h.put("iteration", s.iteration());
            h.put("J", s.objective().total());
            h.put("wasserstein", s.objective().wasserstein());
            h.put("gw1", s.objective().gw1());
            h.put("gw2", s.objective().gw2());
            h.put("inner_iterations", s.innerIterations());
            h.put("inner_stop", s.innerStop());
            h.put("marginal_error", s.marginalError());
            h.put("plan_change", s.planChange());
            h.put("seconds", s.seconds());
            history.add(h);
        }
        m.put("history", history);
        if (!r.notes().isEmpty()) {
            m.put("notes", r.notes());
        }
        m.put("files", files);
        return m;
    }

    /** How the inner solves update their scalings: 1 (plain), a fixed factor, or "adaptive, at most ω". */
    static double innerRelaxation(JointEmbedding.Options o) {
        return o.inner().relaxation();
    }

    static Map<String, Object> objective(JointEmbedding.Objective obj) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("J", obj.total());
        m.put("wasserstein", obj.wasserstein());
        m.put("gw1", obj.gw1());
        m.put("gw2", obj.gw2());
        m.put("lambda", obj.lambda());
        m.put("formula", "J = wasserstein + lambda * (gw1 + gw2), raw costs");
        return m;
    }

    private static Map<String, Object> inputMap(Inputs.Input in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", in.spec());
        m.put("description", in.description());
        m.put("points", in.space().size());
        m.put("uniform_weights", Inputs.uniform(in));
        if (in.labels() != null) {
            m.put("labels", in.labels().name() + " (" + java.util.Arrays.stream(in.labels().values()).distinct()
                    .count() + " distinct values)");
        }
        if (Double.isFinite(in.seconds())) {
            m.put("seconds_reading", in.seconds());
        }
        return m;
    }

    /** Grid points carrying at least {@link Plots#MASS_THRESHOLD}. */
    private static Map<String, Object> support(double[] zeta) {
        int count = 0;
        double max = 0;
        for (double z : zeta) {
            if (z >= Plots.MASS_THRESHOLD) {
                count++;
            }
            max = Math.max(max, z);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("points_above_1e-5", count);
        m.put("max_mass", max);
        return m;
    }

    /** {@code zeta.csv}: the space's coordinate names and {@code weight}; {@code index,weight} without coordinates. */
    static void writeZeta(Path file, MetricSpace space, double[] zeta) {
        Optional<Coordinates> c = space.coordinates();
        int n = zeta.length;
        if (c.isPresent()) {
            int dim = c.get().dimension();
            DMatrixRMaj t = new DMatrixRMaj(n, dim + 1);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < dim; k++) {
                    t.unsafe_set(i, k, c.get().get(i, k));
                }
                t.unsafe_set(i, dim, zeta[i]);
            }
            List<String> header = new ArrayList<>(c.get().names());
            header.add("weight");
            Tables.writeCsv(file, t, header);
        } else {
            DMatrixRMaj t = new DMatrixRMaj(n, 2);
            for (int i = 0; i < n; i++) {
                t.unsafe_set(i, 0, i);
                t.unsafe_set(i, 1, zeta[i]);
            }
            Tables.writeCsv(file, t, List.of("index", "weight"));
        }
    }

    /** The inner-solve setting in words: the authors' iterates, or which faster settings are on. */
    static String innerSetting(JointEmbedding.Options o) {
        if (o.exactReference()) {
            return "the authors' iterates";
        }
        List<String> parts = new ArrayList<>();
        if (o.inner().adaptiveRelaxation() || o.inner().relaxation() > 1) {
            parts.add("over-relaxed");
        }
        if (o.warmStart()) {
            parts.add("warm");
        }
        if (o.precision() == org.gwembed.solvers.Precision.SINGLE) {
            parts.add("single precision");
        }
        return (parts.isEmpty() ? "plain" : String.join(", ", parts)) + " inner solves";
    }

    private static void printSummary(PrintWriter out, Request r, EmbeddingResult res, List<String> files) {
        JointEmbedding.Objective obj = res.objective();
        out.printf(Locale.ROOT, "EW_lambda: %s  vs  %s%n", shortName(r.source()), shortName(r.target()));
        out.printf(Locale.ROOT, "  space       %s (%d points)%n", r.space().description(), r.space().size());
        out.printf(Locale.ROOT, "  parameters  lambda %s, epsilon %s (%s cost scaling), %d outer iterations, %s%n",
                lambdas(r.options()), Decimals.shortForm(r.options().epsilon()),
                r.options().costScaling().name().toLowerCase(Locale.ROOT), r.options().outerIterations(),
                innerSetting(r.options()));
        out.printf(Locale.ROOT, "  objective   J = %.6g = W2^2 %.6g + lambda (GW1 %.6g + GW2 %.6g)%n", obj.total(),
                obj.wasserstein(), obj.gw1(), obj.gw2());
        out.printf(Locale.ROOT, "  run         %d outer iterations (%s), %d inner iterations, marginal error %.2e, "
                + "%.1f s%n", res.outerIterations(), res.stopReason(), res.innerIterations(), res.marginalError(),
                res.seconds());
        if (Double.isFinite(r.source().seconds()) && Double.isFinite(r.target().seconds())) {
            out.printf(Locale.ROOT, "  inputs      read in %.1f s (source %.2f s, target %.2f s)%n",
                    r.source().seconds() + r.target().seconds(), r.source().seconds(), r.target().seconds());
        }
        if (!res.innerConverged()) {
            out.printf(Locale.ROOT, "  note        %d inner solves hit their iteration limit%n",
                    res.innerNotConverged());
        }
        out.printf(Locale.ROOT, "  wrote       %s: %s%n", r.out(), String.join(", ", files));
        if (res.stopReason() == JointEmbedding.StopReason.INTERRUPTED) {
            out.printf(Locale.ROOT, "  note        interrupted: these are the results of the last completed outer "
                    + "iteration (%d)%n", res.outerIterations());
        }
        out.flush();
    }

    static String lambdas(JointEmbedding.Options o) {
        List<String> s = new ArrayList<>();
        for (double l : o.lambdas()) {
            s.add(Decimals.shortForm(l));
        }
        return String.join(",", s);
    }

    private static String shortName(Inputs.Input in) {
        return Inputs.displayName(in) + " [" + in.space().size() + " pts]";
    }

    static double[] column(DMatrixRMaj m, int c) {
        double[] v = new double[m.numRows];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.unsafe_get(i, c);
        }
        return v;
    }

    static void createDirectories(Path dir) {
        Outputs.createDirectories(dir);
    }
}
