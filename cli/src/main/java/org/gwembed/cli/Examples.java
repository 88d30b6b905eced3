package org.gwembed.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.examples.MeshExamples;
import org.gwembed.metricspaces.TriangleMesh;

import picocli.CommandLine.Model.CommandSpec;

/** What the mesh examples' commands share: writing one run through {@link EmbeddingRun}, report.json, normals for 3D pictures. */
final class Examples {

    private Examples() {
    }

    /** A finished run: the result and what its extras reported. */
    record Run(String name, Path dir, Inputs.Input source, Inputs.Input target, EmbeddingResult result,
            Map<String, Object> metrics) {
    }

    /**
     * Writes one run of a mesh example into {@code dir} with {@link EmbeddingRun#write} (its files, plots and summary),
     * plus the extras.
     */
    static Run write(CommandSpec spec, ExampleOptions common, String example, MeshExamples.Run run, Path dir,
            JointEmbedding.Options options, Map<String, Object> notes, EmbeddingRun.Extras extras) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        EmbeddingRun.Extras recording = (result, d) -> {
            EmbeddingRun.Extra e = extras.write(result, d);
            metrics.putAll(e.report());
            return e;
        };
        Inputs.Input source = Inputs.of(run.source());
        Inputs.Input target = Inputs.of(run.target());
        EmbeddingRun.write(new EmbeddingRun.Request("examples " + example, source, target, run.spaceSpec(),
                run.space(), MeshExamples.MAX_LENGTH, options, dir, false, common.quiet, notes, recording),
                run.result(), spec.commandLine().getOut());
        return new Run(run.name(), dir, source, target, run.result(), metrics);
    }

    /** The settings of a mesh example for report.json. */
    static Map<String, Object> parameters(MeshExamples.Settings s, String space, int threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("vertices", s.vertices());
        p.put("grid", s.grid());
        p.put("space", space);
        p.put("max_length", MeshExamples.MAX_LENGTH);
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
}
