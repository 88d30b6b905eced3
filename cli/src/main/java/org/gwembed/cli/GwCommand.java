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
import org.gwembed.metricspaces.InputFormatException;
import org.gwembed.metricspaces.Tables;
import org.gwembed.solvers.FusedGromovWasserstein;
import org.gwembed.solvers.GromovCost;
import org.gwembed.solvers.GromovWasserstein;
import org.gwembed.solvers.LowRankGromovWasserstein;
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
            "--method lowrank --rank R: low-rank GW (Scetbon, Cuturi, Peyre 2022, as POT 0.9's "
                + "lowrank_gromov_wasserstein_samples), the plan restricted to Q diag(1/g) R' of rank R; with --x/--y "
                + "feature tables the costs are squared Euclidean distances scaled to max 1, never formed (time and "
                + "memory linear in the number of points); writes result.json, q.npy, r.npy, g.npy (no n x m plan, no "
                + "heat maps).",
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

    @Option(names = "--x-weights", paramLabel = "FILE",
            description = "Weights of the first space's points: one number per line or a 1-D .npy, finite, >= 0, "
                    + "divided by their sum. Default: uniform.")
    Path xWeights;

    @Option(names = "--y-weights", paramLabel = "FILE",
            description = "Weights of the second space's points, as --x-weights (not with --method semirelaxed, "
                    + "whose second marginal is free). Default: uniform.")
    Path yWeights;

    @Option(names = "--metric", paramLabel = "METRIC", defaultValue = "euclidean",
            description = "Metric of feature-table inputs: " + Inputs.METRICS + ". Default: ${DEFAULT-VALUE}.")
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
        partial,
        /** Low-rank GW of rank {@code --rank}, linear in the number of points. */
        lowrank
    }

    @Option(names = "--method", paramLabel = "METHOD",
            description = "gw (default), entropic, fused, semirelaxed, partial or lowrank.")
    Method method;

    @Option(names = "--entropic", paramLabel = "EPS",
            description = "Entropic GW (or entropic fused / semi-relaxed GW) with this epsilon (absolute, POT's "
                    + "convention); without it, conditional gradient with exact OT steps.")
    Double entropic;

    @Option(names = "--over-relaxation", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Entropic GW and entropic fused GW: over-relax the Sinkhorn updates of each sub-problem, the "
                    + "factor chosen from its convergence rate (the same solutions to the inner tolerance in about "
                    + "half the iterations). On by default; --no-over-relaxation: plain updates, as POT.")
    boolean overRelaxation;

    @Option(names = "--acceleration-memory", paramLabel = "K",
            description = "Entropic GW and entropic fused GW: Anderson acceleration of the outer iteration with K "
                    + "differences kept (0-" + GromovWasserstein.MAX_ACCELERATION_MEMORY + "; the same fixed point "
                    + "in about a third of the outer iterations). Default: "
                    + GromovWasserstein.DEFAULT_ACCELERATION_MEMORY + "; 0: POT's plain iterates.")
    Integer accelerationMemory;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Fused GW: weight of the structure term in [0, 1], 1 - A that of the feature cost. "
                    + "Default: 0.5 (POT's).")
    Double alpha;

    @Option(names = "--mass", paramLabel = "S",
            description = "Partial GW: the mass to transport, in (0, 1] (the weights sum to 1). Default: 1, all of it.")
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

    @Option(names = "--rank", paramLabel = "R",
            description = "Low-rank GW: the rank of the plan, 1 <= R <= min(n, m).")
    Integer rank;

    @Option(names = "--gamma", paramLabel = "G",
            description = "Low-rank GW: the mirror-descent step: G / max|gradient|^2 at each iteration (POT's "
                    + "'rescale'). Default: 10.")
    Double gamma;

    @Option(names = "--tolerance", paramLabel = "TOL",
            description = "Low-rank GW: stop when gamma^-2 times the symmetric KL change of (Q, R, g) is <= TOL "
                    + "(POT's criterion; its default 1e-4 often stops after a few steps). Default: 1e-4.")
    Double tolerance;

    @Option(names = "--seed", paramLabel = "S",
            description = "Low-rank GW: seed of the random start. Default: 49.")
    Long seed;

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
        if (accelerationMemory != null && (accelerationMemory < 0
                || accelerationMemory > GromovWasserstein.MAX_ACCELERATION_MEMORY)) {
            throw new IllegalArgumentException("--acceleration-memory must be in 0.."
                    + GromovWasserstein.MAX_ACCELERATION_MEMORY + ", got " + accelerationMemory);
        }
        Method chosen = checkMethod();
        if (chosen == Method.lowrank) {
            return lowRank();
        }
        int t = threads == null ? Parallel.defaultThreads() : threads;
        Inputs.Input a = Inputs.withWeights("--x-weights", load("--x", x, xDistances, t), xWeights);
        Inputs.Input b = Inputs.withWeights("--y-weights", load("--y", y, yDistances, t), yWeights);
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
            GromovWasserstein.EntropicOptions o = entropicOptions();
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
            GromovWasserstein.EntropicOptions o = entropicOptions();
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
        m.put("convention", Inputs.uniform(a) && Inputs.uniform(b) ? convention(chosen)
                : convention(chosen).replace("uniform weights", "weights as x.description and y.description say")
                        .replace("uniform p", "p as x.description says"));
        m.put("method", chosen == Method.partial ? "partial_conditional_gradient"
                : (chosen == Method.fused ? "fused_" : chosen == Method.semirelaxed ? "semirelaxed_" : "")
                + (entropic == null ? "conditional_gradient" : "entropic"));
        m.put("epsilon", entropic);
        if (entropic != null && (chosen == Method.gw || chosen == Method.entropic || chosen == Method.fused)) {
            m.put("inner_updates", overRelaxation ? "over-relaxed (adaptive, at most "
                    + GromovWasserstein.MAX_RELAXATION + ")" : "plain");
            m.put("acceleration_memory", entropicOptions().accelerationMemory());
        }
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

    /** {@code --method lowrank}: never an n x n matrix for feature tables. */
    private Integer lowRank() {
        LowSide a = lowRankSide("--x", x, xDistances);
        LowSide b = lowRankSide("--y", y, yDistances);
        int n = a.space().size();
        int m = b.space().size();
        if (rank > Math.min(n, m)) {
            throw bad("--rank must be <= min(n, m) = " + Math.min(n, m) + " (the inputs have " + n + " and " + m
                    + " points), got " + rank);
        }
        LowRankGromovWasserstein.Options o = LowRankGromovWasserstein.Options.defaults(rank);
        if (gamma != null) {
            o = o.withRescaledGamma(gamma);
        }
        if (tolerance != null) {
            o = o.withTolerance(tolerance);
        }
        if (seed != null) {
            o = o.withSeed(seed);
        }
        if (entropic != null) {
            o = o.withEpsilon(entropic);
        }
        if (maxIterations != null) {
            o = o.withMaxIterations(maxIterations);
        }
        EmbeddingRun.createDirectories(out);
        long t0 = System.nanoTime();
        double[] p = lowRankWeights("--x-weights", xWeights, a, n);
        double[] q = lowRankWeights("--y-weights", yWeights, b, m);
        LowRankGromovWasserstein.Result r = LowRankGromovWasserstein.solve(a.space(), p, b.space(), q, o);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Tables.writeNpy(out.resolve("q.npy"), new DMatrixRMaj(n, r.rank(), true, r.q()));
        Tables.writeNpy(out.resolve("r.npy"), new DMatrixRMaj(m, r.rank(), true, r.r()));
        Tables.writeNpy(out.resolve("g.npy"), r.g());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("command", "gw");
        j.put("distance", r.distance());
        j.put("variant", "lowrank");
        j.put("convention", convention(Method.lowrank) + (xWeights == null && yWeights == null ? ""
                : "; weights from " + (xWeights == null ? "uniform" : xWeights.getFileName()) + " and "
                        + (yWeights == null ? "uniform" : yWeights.getFileName()) + ", divided by their sums"));
        j.put("method", "lowrank_mirror_descent");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rank", o.rank());
        parameters.put("epsilon", o.epsilon());
        parameters.put("gamma", o.gamma());
        parameters.put("gamma_rescaled", o.rescaleGamma());
        parameters.put("lower_bound", o.lowerBound());
        parameters.put("max_iterations", o.maxIterations());
        parameters.put("tolerance", o.tolerance());
        parameters.put("dykstra_max_iterations", o.dykstraMaxIterations());
        parameters.put("dykstra_tolerance", o.dykstraTolerance());
        parameters.put("seed", o.seed());
        j.put("parameters", parameters);
        j.put("x", a.description());
        j.put("y", b.description());
        j.put("iterations", r.iterations());
        j.put("stop_reason", r.stopReason());
        j.put("converged", r.converged());
        j.put("inner_iterations", r.innerIterations());
        j.put("inner_failures", r.innerFailures());
        j.put("marginal_error", r.marginalError());
        j.put("plan", "P = Q diag(1/g) R' with Q = q.npy (n x rank), R = r.npy (m x rank), g = g.npy");
        j.put("seconds", seconds);
        j.put("files", List.of("result.json", "q.npy", "r.npy", "g.npy"));
        Json.write(out.resolve("result.json"), j);
        PrintWriter w = spec.commandLine().getOut();
        if (quiet) {
            w.println(r.distance());
        } else {
            w.printf(Locale.ROOT, "Low-rank GW value %.10g  (rank %d, %d x %d, %d iterations, %s, marginal error %.1e, "
                    + "%.2f s)%n", r.distance(), r.rank(), n, m, r.iterations(), r.stopReason(), r.marginalError(),
                    seconds);
            w.printf(Locale.ROOT, "wrote %s: result.json, q.npy, r.npy, g.npy%n", out);
        }
        w.flush();
        return 0;
    }

    /** One side of a low-rank run: its cost as thin products, and how it was read. */
    private record LowSide(LowRankGromovWasserstein.Space space, Map<String, Object> description) {
    }

    private LowSide lowRankSide(String option, String specText, Path distances) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (distances != null) {
            Inputs.Input in = Inputs.distances(option + "-distances", distances, normalize);
            d.put("spec", in.spec());
            d.put("description", "dense distance matrix " + in.description() + ", used through dense products");
            d.put("points", in.space().size());
            return new LowSide(LowRankGromovWasserstein.dense(in.space().space().distanceMatrix(), option
                    + "-distances"), d);
        }
        Path file = Path.of(specText.trim());
        String ext = Inputs.extension(file);
        if (!(ext.equals("csv") || ext.equals("tsv") || ext.equals("txt") || ext.equals("npy"))) {
            throw bad(option + " " + specText + ": --method lowrank takes a feature table (.csv/.tsv/.txt/.npy, one "
                    + "point per row) or " + option + "-distances, not a mesh or generator");
        }
        if (!metric.trim().equalsIgnoreCase("euclidean")) {
            throw bad("--metric " + metric + " is not available with --method lowrank (squared Euclidean "
                    + "distances of the feature rows only)");
        }
        if (!java.nio.file.Files.exists(file)) {
            throw new InputFormatException(file, "no such file (" + option + " takes a feature table with "
                    + "--method lowrank)");
        }
        DMatrixRMaj pts = Tables.read(file).values();
        if (pts.numRows < 2) {
            throw new InputFormatException(file, "a feature table needs at least 2 rows (points), got "
                    + pts.numRows);
        }
        double max;
        try {
            max = LowRankGromovWasserstein.maxSquaredDistance(pts);
            if (!(max > 0) || Double.isInfinite(max)) {
                throw new IllegalArgumentException("the points must not all coincide and must be finite (largest "
                        + "squared distance " + max + ")");
            }
            d.put("spec", specText);
            d.put("description", "squared Euclidean distances of " + file.getFileName() + " (" + pts.numRows + "x"
                    + pts.numCols + "), scaled to max 1, as an exact rank " + (pts.numCols + 2) + " factorisation");
            d.put("points", pts.numRows);
            d.put("scale", 1 / max);
            return new LowSide(LowRankGromovWasserstein.pointCloud(pts, 1 / max), d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** The weights of a low-rank side: uniform, or {@code file}'s as {@link Inputs#weights} checks them. */
    private static double[] lowRankWeights(String option, Path file, LowSide side, int n) {
        if (file == null) {
            double[] w = new double[n];
            java.util.Arrays.fill(w, 1.0 / n);
            return w;
        }
        return Inputs.weights(option, file, String.valueOf(side.description().get("spec")), n, false, false).values();
    }

    /** The feature cost of fused GW and where it came from. */
    private record FeatureCost(DMatrixRMaj matrix, Map<String, Object> description) {
    }

    /** Entropic GW's settings from {@code --entropic}, {@code --over-relaxation} and {@code --acceleration-memory}. */
    private GromovWasserstein.EntropicOptions entropicOptions() {
        GromovWasserstein.EntropicOptions o = GromovWasserstein.EntropicOptions.defaults(entropic)
                .withOverRelaxation(overRelaxation);
        return accelerationMemory == null ? o : o.withAcceleration(accelerationMemory);
    }

    /** The method after checking that the options given belong to it (one line naming the option otherwise). */
    private Method checkMethod() {
        Method chosen = method == null ? (entropic == null ? Method.gw : Method.entropic) : method;
        if (chosen == Method.semirelaxed && yWeights != null) {
            throw bad("--y-weights is not used by --method semirelaxed (its second marginal is free; --x-weights "
                    + "sets the first)");
        }
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
        if (chosen == Method.lowrank && rank == null) {
            throw bad("--method lowrank needs --rank R (the rank of the plan, >= 1)");
        }
        if (chosen != Method.lowrank) {
            String stray = rank != null ? "--rank" : gamma != null ? "--gamma" : seed != null ? "--seed"
                    : tolerance != null ? "--tolerance" : null;
            if (stray != null) {
                throw bad(stray + " is only used with --method lowrank (the method is " + chosen + ")");
            }
        }
        if (rank != null && rank < 1) {
            throw bad("--rank must be >= 1, got " + rank);
        }
        if (tolerance != null && (!(tolerance > 0) || Double.isInfinite(tolerance))) {
            throw bad("--tolerance must be > 0 and finite, got " + tolerance);
        }
        if (gamma != null && (!(gamma > 0) || Double.isInfinite(gamma))) {
            throw bad("--gamma must be > 0 and finite, got " + gamma);
        }
        if (mass != null && chosen != Method.partial) {
            throw bad("--mass is only used with --method partial (the method is " + chosen + ")");
        }
        if (mass != null && !(mass > 0 && mass <= 1)) {
            throw bad("--mass must be in (0, 1] (the weights sum to 1), got " + mass);
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
        DMatrixRMaj c = FusedGromovWasserstein.featureCost(fx, fy);
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
            case lowrank -> gw + ", P = Q diag(1/g) R' of the given rank with uniform marginals (mirror descent "
                    + "with LR-Dykstra, Scetbon-Cuturi-Peyre 2022; POT 0.9 lowrank_gromov_wasserstein_samples), the "
                    + "value from the plan's own marginals";
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
        m.put("uniform_weights", Inputs.uniform(in));
        return m;
    }
}
