package org.gwembed.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.TriangleMesh;

import picocli.CommandLine.Model.CommandSpec;

/** What the mesh examples share: one EW_λ run through {@link EmbeddingRun}, report entries, geometry for plots. */
final class Examples {

    /** The embedding spaces are scaled to this largest distance, as the reference does. */
    static final double MAX_LENGTH = 1.3;

    private Examples() {
    }

    /** A finished run: the result and what its extras reported. */
    record Run(String name, Path dir, Inputs.Input source, Inputs.Input target, EmbeddingResult result,
            Map<String, Object> metrics) {
    }

    /**
     * Runs EW_λ (reference cost scaling, with the chosen speed settings) between two loaded inputs into {@code dir}
     * with {@link EmbeddingRun} (its files, plots and summary), plus the extras.
     */
    static Run embed(CommandSpec spec, ExampleOptions common, SpeedOptions speed, String example, String runName,
            Path dir, Inputs.Input source, Inputs.Input target, String spaceSpec, MeshExampleOptions.Settings s,
            Map<String, Object> notes, EmbeddingRun.Extras extras) {
        JointEmbedding.Options options = speed.apply(EmbedCommand.options(List.of(s.lambda()), s.epsilon(), s.outer(),
                JointEmbedding.CostScaling.REFERENCE, common.threads()));
        MetricSpace x = EmbedCommand.space(spaceSpec, MAX_LENGTH);
        Map<String, Object> metrics = new LinkedHashMap<>();
        EmbeddingRun.Extras recording = (result, d) -> {
            EmbeddingRun.Extra e = extras.write(result, d);
            metrics.putAll(e.report());
            return e;
        };
        EmbeddingResult r = EmbeddingRun.run(new EmbeddingRun.Request("examples " + example, source, target,
                spaceSpec, x, MAX_LENGTH, options, dir, false, common.quiet, notes, recording),
                spec.commandLine().getOut(), spec.commandLine().getErr());
        return new Run(runName, dir, source, target, r, metrics);
    }

    /** The settings of a mesh example for report.json. */
    static Map<String, Object> parameters(MeshExampleOptions.Settings s, String space, int threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("vertices", s.vertices());
        p.put("grid", s.grid());
        p.put("space", space);
        p.put("max_length", MAX_LENGTH);
        p.put("lambda", s.lambda());
        p.put("epsilon", s.epsilon());
        p.put("cost_scaling", "reference (epsilon relative)");
        p.put("outer_iterations", s.outer());
        p.put("threads", threads);
        return p;
    }

    /**
     * Writes {@code report.json} of a mesh example: {@code example}, {@code quick}, {@code paper}, {@code parameters},
     * {@code runs} (each: {@code name}, {@code dir}, {@code source}, {@code target}, {@code objective} with {@code J},
     * {@code wasserstein}, {@code gw1}, {@code gw2}, {@code lambda}; {@code outer_iterations}, {@code stop_reason},
     * {@code marginal_error}, {@code seconds}, {@code metrics}), {@code files}, {@code seconds}.
     */
    static void writeReport(Path out, String example, boolean quick, String paper, Map<String, Object> parameters,
            List<Run> runs, List<String> files, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("example", example);
        m.put("quick", quick);
        m.put("paper", paper);
        m.put("parameters", parameters);
        List<Object> list = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", r.name());
            e.put("dir", out.relativize(r.dir()).toString().isEmpty() ? "." : out.relativize(r.dir()).toString());
            e.put("source", r.source().description());
            e.put("target", r.target().description());
            e.put("objective", EmbeddingRun.objective(r.result().objective()));
            e.put("outer_iterations", r.result().outerIterations());
            e.put("inner_iterations", r.result().innerIterations());
            e.put("stop_reason", r.result().stopReason());
            e.put("marginal_error", r.result().marginalError());
            e.put("seconds", r.result().seconds());
            e.put("metrics", r.metrics());
            list.add(e);
        }
        m.put("runs", list);
        m.put("files", files);
        m.put("seconds", seconds);
        Json.write(out.resolve("report.json"), m);
    }

    /** Outward vertex normals of a consistently oriented mesh (sums of the adjacent triangles' area vectors). */
    static DMatrixRMaj vertexNormals(TriangleMesh mesh) {
        DMatrixRMaj n = new DMatrixRMaj(mesh.vertexCount(), 3);
        for (int[] t : mesh.triangles()) {
            double[] a = new double[3];
            double[] b = new double[3];
            for (int c = 0; c < 3; c++) {
                a[c] = mesh.vertex(t[1], c) - mesh.vertex(t[0], c);
                b[c] = mesh.vertex(t[2], c) - mesh.vertex(t[0], c);
            }
            double[] cross = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
            for (int v : t) {
                for (int c = 0; c < 3; c++) {
                    n.add(v, c, cross[c]);
                }
            }
        }
        return n;
    }

    /**
     * R² of the best affine map from {@code from} (n × 2) to {@code to} (n × k): 1 when {@code to} is an affine image
     * of {@code from} (e.g. projections of a roll against its exact unrolled coordinates: the roll came out unrolled).
     */
    static double affineR2(DMatrixRMaj from, DMatrixRMaj to) {
        int n = from.numRows;
        DMatrixRMaj design = new DMatrixRMaj(n, from.numCols + 1);
        CommonOps_DDRM.insert(from, design, 0, 0);
        for (int i = 0; i < n; i++) {
            design.set(i, from.numCols, 1);
        }
        DMatrixRMaj coef = new DMatrixRMaj(from.numCols + 1, to.numCols);
        if (!CommonOps_DDRM.solve(design, to, coef)) {
            return Double.NaN;
        }
        DMatrixRMaj residual = new DMatrixRMaj(n, to.numCols);
        CommonOps_DDRM.mult(design, coef, residual);
        CommonOps_DDRM.subtractEquals(residual, to);
        DMatrixRMaj means = CommonOps_DDRM.sumCols(to, null);
        CommonOps_DDRM.divide(means, n);
        DMatrixRMaj centred = to.copy();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < to.numCols; c++) {
                centred.add(i, c, -means.get(0, c));
            }
        }
        double ssRes = CommonOps_DDRM.elementSum(CommonOps_DDRM.elementMult(residual, residual, null));
        double ssTot = CommonOps_DDRM.elementSum(CommonOps_DDRM.elementMult(centred, centred, null));
        return 1 - ssRes / ssTot;
    }

    /** The columns of a view as an n × 2 matrix. */
    static DMatrixRMaj matrix(Plots.View v) {
        DMatrixRMaj m = new DMatrixRMaj(v.x().length, 2);
        for (int i = 0; i < v.x().length; i++) {
            m.set(i, 0, v.x()[i]);
            m.set(i, 1, v.y()[i]);
        }
        return m;
    }
}
