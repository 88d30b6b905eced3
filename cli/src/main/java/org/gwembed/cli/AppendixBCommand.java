package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Decimals;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.ProgressListener;
import org.gwembed.examples.AppendixBExample;
import org.gwembed.metricspaces.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed examples appendix-b}: the table of the paper's Appendix B ({@link AppendixBExample}) — on the
 * circle, EW between a uniform and a von Mises histogram against W₂²(ζ₁, ζ₂) of the EW_λ embeddings into the circle
 * itself, which approaches EW as λ grows; written as table.csv, report.json and a picture, and printed.
 */
@Command(name = "appendix-b", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Appendix B table: EW vs EW_lambda on the circle, uniform vs von Mises (kappa 1..10).",
        description = {"X = the unit circle of --bins bins (arc-length distance), xi1 uniform, xi2 the von Mises "
                + "histogram exp(kappa cos(theta - 1)) for each kappa; both inputs are the circle itself with these "
                + "weights. EW = W2^2(xi1, xi2) by exact OT (xi1 is rotation invariant, so the identity is an optimal "
                + "isometry); EW_lambda runs Algorithm 1 (reference scaling, epsilon relative) for each lambda from a "
                + "seeded, slightly perturbed start (the uniform start is an exact fixed point on the circle) and "
                + "reports W2^2(zeta1, zeta2), again by exact OT, next to J and its terms.",
            "Writes table.csv, report.json, appendix_b.png (values against kappa) and prints the table.",
            "Defaults: 360 bins, kappa 1..10, lambda 0.2, 2, 20, epsilon 3e-3, 40 outer iterations: about 2 min on "
                + "2 cores. --quick: 90 bins, kappa 1 and 10, 10 iterations."})
