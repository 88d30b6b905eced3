package org.gwembed.batch;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.cli.Json;
import org.gwembed.cli.Plots;
import org.gwembed.embedding.CollectionMetrics;
import org.gwembed.embedding.Smacof;
import org.gwembed.solvers.FusedGromovWasserstein;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gwembed batch pairwise}: the pairwise matrix of a folder of distance matrices. */
@Command(name = "pairwise", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The pairwise (fused) GW / EW_lambda matrix of a collection of distance matrices.",
        description = {"Every pair i < j of the distance matrices in --inputs (.npy/.csv/.tsv/.txt, uniform weights, "
                + "used as given unless --normalize) through the single-problem solver of --method: gw (conditional "
                + "gradient, POT's gromov_wasserstein2), entropic-gw (--epsilon, POT's entropic_gromov_wasserstein2), "
                + "semirelaxed-gw (both directions: matrix[i][j] = srGW(i -> j), matrix[j][i] = srGW(j -> i)), "
                + "partial-gw (--mass), lowrank-gw (--rank, --seed), ewl (EW_lambda into --space with --lambda and "
                + "--epsilon: J in matrix.npy, W2^2(zeta1, zeta2) in second.npy), fused-gw (--alpha, POT's "
                + "fused_gromov_wasserstein2) and entropic-fused-gw (--alpha, --epsilon, POT's "
                + "entropic_fused_gromov_wasserstein2).",
            "Fused GW: each member NAME.npy comes with its node features beside it, NAME.features.npy or "
                + "NAME.features.csv (one row per point, the same columns for every member; never a member itself). "
                + "The feature cost of a pair is M = squared Euclidean distances between feature rows (POT's ot.dist, "
                + "as 'gwembed gw --method fused --features-x --features-y'), used as given (also with --normalize); "
                + "value (1 - alpha) <M, T> + alpha GW term. A member without a feature table, or with another row "
                + "count, or a pair with different feature columns, is bad with the reason.",
            "GW diagonal: set to 0 and checked on a sample of 3 members (their GW(X, X) in summary.json); EW_lambda's "
                + "diagonal is computed. A bad member (unreadable, not square, NaN, negative, asymmetric) makes its "
                + "pairs bad with the reason (NaN in matrix.npy, status 'bad' in pairs.csv); the job goes on.",
            "Writes matrix.npy, pairs.csv, summary.json, heatmap.png (rows and columns in average-linkage leaf "
                + "order), mds.png (2-D SMACOF of the square roots of the values), and with --engine spark "
                + "results.parquet; log/ holds every finished pair at once (--resume skips them)."})
