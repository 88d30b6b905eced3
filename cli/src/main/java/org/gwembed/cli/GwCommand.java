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
import org.gwembed.solvers.GromovWasserstein;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gwembed gw}: the square-loss Gromov–Wasserstein distance and plan between two mm-spaces (POT's convention). */
@Command(name = "gw", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Gromov-Wasserstein distance and plan (POT conventions), with heat maps.",
        description = {"Gromov-Wasserstein distance and plan between two metric-measure spaces with uniform "
                + "weights, as POT's gromov_wasserstein2 (conditional gradient, the default) or "
                + "entropic_gromov_wasserstein2 (--entropic EPS, epsilon absolute): distance = sum (A_ii' - B_jj')^2 "
                + "T_ij T_i'j' at the returned plan.",
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

    @Option(names = "--entropic", paramLabel = "EPS",
            description = "Entropic GW with this epsilon (absolute, POT's convention); without it, conditional "
                    + "gradient with exact OT steps.")
    Double entropic;

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
        int t = threads == null ? Parallel.defaultThreads() : threads;
        Inputs.Input a = load("--x", x, xDistances, t);
        Inputs.Input b = load("--y", y, yDistances, t);
        EmbeddingRun.createDirectories(out);
        GromovWasserstein.Result r;
        long t0 = System.nanoTime();
        if (entropic == null) {
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
        m.put("convention", "sum_{i,i',j,j'} (A_ii' - B_jj')^2 T_ij T_i'j' at the returned plan, square loss, no 1/2 "
                + "(POT gromov_wasserstein2 / entropic_gromov_wasserstein2), uniform weights");
        m.put("method", entropic == null ? "conditional_gradient" : "entropic");
        m.put("epsilon", entropic);
        m.put("x", inputMap(a));
        m.put("y", inputMap(b));
        m.put("normalized", normalize || x != null || y != null);
        m.put("iterations", r.iterations());
        m.put("stop_reason", r.stopReason());
        m.put("converged", r.converged());
        m.put("inner_iterations", r.innerIterations());
        m.put("inner_failures", r.innerFailures());
        m.put("marginal_error", r.marginalError());
        m.put("seconds", seconds);
        m.put("files", List.of("result.json", "plan.npy", "x_distances.png", "y_distances.png", "plan.png"));
        Json.write(out.resolve("result.json"), m);

        PrintWriter w = spec.commandLine().getOut();
        if (quiet) {
            w.println(r.distance());
        } else {
            w.printf(Locale.ROOT, "GW distance %.10g  (%s%s, %d x %d, %d iterations, %s, marginal error %.1e, "
                    + "%.2f s)%n", r.distance(), entropic == null ? "conditional gradient" : "entropic, epsilon ",
                    entropic == null ? "" : String.valueOf(entropic), r.rows(), r.cols(), r.iterations(),
                    r.stopReason(), r.marginalError(), seconds);
            w.printf(Locale.ROOT, "wrote %s: result.json, plan.npy, x_distances.png, y_distances.png, plan.png%n", out);
        }
        w.flush();
        return 0;
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