final class AppendixBCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleOptions common;

    @Option(names = "--bins", paramLabel = "N", description = "Bins of the circle. Default: 360 (--quick: 90).")
    Integer bins;

    @Option(names = "--kappa", paramLabel = "K", split = ",",
            description = "Von Mises concentrations. Default: 1,2,...,10 (--quick: 1,10).")
    List<Double> kappas;

    @Option(names = "--lambda", paramLabel = "L", split = ",", defaultValue = "0.2,2,20",
            description = "EW_lambda weights. Default: ${DEFAULT-VALUE}.")
    List<Double> lambdas;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "3e-3",
            description = "Relative epsilon. Default: ${DEFAULT-VALUE}.")
    double epsilon;

    @Option(names = "--outer-iterations", paramLabel = "R",
            description = "Outer iterations. Default: 40 (--quick: 10).")
    Integer outerIterations;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        int n = bins != null ? bins : common.quick ? 90 : 360;
        int outer = outerIterations != null ? outerIterations : common.quick ? 10 : 40;
        List<Double> ks = kappas != null ? kappas : common.quick ? List.of(1.0, 10.0)
                : List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        if (n < 4) {
            throw new IllegalArgumentException("--bins must be >= 4, got " + n);
        }
        for (double k : ks) {
            if (!(k >= 0) || Double.isInfinite(k)) {
                throw new IllegalArgumentException("--kappa values must be >= 0 and finite, got " + k);
            }
        }
        int t = common.threads();
        // validates lambda, epsilon, outer iterations
        EmbedCommand.options(lambdas, epsilon, outer, JointEmbedding.CostScaling.REFERENCE, t);
        Path out = common.out("appendix-b");
        EmbeddingRun.createDirectories(out);

        AppendixBExample.Request request = new AppendixBExample.Request(n, ks, lambdas, epsilon, outer, t,
                ProgressListener.NONE);
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.enabled(common.quiet),
                request.totalOuterIterations());
        AppendixBExample.Result result;
        try {
            result = AppendixBExample.run(request.withListener(progress));
        } finally {
            progress.finish();
        }
        List<Object> rows = new ArrayList<>();
        for (AppendixBExample.Row row : result.rows()) {
            List<Object> runs = new ArrayList<>();
            for (AppendixBExample.Cell cell : row.cells()) {
                EmbeddingResult res = cell.result();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("lambda", cell.lambda());
                m.put("w2_squared_zeta", cell.w2SquaredZeta());
                m.put("objective", EmbeddingRun.objective(res.objective()));
                m.put("start", cell.continuedFrom() == null ? "seeded"
                        : "continuation from lambda " + Decimals.shortForm(cell.continuedFrom()));
                m.put("objective_seeded_start", cell.seededObjective());
                m.put("objective_continuation", cell.continuationObjective());
                m.put("outer_iterations", res.outerIterations());
                m.put("stop_reason", res.stopReason());
                m.put("marginal_error", res.marginalError());
                m.put("seconds", res.seconds());
                runs.add(m);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kappa", row.kappa());
            r.put("ew", row.ew());
            r.put("ew_lambda", runs);
            rows.add(r);
        }
        DMatrixRMaj table = result.table();
        List<String> header = new ArrayList<>(List.of("kappa", "ew"));
        for (double l : lambdas) {
            header.add("ew_lambda_" + Decimals.shortForm(l));
        }
        Tables.writeCsv(out.resolve("table.csv"), table, header);
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("EW = W2^2(xi1, xi2), exact", column(table, 1));
        for (int l = 0; l < lambdas.size(); l++) {
            series.put("W2^2(zeta1, zeta2), lambda = " + Decimals.shortForm(lambdas.get(l)), column(table, 2 + l));
        }
        Plots.write(Plots.lineChart("Appendix B: circle of " + n + " bins, uniform vs von Mises", column(table, 0),
                series, "kappa", "W2^2", 760, 520), out.resolve("appendix_b.png"));
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("bins", n);
        params.put("space", result.circle().description());
        params.put("mu", AppendixBExample.MU);
        params.put("kappas", ks);
        params.put("lambdas", lambdas);
        params.put("epsilon", epsilon);
        params.put("cost_scaling", "reference (epsilon relative)");
        params.put("outer_iterations", outer);
        params.put("start", "uniform perturbed by relative noise " + AppendixBExample.PERTURBATION + ", seed "
                + AppendixBExample.SEED + "; for each lambda below the largest also a continuation from the largest, "
                + "keeping the lower objective J");
        params.put("threads", t);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("example", "appendix-b");
        report.put("quick", common.quick);
        report.put("paper", AppendixBExample.PAPER);
        report.put("parameters", params);
        report.put("rows", rows);
        report.put("files", List.of("table.csv", "appendix_b.png", "report.json"));
        report.put("seconds", seconds);
        Json.write(out.resolve("report.json"), report);
        printTable(spec.commandLine().getOut(), n, table, lambdas);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: table.csv, appendix_b.png, report.json (%.1f s)%n",
                out, seconds);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static void printTable(PrintWriter w, int n, DMatrixRMaj table, List<Double> lambdas) {
        w.printf(Locale.ROOT, "Appendix B: unit circle of %d bins, xi1 uniform, xi2 von Mises(kappa, mu = %s); "
                + "W2^2 values%n", n, Decimals.shortForm(AppendixBExample.MU));
        StringBuilder head = new StringBuilder("| kappa | EW (exact OT) |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (double l : lambdas) {
            head.append(" EW_lambda, lambda = ").append(Decimals.shortForm(l)).append(" |");
            rule.append("---|");
        }
        w.println(head);
        w.println(rule);
        for (int r = 0; r < table.numRows; r++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %.5f |",
                    Decimals.shortForm(table.get(r, 0)), table.get(r, 1)));
            for (int c = 2; c < table.numCols; c++) {
                line.append(String.format(Locale.ROOT, " %.5f |", table.get(r, c)));
            }
            w.println(line);
        }
    }

    private static double[] column(DMatrixRMaj m, int c) {
        return EmbeddingRun.column(m, c);
    }
}