final class PairwiseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--inputs", paramLabel = "DIR", required = true,
            description = "Folder of distance matrices, one member per file (labels.csv is skipped).")
    Path inputs;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "gw",
            description = "gw, entropic-gw, semirelaxed-gw, partial-gw, lowrank-gw, ewl, fused-gw or "
                    + "entropic-fused-gw. Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--epsilon", paramLabel = "EPS",
            description = "Entropic (fused) GW / EW_lambda / low-rank GW: epsilon (absolute for GW, POT's "
                    + "convention).")
    Double epsilon;

    @Option(names = "--lambda", paramLabel = "L", description = "EW_lambda: lambda. Default: 10.")
    Double lambda;

    @Option(names = "--space", paramLabel = "SPEC", defaultValue = "plane:10",
            description = "EW_lambda: the embedding space (as 'gwembed embed --space'). Default: ${DEFAULT-VALUE}.")
    String space;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Fused GW: weight of the structure term in [0, 1], 1 - A that of the feature cost. "
                    + "Default: 0.5 (as 'gwembed gw').")
    Double alpha;

    @Option(names = "--mass", paramLabel = "S", description = "Partial GW: the mass in (0, 1]. Default: 1.")
    Double mass;

    @Option(names = "--rank", paramLabel = "R", description = "Low-rank GW: the rank. Default: 10.")
    Integer rank;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "49",
            description = "Low-rank GW: seed of the random start. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Outer iteration limit per pair (default: the solver's, POT's for GW).")
    Integer maxIterations;

    @Option(names = "--normalize", description = "Scale each distance matrix to max 1 before solving.")
    boolean normalize;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "CSV of member names and class labels (header: name,label): adds 1-NN leave-one-out "
                    + "accuracy and the silhouette to summary.json and colours mds.png. Default: "
                    + "--inputs/labels.csv when present.")
    Path labels;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        Path out = run.out;
        PairSpec pairSpec = pairSpec();
        List<Member> members = Member.scan(inputs, Set.of("labels.csv"));
        Path labelFile = labels != null ? labels : Files.exists(inputs.resolve("labels.csv"))
                ? inputs.resolve("labels.csv") : null;
        Labels classes = labelFile == null ? null : Labels.read(labelFile, members);
        PairwiseJob job = new PairwiseJob(members, pairSpec);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create --out " + out + ": " + e.getMessage(), e);
        }
        String[] master = {null};
        PairwiseJob.Result r = run.run(spec.commandLine().getErr(), "pairs", (engine, listener) -> {
            PairwiseJob.Result result = job.run(engine, out, run.resume, listener);
            if (engine instanceof SparkEngine s) {
                master[0] = s.master();
                job.writeParquet(s, out.resolve("results.parquet"), result);
            }
            return result;
        });
        DMatrixRMaj d = dissimilarities(r.matrix());
        List<String> files = new ArrayList<>(List.of("matrix.npy", "pairs.csv", "summary.json", "heatmap.png",
                "mds.png"));
        if (r.second() != null) {
            files.add(1, "second.npy");
        }
        if (master[0] != null) {
            files.add("results.parquet");
        }
        Map<String, Object> summary = summary(r, master[0], classes, d, files);
        drawHeatmap(r, d);
        drawMds(d, classes);
        Json.write(out.resolve("summary.json"), summary);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%d members, %d pairs (%d bad, %d resumed) by %s on %s x%d in %.1f s; wrote %s: %s%n",
                members.size(), r.pairs().size(), r.bad().size(), r.skipped(), pairSpec.method().cliName(), r.engine(),
                r.parallelism(), r.seconds(), out, String.join(", ", files));
        if (summary.get("metrics") instanceof Map<?, ?> m) {
            w.printf(Locale.ROOT, "1-NN accuracy %.3f, silhouette %.3f%n", (Double) m.get("nearest_neighbour_accuracy"),
                    (Double) m.get("silhouette"));
        }
        w.flush();
        return 0;
    }

    private PairSpec pairSpec() {
        PairSpec.Method m = PairSpec.Method.parse(method);
        if (maxIterations != null && maxIterations < 1) {
            throw new IllegalArgumentException("--max-iterations must be >= 1, got " + maxIterations);
        }
        if ((m == PairSpec.Method.ENTROPIC_GW || m == PairSpec.Method.EWL || m == PairSpec.Method.ENTROPIC_FUSED_GW)
                && epsilon == null) {
            throw new IllegalArgumentException("--method " + m.cliName() + " needs --epsilon EPS (> 0)");
        }
        if (epsilon != null && !(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("--epsilon must be > 0 and finite, got " + epsilon);
        }
        if (lambda != null && !(lambda > 0 && Double.isFinite(lambda))) {
            throw new IllegalArgumentException("--lambda must be > 0 and finite, got " + lambda);
        }
        if (alpha != null && !m.fused()) {
            throw new IllegalArgumentException("--alpha is only used with --method fused-gw or entropic-fused-gw "
                    + "(the method is " + m.cliName() + ")");
        }
        if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
        }
        if (mass != null && !(mass > 0 && mass <= 1)) {
            throw new IllegalArgumentException("--mass must be in (0, 1], got " + mass);
        }
        if (rank != null && rank < 1) {
            throw new IllegalArgumentException("--rank must be >= 1, got " + rank);
        }
        double fusedAlpha = !m.fused() ? Double.NaN
                : alpha != null ? alpha : FusedGromovWasserstein.Options.defaults().alpha();
        return new PairSpec(m, epsilon == null ? Double.NaN : epsilon, maxIterations == null ? 0 : maxIterations,
                mass == null ? 1 : mass, rank == null ? 10 : rank, seed, lambda == null ? 10 : lambda,
                m == PairSpec.Method.EWL ? space : null, normalize, fusedAlpha);
    }

    /**
     * The matrix as dissimilarities for clustering, metrics and MDS: symmetrised ({@code (M + Mᵀ)/2}, for
     * semi-relaxed GW), the diagonal 0, bad pairs at the largest finite value.
     */
    static DMatrixRMaj dissimilarities(DMatrixRMaj m) {
        int n = m.numRows;
        double max = 0;
        for (double v : m.data) {
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
            }
        }
        DMatrixRMaj d = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = i == j ? 0 : 0.5 * (m.get(i, j) + m.get(j, i));
                d.set(i, j, Double.isFinite(v) ? Math.max(0, v) : max);
            }
        }
        return d;
    }

    private Map<String, Object> summary(PairwiseJob.Result r, String master, Labels classes, DMatrixRMaj d,
            List<String> files) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "batch pairwise");
        s.put("method", r.spec().method().cliName());
        s.put("settings", r.spec().describe());
        s.put("normalized", r.spec().normalize());
        s.put("engine", r.engine());
        s.put("master", master);
        s.put("parallelism", r.parallelism());
        s.put("inputs", inputs.toAbsolutePath().toString());
        s.put("members", r.members().size());
        s.put("pairs", r.pairs().size());
        s.put("pairs_ok", r.pairs().size() - r.bad().size());
        List<Map<String, Object>> bad = new ArrayList<>();
        for (PairResult p : r.bad()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("i", r.members().get(p.i()).name());
            b.put("j", r.members().get(p.j()).name());
            b.put("reason", p.reason());
            bad.add(b);
        }
        s.put("bad_pairs", bad);
        s.put("not_converged", r.pairs().stream().filter(p -> p.ok() && !p.converged()).count());
        Map<String, Object> diag = new LinkedHashMap<>();
        if (r.spec().method().zeroDiagonal()) {
            diag.put("rule", "set to 0; GW(X, X) computed for a sample of members as a check");
            Map<String, Object> values = new LinkedHashMap<>();
            for (PairResult p : r.diagonalSample()) {
                values.put(r.members().get(p.i()).name(), p.ok() ? p.value() : p.reason());
            }
            diag.put("sample", values);
            diag.put("max", r.maxDiagonal());
        } else {
            diag.put("rule", "computed for every member (EW_lambda(X, X) > 0)");
        }
        s.put("diagonal", diag);
        s.put("resumed_pairs", r.skipped());
        s.put("tasks_run", r.ran());
        s.put("seconds", r.seconds());
        s.put("tasks_per_second", r.seconds() > 0 ? r.ran() / r.seconds() : null);
        if (classes != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("classes", classes.names());
            m.put("nearest_neighbour_accuracy", CollectionMetrics.nearestNeighbourAccuracy(d, classes.codes()));
            m.put("silhouette", classes.names().size() >= 2 ? CollectionMetrics.silhouette(d, classes.codes())
                    : null);
            m.put("note", "leave-one-out 1-NN and mean silhouette on the matrix (symmetrised, bad pairs at its max)");
            s.put("metrics", m);
        }
        s.put("files", files);
        return s;
    }

    private void drawHeatmap(PairwiseJob.Result r, DMatrixRMaj d) {
        int n = d.numRows;
        int[] order = CollectionMetrics.averageLinkage(d).leaves();
        double[] shown = new double[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                shown[a * n + b] = r.matrix().get(order[a], order[b]);
            }
        }
        Plots.write(Plots.heatmap(r.spec().method().cliName() + " matrix, " + n
                + " members in average-linkage order", shown, n, n, 600, false), run.out.resolve("heatmap.png"));
    }

    private void drawMds(DMatrixRMaj d, Labels classes) {
        int n = d.numRows;
        DMatrixRMaj root = new DMatrixRMaj(n, n);
        for (int k = 0; k < d.data.length; k++) {
            root.data[k] = Math.sqrt(d.data[k]);
        }
        Smacof.Result mds = Smacof.unweighted(root, 2, 4, new SplittableRandom(0), Smacof.Options.defaults());
        int[] codes = classes == null ? new int[n] : classes.codes();
        List<String> names = classes == null ? List.of("members") : classes.names();
        Plots.write(Plots.labelPlot("MDS of the collection (SMACOF on sqrt of the values)", mds.configuration(),
                codes, names, "MDS 1", "MDS 2", 640, 520), run.out.resolve("mds.png"));
    }
}
