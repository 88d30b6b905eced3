package org.gwembed.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.gwembed.embedding.AlignmentMetrics;
import org.gwembed.embedding.BarycentricProjection;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.JointMds;
import org.gwembed.embedding.ModelSelection;
import org.gwembed.embedding.SingleCellAlignment;
import org.gwembed.embedding.WassersteinProcrustes;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.solvers.GromovWasserstein;

/**
 * The factor study of docs/single-cell-study.md: runs one candidate per argument on a dataset and prints, for every
 * read-out of its alignment, the symmetric FOSCTTM on the validation and test cells of the align command's split
 * (a seeded random 10 %, seed 0), 5-NN label transfer on the test cells and the wall time.
 *
 * <pre>
 * java -cp cli/target/gwembed.jar org.gwembed.examples.SingleCellStudy DATA_DIR snareseq \
 *     method=ewl,k=10,mode=conn,metric=corr,l2=1,space=plane:20,eps=1e-3,lambdas=1,iters=50
 * </pre>
 *
 * <p>Keys (defaults in brackets): {@code method} ewl | jmds | gw [ewl]; {@code k} [10]; {@code mode} conn | dist
 * [conn]; {@code metric} corr | eucl [corr]; {@code l2} 1 | 0 [1]; {@code space} [plane:20]; {@code eps} [1e-3,
 * relative for ewl, absolute for gw]; {@code lambdas} λ values separated by {@code _}, run as one continuation [1];
 * {@code iters} outer iterations per λ [50]; {@code restarts}, {@code pert}, {@code seed} [1, 0, 0];
 * {@code jmds} iterations [100]; {@code threads} [2]. Read-outs: {@code grid} (barycentric projections onto the
 * embedding space), {@code x}/{@code y} (the cell coupling's barycentric projection into modality 1's / 2's
 * l2-normalised features, the other modality's own features), {@code xy} (both, concatenated).
 *
 * <p>A research tool: {@link #evaluate} returns the rows, {@link #main} prints them.
 */
public final class SingleCellStudy {

    private SingleCellStudy() {
    }

    /**
     * One read-out of one candidate.
     *
     * @param spec    the candidate's SPEC
     * @param readout the read-out's name
     * @param eval    its validation and test metrics
     * @param seconds the candidate's wall time (all its read-outs)
     */
    public record Row(String spec, String readout, ModelSelection.Evaluation eval, double seconds) {
        /** {@code spec | read-out | val | test | knn x<-y / y<-x | seconds}. */
        public String format() {
            AlignmentMetrics.LabelTransfer t = eval.transfer();
            return String.format(Locale.ROOT, "%s | %s | %.3f | %.3f | %s | %.1f", spec, readout,
                    eval.validation().symmetric(), eval.test().symmetric(),
                    t == null ? "-" : String.format(Locale.ROOT, "%.3f / %.3f", t.oneFromTwo(), t.twoFromOne()),
                    seconds);
        }
    }

