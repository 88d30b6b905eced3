package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;
import org.gwembed.metricspaces.Tables;
import org.gwembed.solvers.FusedGromovWasserstein;
import org.gwembed.solvers.GromovCost;
import org.gwembed.solvers.GromovWasserstein;
import org.gwembed.solvers.PartialGromovWasserstein;
import org.gwembed.solvers.SemiRelaxedGromovWasserstein;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed gw}: the square-loss Gromov–Wasserstein distance and plan between two mm-spaces (POT's convention),
 * and its entropic, fused, semi-relaxed and partial variants ({@code --method}).
 */
@Command(name = "gw", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Gromov-Wasserstein distance and plan (POT conventions), with heat maps.",
        description = {"Gromov-Wasserstein distance and plan between two metric-measure spaces with uniform "
                + "weights, as POT's gromov_wasserstein2 (conditional gradient, the default) or "
                + "entropic_gromov_wasserstein2 (--entropic EPS, epsilon absolute): distance = sum (A_ii' - B_jj')^2 "
                + "T_ij T_i'j' at the returned plan.",
            "--method fused: fused GW (POT's fused_gromov_wasserstein2), (1 - alpha) <M, T> + alpha sum (A_ii' - "
                + "B_jj')^2 T_ij T_i'j' for a feature cost M (--feature-cost FILE, n x m, or --features-x/--features-y "
                + "FILE: squared Euclidean distances between feature rows, as POT's ot.dist); with --entropic EPS its "
                + "entropic version.",
            "--method partial: partial GW (POT's partial_gromov_wasserstein2) transporting the mass --mass S; "
                + "the value has no 1/2, unlike POT's (twice POT's value).",
            "--method semirelaxed: semi-relaxed GW (POT's semirelaxed_gromov_wasserstein2): only the first "
                + "marginal is fixed, the second is free; with --entropic EPS its entropic version (POT's "
                + "entropic_semirelaxed_gromov_wasserstein2).",
            "Writes result.json, plan.npy and heat maps x_distances.png, y_distances.png, plan.png.",
            "Distance matrices are used as given (add --normalize to scale each to max 1); other inputs (feature "
                + "tables such as motion sequences with one frame per row, meshes, generators) are scaled to max 1."})
final class GwCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--x-distances", paramLabel = "FILE", description = "First distance matrix (square, CSV/TSV/NPY).")
    Path xDistances;

    @Option(names = "--y-distances", paramLabel = "FILE", description = "Second distance matrix.")
    Path yDistances;

    @Option(names = "--x", paramLabel = "SPEC",
            description = "First input instead of --x-distances: a feature table (e.g. frames x coordinates), a mesh "
                    + "or a generator (" + Inputs.GENERATORS + ").")
    String x;

    @Option(names = "--y", paramLabel = "SPEC", description = "Second input instead of --y-distances.")
    String y;

    @Option(names = "--metric", paramLabel = "METRIC", defaultValue = "euclidean",
            description = "Metric of feature-table inputs: euclidean, knn:K or scot:K. Default: ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--normalize", description = "Scale each distance matrix to max 1 before solving.")
    boolean normalize;

    /** The problem solved. */
    enum Method {
        /** GW by conditional gradient (or entropic with {@code --entropic}, as before {@code --method} existed). */
        gw,
        /** Entropic GW ({@code --entropic EPS} required). */
        entropic,
        /** Fused GW, conditional gradient or entropic. */
        fused,
        /** Semi-relaxed GW, conditional gradient or entropic. */
        semirelaxed,
        /** Partial GW transporting {@code --mass}. */
        partial
    }

    @Option(names = "--method", paramLabel = "METHOD",
            description = "gw (default), entropic, fused, semirelaxed or partial.")
    Method method;

    @Option(names = "--entropic", paramLabel = "EPS",
            description = "Entropic GW (or entropic fused / semi-relaxed GW) with this epsilon (absolute, POT's "
                    + "convention); without it, conditional gradient with exact OT steps.")
    Double entropic;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Fused GW: weight of the structure term in [0, 1], 1 - A that of the feature cost. "
                    + "Default: 0.5 (POT's).")
    Double alpha;

    @Option(names = "--mass", paramLabel = "S",
            description = "Partial GW: the mass to transport, in (0, 1] (uniform weights). Default: 1, all of it.")
    Double mass;

    @Option(names = "--feature-cost", paramLabel = "FILE",
            description = "Fused GW: the feature cost M, an n x m matrix (CSV/TSV/NPY), used as given.")
    Path featureCost;

    @Option(names = "--features-x", paramLabel = "FILE",
            description = "Fused GW: features of the first space's points, one row per point (CSV/TSV/NPY).")
    Path featuresX;

    @Option(names = "--features-y", paramLabel = "FILE",
            description = "Fused GW: features of the second space's points, as many columns as --features-x.")
    Path featuresY;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Outer iteration limit (default: POT's, 200 conditional gradient / 1000 entropic).")
    Integer maxIterations;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/gw",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "Print only the distance.")
    boolean quiet;

    @Override
    public Integer call() {
        if ((xDistances == null) == (x == null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --x-distances and --x");
        }
        if ((yDistances == null) == (y == null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --y-distances and --y");
        }
        if (entropic != null && (!(entropic > 0) || Double.isInfinite(entropic))) {
            throw new IllegalArgumentException("--entropic must be > 0 and finite, got " + entropic);
        }
        if (maxIterations != null && maxIterations < 1) {
            throw new IllegalArgumentException("--max-iterations must be >= 1, got " + maxIterations);
        }
        Method chosen = checkMethod();
        int t = threads == null ? Parallel.defaultThreads() : threads;
        Inputs.Input a = load("--x", x, xDistances, t);
        Inputs.Input b = load("--y", y, yDistances, t);
        FeatureCost cost = chosen == Method.fused ? featureCost(a.space().size(), b.space().size()) : null;
        EmbeddingRun.createDirectories(out);
        GromovWasserstein.Result r;
        long t0 = System.nanoTime();
        double fusedAlpha = alpha == null ? FusedGromovWasserstein.Options.defaults().alpha() : alpha;
        double partialMass = mass == null ? 1.0 : mass;
        if (chosen == Method.semirelaxed && entropic == null) {
            SemiRelaxedGromovWasserstein.Options o = SemiRelaxedGromovWasserstein.Options.defaults();
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            r = SemiRelaxedGromovWasserstein.conditionalGradient(a.space().space().distanceMatrix(),
                    a.space().weights(), b.space().space().distanceMatrix(), o);
        } else if (chosen == Method.semirelaxed) {
            SemiRelaxedGromovWasserstein.EntropicOptions o = SemiRelaxedGromovWasserstein.EntropicOptions
                    .defaults(entropic);
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            r = SemiRelaxedGromovWasserstein.entropic(a.space().space().distanceMatrix(), a.space().weights(),
                    b.space().space().distanceMatrix(), o);
        } else if (chosen == Method.partial) {
            PartialGromovWasserstein.Options o = PartialGromovWasserstein.Options.defaults();
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            r = PartialGromovWasserstein.solve(a.space().space().distanceMatrix(), a.space().weights(),
                    b.space().space().distanceMatrix(), b.space().weights(), partialMass, o);
        } else if (chosen == Method.fused && entropic == null) {
            GromovWasserstein.Options o = GromovWasserstein.Options.defaults();
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            r = FusedGromovWasserstein.conditionalGradient(a.space(), b.space(), cost.matrix(),
                    FusedGromovWasserstein.Options.defaults().withAlpha(fusedAlpha).withSolver(o));
        } else if (chosen == Method.fused) {
            GromovWasserstein.EntropicOptions o = GromovWasserstein.EntropicOptions.defaults(entropic);
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            r = FusedGromovWasserstein.entropic(a.space(), b.space(), cost.matrix(),
                    FusedGromovWasserstein.EntropicOptions.defaults(entropic).withAlpha(fusedAlpha).withSolver(o));
        } else if (entropic == null) {
            GromovWasserstein.Options o = GromovWasserstein.Options.defaults();
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            r = GromovWasserstein.conditionalGradient(a.space(), b.space(), o);
        } else {
            GromovWasserstein.EntropicOptions o = GromovWasserstein.EntropicOptions.defaults(entropic);
            if (maxIterations != null) {
                o = o.withMaxIterations(maxIterations);
            }
            r = GromovWasserstein.entropic(a.space(), b.space(), o);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        DMatrixRMaj plan = r.planMatrix();
        Tables.writeNpy(out.resolve("plan.npy"), plan);
        DMatrixRMaj da = a.space().space().distanceMatrix();
        DMatrixRMaj db = b.space().space().distanceMatrix();
        Plots.write(Plots.heatmap("X distances: " + a.spec(), da.data, da.numRows, da.numCols, 500, false),
                out.resolve("x_distances.png"));
        Plots.write(Plots.heatmap("Y distances: " + b.spec(), db.data, db.numRows, db.numCols, 500, false),
                out.resolve("y_distances.png"));
        Plots.write(Plots.heatmap("GW plan (rows X, columns Y)", r.plan(), r.rows(), r.cols(), 500, true),
                out.resolve("plan.png"));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "gw");
        m.put("distance", r.distance());
        m.put("variant", chosen == Method.entropic ? "gw" : chosen.name());
        m.put("convention", convention(chosen));
        m.put("method", chosen == Method.partial ? "partial_conditional_gradient"
                : (chosen == Method.fused ? "fused_" : chosen == Method.semirelaxed ? "semirelaxed_" : "")
                + (entropic == null ? "conditional_gradient" : "entropic"));
        m.put("epsilon", entropic);
        if (chosen == Method.partial) {
            m.put("mass", partialMass);
        }
        if (chosen == Method.fused) {
            m.put("alpha", fusedAlpha);
            m.put("feature_cost", cost.description());
        }
        m.put("x", inputMap(a));
        m.put("y", inputMap(b));
        m.put("normalized", normalize || x != null || y != null);
        m.put("iterations", r.iterations());
        m.put("stop_reason", r.stopReason());
        m.put("converged", r.converged());
        m.put("inner_iterations", r.innerIterations());
        m.put("inner_failures", r.innerFailures());
        m.put("marginal_error", r.marginalError());
        if (chosen == Method.partial) {
            m.put("marginal_error_note", "constraint violation: sum max(0, T1 - p) + sum max(0, T'1 - q) + |sum T "
                    + "- mass|");
        }
        if (chosen == Method.semirelaxed) {
            m.put("marginal_error_note", "first marginal only (the second is free)");
            m.put("second_marginal", GromovCost.columnSums(r.plan(), r.rows(), r.cols()));
        }
        m.put("seconds", seconds);
        m.put("files", List.of("result.json", "plan.npy", "x_distances.png", "y_distances.png", "plan.png"));
        Json.write(out.resolve("result.json"), m);

        PrintWriter w = spec.commandLine().getOut();
        if (quiet) {
            w.println(r.distance());
        } else {
            String label = chosen == Method.fused ? "Fused GW value" : chosen == Method.semirelaxed
                    ? "Semi-relaxed GW value" : chosen == Method.partial ? "Partial GW value" : "GW distance";
            String parameters = chosen == Method.fused ? ", alpha " + fusedAlpha
                    : chosen == Method.partial ? ", mass " + partialMass : "";
            w.printf(Locale.ROOT, "%s %.10g  (%s%s%s, %d x %d, %d iterations, %s, marginal error %.1e, "
                    + "%.2f s)%n", label, r.distance(), entropic == null ? "conditional gradient" : "entropic, epsilon ",
                    entropic == null ? "" : String.valueOf(entropic), parameters, r.rows(), r.cols(), r.iterations(),
                    r.stopReason(), r.marginalError(), seconds);
            w.printf(Locale.ROOT, "wrote %s: result.json, plan.npy, x_distances.png, y_distances.png, plan.png%n", out);
        }
        w.flush();
        return 0;
    }

    /** The feature cost of fused GW and where it came from. */
    private record FeatureCost(DMatrixRMaj matrix, Map<String, Object> description) {
    }

    /** The method after checking that the options given belong to it (one line naming the option otherwise). */
    private Method checkMethod() {
        Method chosen = method == null ? (entropic == null ? Method.gw : Method.entropic) : method;
        if (chosen == Method.gw && method != null && entropic != null) {
            throw bad("--method gw is the conditional gradient: use --method entropic with --entropic " + entropic);
        }
        if (chosen == Method.entropic && entropic == null) {
            throw bad("--method entropic needs --entropic EPS (epsilon > 0)");
        }
        if (chosen == Method.partial && entropic != null) {
            throw bad("--entropic " + entropic + " is not available with --method partial (conditional gradient "
                    + "only)");
        }
        if (mass != null && chosen != Method.partial) {
            throw bad("--mass is only used with --method partial (the method is " + chosen + ")");
        }
        if (mass != null && !(mass > 0 && mass <= 1)) {
            throw bad("--mass must be in (0, 1] (the weights are uniform), got " + mass);
        }
        if (chosen != Method.fused) {
            String stray = alpha != null ? "--alpha" : featureCost != null ? "--feature-cost" : featuresX != null
                    ? "--features-x" : featuresY != null ? "--features-y" : null;
            if (stray != null) {
                throw bad(stray + " is only used with --method fused (the method is " + chosen + ")");
            }
            return chosen;
        }
        if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
            throw bad("--alpha must be in [0, 1], got " + alpha);
        }
        if (featureCost != null && (featuresX != null || featuresY != null)) {
            throw bad("give either --feature-cost or --features-x with --features-y, not both");
        }
        if (featureCost == null && (featuresX == null || featuresY == null)) {
            throw bad("--method fused needs a feature cost: --feature-cost FILE (n x m) or both --features-x FILE "
                    + "and --features-y FILE" + (featuresX != null ? " (--features-y is missing)"
                            : featuresY != null ? " (--features-x is missing)" : ""));
        }
        return chosen;
    }

    private FeatureCost featureCost(int n, int m) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (featureCost != null) {
            DMatrixRMaj c = Tables.read(featureCost).values();
            if (c.numRows != n || c.numCols != m) {
                throw bad("--feature-cost " + featureCost + " is " + c.numRows + "x" + c.numCols + " but the spaces "
                        + "have " + n + " and " + m + " points (expected " + n + "x" + m + ")");
            }
            d.put("source", featureCost.toString());
            d.put("definition", "as given");
            return new FeatureCost(c, d);
        }
        DMatrixRMaj fx = Tables.read(featuresX).values();
        DMatrixRMaj fy = Tables.read(featuresY).values();
        if (fx.numRows != n) {
            throw bad("--features-x " + featuresX + " has " + fx.numRows + " rows but the first space has " + n
                    + " points (expected one row per point)");
        }
        if (fy.numRows != m) {
            throw bad("--features-y " + featuresY + " has " + fy.numRows + " rows but the second space has " + m
                    + " points (expected one row per point)");
        }
        if (fx.numCols != fy.numCols) {
            throw bad("--features-x has " + fx.numCols + " columns but --features-y has " + fy.numCols
                    + " (expected the same features)");
        }
        DMatrixRMaj c = new DMatrixRMaj(n, m);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double s = 0;
                for (int f = 0; f < fx.numCols; f++) {
                    double diff = fx.get(i, f) - fy.get(k, f);
                    s += diff * diff;
                }
                c.set(i, k, s);
            }
        }
        d.put("source", featuresX + ", " + featuresY);
        d.put("definition", "squared Euclidean distances between feature rows (POT's ot.dist)");
        d.put("features", fx.numCols);
        return new FeatureCost(c, d);
    }

    private static String convention(Method chosen) {
        String gw = "sum_{i,i',j,j'} (A_ii' - B_jj')^2 T_ij T_i'j' at the returned plan, square loss, no 1/2";
        return switch (chosen) {
            case fused -> "(1 - alpha) <M, T> + alpha " + gw + " (POT fused_gromov_wasserstein2 / "
                    + "entropic_fused_gromov_wasserstein2), uniform weights";
            case partial -> gw + ", T >= 0 with T 1 <= p, T'1 <= q, sum T = mass (POT partial_gromov_wasserstein2, "
                    + "whose value is half of this), uniform weights";
            case semirelaxed -> gw + ", T >= 0 with T 1 = p only (POT semirelaxed_gromov_wasserstein2 / "
                    + "entropic_semirelaxed_gromov_wasserstein2), uniform p";
            default -> gw + " (POT gromov_wasserstein2 / entropic_gromov_wasserstein2), uniform weights";
        };
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Inputs.Input load(String option, String specText, Path distances, int t) {
        if (specText != null) {
            return Inputs.load(option, specText, metric, t);
        }
        return Inputs.distances(option + "-distances", distances, normalize);
    }

    private static Map<String, Object> inputMap(Inputs.Input in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", in.spec());
        m.put("description", in.description());
        m.put("points", in.space().size());
        return m;
    }
}