    /** Runs one SPEC on {@code data} and evaluates each read-out on {@code split}. */
    public static List<Row> evaluate(SingleCellAlignment.Data data, ModelSelection.Split split, String spec) {
        Map<String, String> parsed = parse(spec);
        long t0 = System.nanoTime();
        Map<String, ModelSelection.Projections> readouts = run(data, parsed);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, ModelSelection.Projections> e : readouts.entrySet()) {
            ModelSelection.Selection s = ModelSelection.evaluate(List.of(e.getKey()), List.of(e.getValue()),
                    List.of(seconds), split, data.classesX(), data.classesY(), SingleCellAlignment.TRANSFER_NEIGHBOURS);
            rows.add(new Row(spec, e.getKey(), s.best(), seconds));
        }
        return rows;
    }

    /** {@code DATA_DIR DATASET SPEC...}: one line per read-out of each SPEC on standard output (an application). */
    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: SingleCellStudy DATA_DIR snareseq|scgem SPEC...");
        }
        PrintStream out = System.out;
        SingleCellAlignment.Data data = SingleCellDatasets.load(args[1], Path.of(args[0])).data();
        ModelSelection.Split split = ModelSelection.Split.random(data.cells(), 0.1, 0);
        for (int a = 2; a < args.length; a++) {
            for (Row r : evaluate(data, split, args[a])) {
                out.println(r.format());
                out.flush();
            }
        }
    }

    static Map<String, String> parse(String spec) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("method", "ewl", "k", "10", "mode", "conn", "metric",
                "corr", "l2", "1", "space", "plane:20", "eps", "1e-3", "lambdas", "1", "iters", "50"));
        m.putAll(Map.of("restarts", "1", "pert", "0", "seed", "0", "jmds", "100", "threads", "2", "norm", "max"));
        m.putAll(Map.of("dims", "0", "peps", "0.01"));
        for (String kv : spec.split(",")) {
            String[] p = kv.split("=", 2);
            if (p.length != 2 || !m.containsKey(p[0])) {
                throw new IllegalArgumentException("spec entry '" + kv + "' must be KEY=VALUE with KEY one of "
                        + m.keySet());
            }
            m.put(p[0], p[1]);
        }
        return m;
    }

    static MetricMeasureSpace geodesics(DMatrixRMaj f, Map<String, String> s) {
        KnnGraph.Options o = KnnGraph.Options.scot(Integer.parseInt(s.get("k")))
                .withMetric(s.get("metric").equals("corr") ? KnnGraph.Metric.CORRELATION : KnnGraph.Metric.EUCLIDEAN)
                .withWeighting(s.get("mode").equals("conn") ? KnnGraph.Weighting.CONNECTIVITY
                        : KnnGraph.Weighting.DISTANCE)
                .withIncludeSelf(s.get("mode").equals("conn")).withL2NormalizeRows(s.get("l2").equals("1"))
                .withUnreachable(KnnGraph.Unreachable.LARGEST_FINITE).withThreads(Integer.parseInt(s.get("threads")));
        MetricMeasureSpace m = MetricMeasureSpace.uniform(KnnGraph.compute(f, o).distances());
        return s.get("norm").equals("mean")
                ? MetricMeasureSpace.of(DistanceMatrices.normalizedToMean(m.space(), 1.0), m.weights())
                : m.normalizedToMax(1);
    }

    static Map<String, ModelSelection.Projections> run(SingleCellAlignment.Data data, Map<String, String> s) {
        MetricMeasureSpace a = geodesics(data.x().toDense(), s);
        MetricMeasureSpace b = geodesics(data.y().toDense(), s);
        int threads = Integer.parseInt(s.get("threads"));
        Map<String, ModelSelection.Projections> out = new LinkedHashMap<>();
        DMatrixRMaj coupling;
        switch (s.get("method")) {
            case "ewl" -> {
                List<Double> lambdas = new ArrayList<>();
                for (String l : s.get("lambdas").split("_")) {
                    lambdas.add(Double.parseDouble(l));
                }
                MetricSpace space = EmbeddingSpaces.parse(s.get("space"), SingleCellAlignment.MAX_LENGTH);
                JointEmbedding.Options o = JointEmbedding.Options.reference(lambdas.get(0),
                        Double.parseDouble(s.get("eps"))).withOuterIterations(Integer.parseInt(s.get("iters")))
                        .withThreads(threads).withOverRelaxedInnerSolves().withWarmInnerStarts()
                        .withKeepMiddlePlan(true)
                        .withRestarts(Integer.parseInt(s.get("restarts")), Double.parseDouble(s.get("pert")),
                                Long.parseLong(s.get("seed")));
                o = o.withLambdas(lambdas);
                EmbeddingResult r = JointEmbedding.embed(a, b, space, o);
                Coordinates c = space.coordinates().orElseThrow();
                out.put("grid", new ModelSelection.Projections(BarycentricProjection.project(r.p1(), true, c),
                        BarycentricProjection.project(r.p2(), false, c), c.kind() == Coordinates.Kind.ANGLES));
                coupling = SingleCellAlignment.cellCoupling(r);
            }
            case "jmds" -> {
                JointMds.Result r = JointMds.fit(
                        MetricMeasureSpace.of(DistanceMatrices.normalizedToMean(a.space(), 1.0), a.weights()),
                        MetricMeasureSpace.of(DistanceMatrices.normalizedToMean(b.space(), 1.0), b.weights()),
                        JointMds.Options.singleCell(Integer.parseInt(s.get("jmds"))).withSeed(
                                Long.parseLong(s.get("seed"))));
                out.put("grid", new ModelSelection.Projections(r.z1(), r.z2(), false));
                coupling = r.coupling();
            }
            case "gw" -> {
                GromovWasserstein.Result r = GromovWasserstein.entropic(a, b,
                        GromovWasserstein.EntropicOptions.defaults(Double.parseDouble(s.get("eps"))));
                coupling = r.planMatrix();
            }
            case "none" -> coupling = null;
            default -> throw new IllegalArgumentException("method " + s.get("method"));
        }
        DMatrixRMaj fx = SingleCellAlignment.rowNormalised(data.x().toDense());
        DMatrixRMaj fy = SingleCellAlignment.rowNormalised(data.y().toDense());
        if (coupling != null) {
            readouts(coupling, fx, fy, out);
        }
        int maxDim = 0;
        for (String dim : s.get("dims").split("_")) {
            maxDim = Math.max(maxDim, Integer.parseInt(dim));
        }
        DMatrixRMaj m1 = maxDim == 0 ? null : classicalMds(a.space().distanceMatrix(), maxDim);
        DMatrixRMaj m2 = maxDim == 0 ? null : classicalMds(b.space().distanceMatrix(), maxDim);
        for (String dim : s.get("dims").split("_")) {
            int d = Integer.parseInt(dim);
            if (d == 0) {
                continue;
            }
            DMatrixRMaj z1 = unitRms(CommonOps_DDRM.extract(m1, 0, m1.numRows, 0, d));
            DMatrixRMaj z2 = unitRms(CommonOps_DDRM.extract(m2, 0, m2.numRows, 0, d));
            int n = z1.numRows;
            DMatrixRMaj id = CommonOps_DDRM.identity(n);
            CommonOps_DDRM.scale(1.0 / n, id);
            out.put("oracle" + d, new ModelSelection.Projections(rotate(z1,
                    WassersteinProcrustes.orthogonal(z1, id, z2)), z2, false));
            if (coupling == null) {
                continue;
            }
            DMatrixRMaj r1 = rotate(z1, WassersteinProcrustes.orthogonal(z1, coupling, z2));
            out.put("init" + d, new ModelSelection.Projections(r1, z2, false));
            double[] w = new double[n];
            java.util.Arrays.fill(w, 1.0 / n);
            for (String pe : s.get("peps").split("_")) {
                WassersteinProcrustes.Result wp = WassersteinProcrustes.solve(r1, z2, w, w, Double.parseDouble(pe),
                        100, 20, 1e-7);
                out.put("proc" + d + "@" + pe, new ModelSelection.Projections(rotate(r1, wp.rotation()), z2, false));
            }
        }
        return out;
    }

    static void readouts(DMatrixRMaj coupling, DMatrixRMaj fx, DMatrixRMaj fy,
            Map<String, ModelSelection.Projections> out) {
        ModelSelection.Projections both = SingleCellAlignment.featureReadout(coupling, fx, fy);
        int dx = fx.numCols;
        int dy = fy.numCols;
        int n = fx.numRows;
        out.put("x", new ModelSelection.Projections(fx, CommonOps_DDRM.extract(both.z2(), 0, n, 0, dx), false));
        out.put("y", new ModelSelection.Projections(CommonOps_DDRM.extract(both.z1(), 0, n, dx, dx + dy), fy, false));
        out.put("xy", both);
    }

    static DMatrixRMaj rotate(DMatrixRMaj z, DMatrixRMaj o) {
        DMatrixRMaj r = new DMatrixRMaj(z.numRows, o.numCols);
        CommonOps_DDRM.mult(z, o, r);
        return r;
    }

    /** Torgerson's classical MDS into {@code d} dimensions, scaled to unit root-mean-square radius. */
    static DMatrixRMaj classicalMds(DMatrixRMaj dist, int d) {
        int n = dist.numRows;
        DMatrixRMaj b = new DMatrixRMaj(n, n);
        double[] row = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double q = dist.unsafe_get(i, j) * dist.unsafe_get(i, j);
                b.unsafe_set(i, j, q);
                row[i] += q / n;
            }
            all += row[i] / n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b.unsafe_set(i, j, -0.5 * (b.unsafe_get(i, j) - row[i] - row[j] + all));
            }
        }
        org.ejml.interfaces.decomposition.EigenDecomposition_F64<DMatrixRMaj> eig =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(b)) {
            throw new IllegalStateException("eigen decomposition failed");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(eig.getEigenvalue(q).real, eig.getEigenvalue(p).real));
        DMatrixRMaj z = new DMatrixRMaj(n, d);
        double ss = 0;
        for (int c = 0; c < d; c++) {
            double l = Math.max(0, eig.getEigenvalue(order[c]).real);
            DMatrixRMaj v = eig.getEigenVector(order[c]);
            for (int i = 0; i < n; i++) {
                double x = v.get(i) * Math.sqrt(l);
                z.unsafe_set(i, c, x);
                ss += x * x;
            }
        }
        return z;
    }

    static DMatrixRMaj unitRms(DMatrixRMaj z) {
        double ss = 0;
        for (int u = 0; u < z.getNumElements(); u++) {
            ss += z.data[u] * z.data[u];
        }
        CommonOps_DDRM.scale(1 / Math.sqrt(ss / z.numRows), z);
        return z;
    }

}
