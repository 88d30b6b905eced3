package org.gwembed.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.examples.GeneratedSurfaces;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.FeatureMatrices;
import org.gwembed.metricspaces.InputFormatException;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.MeshReaders;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PointClouds;
import org.gwembed.metricspaces.TriangleMesh;

/**
 * Turns the command line's input specs into metric-measure spaces (METHOD.md §1), each scaled to max distance 1 as
 * the reference does, with uniform weights (or a weight file's, {@link #withWeights}):
 * <ul>
 * <li>{@code gen:s-curve:N}, {@code gen:swiss-roll:N}, {@code gen:swiss-roll-hole:N},
 *     {@code gen:spherical-rectangle-hole:N}, {@code gen:spherical-cap-hole:N}, {@code gen:half-torus:N},
 *     {@code gen:toroidal-triangle:N}, {@code gen:body:N}, {@code gen:body-raised:N}: generated meshes of about N
 *     vertices ({@link GeneratedSurfaces}), mesh geodesics;</li>
 * <li>{@code *.obj}, {@code *.off}, {@code *.ply}, {@code *.stl}: triangle meshes, geodesics on the edge graph
 *     (largest connected component); a file without faces (Open3D's and PCL's point clouds) is a point cloud whose
 *     vertices take the feature tables' metric; a PLY's vertex {@code label} (else {@code quality}) gives the
 *     points' labels;</li>
 * <li>any other table ({@code .csv}, {@code .tsv}, {@code .txt}, {@code .npy}, {@code .npz}, {@code .h5ad}, a 10x
 *     folder): features, one point per row, with the metric {@code euclidean}, {@code knn:K} (Euclidean K-NN graph
 *     geodesics), {@code knn:K:cosine}, {@code knn:K:correlation} or {@code scot:K} (SCOT's graph); sparse matrices
 *     stay sparse up to the K-NN graph;</li>
 * <li>a distance-matrix file (given through the {@code --*-distances} options).</li>
 * </ul>
 */
final class Inputs {

    /** The generator specs, for help texts and messages (a constant for annotations; a test keeps it in step). */
    static final String GENERATORS = "gen:s-curve:N, gen:swiss-roll:N, gen:swiss-roll-hole:N, "
            + "gen:spherical-rectangle-hole:N, gen:spherical-cap-hole:N, gen:half-torus:N, gen:toroidal-triangle:N, "
            + "gen:body:N, gen:body-raised:N";

    private Inputs() {
    }

    /**
     * A loaded input.
     *
     * @param spec        what the user wrote
     * @param space       the metric-measure space, distances scaled to max 1
     * @param description how it was built
     * @param generated   the generated mesh for {@code gen:} specs (its parameters colour plots), else null
     * @param labels      per-point labels read with the input (a PLY's {@code label}/{@code quality}), else null
     */
    record Input(String spec, MetricMeasureSpace space, String description, MeshGenerators.GeneratedMesh generated,
            double seconds, PointLabels labels) {

        /** An input whose loading was not timed ({@link #seconds} NaN). */
        Input(String spec, MetricMeasureSpace space, String description, MeshGenerators.GeneratedMesh generated) {
            this(spec, space, description, generated, Double.NaN, null);
        }

        /** An input without labels. */
        Input(String spec, MetricMeasureSpace space, String description, MeshGenerators.GeneratedMesh generated,
                double seconds) {
            this(spec, space, description, generated, seconds, null);
        }

        /** This input with the wall time its reading (and metric construction) took. */
        Input withSeconds(double value) {
            return new Input(spec, space, description, generated, value, labels);
        }
    }

    /**
     * Per-point labels read with an input.
     *
     * @param name   where they come from ({@code quality}, {@code label})
     * @param values one per point of the input's space
     */
    record PointLabels(String name, double[] values) {
    }

    /**
     * Loads both inputs of a run, timing each, with a "reading" stage and a tick per input on {@code progress}.
     *
     * @param loaders the two loads, source first
     */
    static Input[] timed(Progress progress, List<Supplier<Input>> loaders) {
        progress.stage("reading");
        Input[] inputs = new Input[loaders.size()];
        for (int i = 0; i < inputs.length; i++) {
            long t0 = System.nanoTime();
            Input in = loaders.get(i).get();
            inputs[i] = in.withSeconds((System.nanoTime() - t0) * 1e-9);
            progress.tick("read " + in.spec() + " (" + in.space().size() + " points)");
        }
        return inputs;
    }

    /**
     * Loads a generator spec, mesh file or feature table.
     *
     * @param option  the option name, for messages
     * @param metric  metric for feature tables: {@code euclidean}, {@code knn:K} or {@code scot:K}
     */
    static Input load(String option, String spec, String metric, int threads) {
        String s = spec.trim();
        if (s.toLowerCase(Locale.ROOT).startsWith("gen:")) {
            return generated(option, s, threads);
        }
        Path file = Path.of(s);
        if (!Files.exists(file)) {
            throw new InputFormatException(file, "no such file (" + option + " takes a mesh .obj/.off/.ply, a "
                    + "feature table .csv/.tsv/.npy/.h5ad, a 10x Matrix Market folder, or one of " + GENERATORS + ")");
        }
        try {
            return loadFile(option, spec, file, metric, threads);
        } catch (InputFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // the library names the problem, not the input: say which option and file it was
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static Input loadFile(String option, String spec, Path file, String metric, int threads) {
        String ext = extension(file);
        if (ext.equals("obj") || ext.equals("off") || ext.equals("ply") || ext.equals("stl")) {
            TriangleMesh mesh;
            MeshReaders.LabelledPly ply = null;
            try {
                if (ext.equals("ply")) {
                    ply = MeshReaders.readLabelledPly(file);
                    mesh = ply.mesh();
                } else {
                    mesh = MeshReaders.read(file);
                }
            } catch (java.io.IOException e) {
                throw new InputFormatException(file, "cannot read: " + Outputs.reason(e), e);
            }
            if (mesh.triangleCount() == 0) {
                // what Open3D and PCL write for a point cloud: the vertices are the points, the metric is the table's
                if (mesh.vertexCount() < 2) {
                    throw new InputFormatException(file, "a point cloud (a file without faces) needs at least 2 "
                            + "vertices, got " + mesh.vertexCount());
                }
                DenseMetricSpace d = features(option, mesh.vertices(), metric, threads);
                return new Input(spec, MetricMeasureSpace.uniform(d).normalizedToMax(1), d.description()
                        + " of the point cloud " + file.getFileName() + " (" + mesh.vertexCount()
                        + " vertices, no faces)", null, Double.NaN, labels(ply, null));
            }
            MetricMeasureSpace mm = MeshGeodesics.metricMeasureSpace(mesh, MeshGeodesics.VertexMeasure.UNIFORM,
                    MeshGeodesics.Options.defaults().withThreads(threads).keepLargestComponent());
            PointLabels labels = labels(ply, mesh.largestComponentVertices());
            return new Input(spec, mm.normalizedToMax(1), mm.space().description() + " of " + file, null, Double.NaN,
                    labels);
        }
        // a table, an AnnData .h5ad (its X) or a 10x Matrix Market folder
        FeatureMatrices.Rows points = FeatureMatrices.readRows(file, null);
        if (points.rows() < 2) {
            throw new InputFormatException(file, "a feature table needs at least 2 rows (points), got "
                    + points.rows());
        }
        DenseMetricSpace d = features(option, points, metric, threads);
        return new Input(spec, MetricMeasureSpace.uniform(d).normalizedToMax(1),
                d.description() + " of " + file.getFileName() + " (" + points.rows() + "x" + points.cols()
                        + (points.isSparse() ? ", sparse, " + points.sparse().storedEntries() + " stored entries"
                                : "") + ")", null);
    }

    /** A PLY's per-vertex labels on the {@code kept} vertices (all when null); null without labels. */
    private static PointLabels labels(MeshReaders.LabelledPly ply, int[] kept) {
        if (ply == null || !ply.hasLabels()) {
            return null;
        }
        double[] all = ply.labels();
        if (kept == null) {
            return new PointLabels(ply.labelProperty(), all);
        }
        double[] v = new double[kept.length];
        for (int k = 0; k < kept.length; k++) {
            v[k] = all[kept[k]];
        }
        return new PointLabels(ply.labelProperty(), v);
    }

    /** The metric spellings of feature tables, for help texts and messages. */
    static final String METRICS = "euclidean, knn:K, knn:K:cosine, knn:K:correlation or scot:K";

    /** Distances of dense feature rows under {@code metric} (see {@link #METRICS}). */
    static DenseMetricSpace features(String option, DMatrixRMaj points, String metric, int threads) {
        return features(option, FeatureMatrices.Rows.of(points), metric, threads);
    }

    /**
     * Distances of feature rows under {@code metric}: {@code euclidean}, {@code knn:K} (Euclidean K-NN graph
     * geodesics), {@code knn:K:cosine} / {@code knn:K:correlation} (the graph's neighbours and edge lengths under
     * that metric), {@code scot:K}. Sparse rows stay sparse for the K-NN graphs ({@link KnnGraph#compute(
     * org.gwembed.metricspaces.SparseRows, KnnGraph.Options)}).
     */
    static DenseMetricSpace features(String option, FeatureMatrices.Rows points, String metric, int threads) {
        String m = metric.trim().toLowerCase(Locale.ROOT);
        if (m.equals("euclidean")) {
            return PointClouds.euclidean(points.toDense(), "Euclidean distances");
        }
        String[] parts = m.split(":");
        boolean knn = parts[0].equals("knn");
        if ((parts.length == 2 && (knn || parts[0].equals("scot"))) || (parts.length == 3 && knn)) {
            int k = positiveInt(option + " metric", metric, parts[1]);
            KnnGraph.Options o = knn ? KnnGraph.Options.euclidean(k) : KnnGraph.Options.scot(k);
            if (parts.length == 3) {
                o = o.withMetric(switch (parts[2]) {
                    case "euclidean" -> KnnGraph.Metric.EUCLIDEAN;
                    case "cosine" -> KnnGraph.Metric.COSINE;
                    case "correlation" -> KnnGraph.Metric.CORRELATION;
                    default -> throw new IllegalArgumentException("the metric of " + option + " must be " + METRICS
                            + ", got '" + metric + "' (unknown neighbour metric '" + parts[2] + "')");
                });
            }
            o = o.withThreads(threads);
            return points.isSparse() ? KnnGraph.compute(points.sparse(), o).distances()
                    : KnnGraph.geodesics(points.dense(), o);
        }
        throw new IllegalArgumentException("the metric of " + option + " must be " + METRICS + ", got '"
                + metric + "'");
    }

    /**
     * {@code in} with the per-point weights read from {@code file} ({@code null}: {@code in} unchanged, uniform): one
     * number per line or a 1-D {@code .npy}, as many as the input has points, finite, {@code >= 0}, with a positive
     * sum; they are divided by their sum (the description says so).
     *
     * @param option the weights option, for messages ({@code --source-weights})
     * @throws InputFormatException naming the option, the file and what was expected
     */
    static Input withWeights(String option, Input in, Path file) {
        return withWeights(option, in, file, false);
    }

    /**
     * As {@link #withWeights(String, Input, Path)}; with {@code positive} every weight must be {@code > 0} ({@code
     * embed}: a point without mass has no barycentric projection).
     */
    static Input withWeights(String option, Input in, Path file, boolean positive) {
        if (file == null) {
            return in;
        }
        Weights w = weights(option, file, in.spec(), in.space().size(), in.description().contains("largest"),
                positive);
        return new Input(in.spec(), MetricMeasureSpace.of(in.space().space(), w.values()),
                in.description() + ", " + w.description(), in.generated(), in.seconds(), in.labels());
    }

    /**
     * Per-point weights divided by their sum, and how they were made.
     *
     * @param values      n weights summing to 1
     * @param description e.g. "weights from w.txt normalised to sum 1 (their sum was 3.0)"
     */
    record Weights(double[] values, String description) {
    }

    /**
     * Reads and checks {@code n} weights for the input {@code spec} (see {@link #withWeights}).
     *
     * @param keptVertices whether the input is a mesh's largest component (the message then says the order)
     * @param positive     whether a weight of 0 is refused
     */
    static Weights weights(String option, Path file, String spec, int n, boolean keptVertices, boolean positive) {
        if (!Files.exists(file)) {
            throw new InputFormatException(file, "no such file (" + option + " takes a weight vector: one number per "
                    + "line, or a 1-D .npy)");
        }
        double[] w;
        try {
            w = DistanceMatrices.readWeights(file);
        } catch (InputFormatException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (w.length != n) {
            throw new InputFormatException(file, option + " has " + w.length + " weights but " + spec + " has " + n
                    + " points (expected one weight per point" + (keptVertices ? ", in the order of the kept vertices"
                            : "") + ")");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(w[i]) || w[i] < 0) {
                throw new InputFormatException(file, option + ": weight " + (i + 1) + " is " + w[i] + " (expected "
                        + n + " finite weights >= 0 with a positive sum)");
            }
            if (positive && w[i] == 0) {
                throw new InputFormatException(file, option + ": weight " + (i + 1) + " is 0 (expected " + n
                        + " weights > 0: a point without mass has no barycentric projection; leave the point out)");
            }
            sum += w[i];
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            throw new InputFormatException(file, option + ": the weights sum to " + sum + " (expected " + n
                    + " finite weights >= 0 with a positive sum)");
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        String how = Math.abs(sum - 1) <= MetricMeasureSpace.WEIGHT_SUM_TOLERANCE ? "summing to 1"
                : "normalised to sum 1 (their sum was " + sum + ")";
        return new Weights(w, "weights from " + file.getFileName() + " " + how);
    }

    /** Whether {@code in} carries the uniform measure (every weight equal). */
    static boolean uniform(Input in) {
        double first = in.space().weight(0);
        for (int i = 1; i < in.space().size(); i++) {
            if (in.space().weight(i) != first) {
                return false;
            }
        }
        return true;
    }

    /** Reads a square distance matrix (CSV/TSV/NPY) with uniform weights, scaled to max 1. */
    static Input distances(String option, Path file) {
        return distances(option, file, true);
    }

    /** Reads a square distance matrix with uniform weights, scaled to max 1 when {@code normalize}. */
    static Input distances(String option, Path file, boolean normalize) {
        DenseMetricSpace d = DistanceMatrices.read(file);
        if (d.size() < 2) {
            throw new InputFormatException(file, "a distance matrix needs at least 2 points, got " + d.size());
        }
        if (!(d.maxDistance() > 0)) {
            throw new InputFormatException(file, "all distances are 0");
        }
        MetricMeasureSpace mm = MetricMeasureSpace.uniform(d);
        return new Input(file.toString(), normalize ? mm.normalizedToMax(1) : mm,
                d.description() + " (" + d.size() + "x" + d.size() + ")", null);
    }

    private static Input generated(String option, String spec, int threads) {
        String[] parts = spec.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException(option + " generator spec must look like gen:NAME:N (" + GENERATORS
                    + "), got '" + spec + "'");
        }
        int n = positiveInt(option, spec, parts[2]);
        GeneratedSurfaces.Generator gen = GeneratedSurfaces.find(parts[1]).orElse(null);
        if (gen == null) {
            throw new IllegalArgumentException("unknown generator '" + parts[1] + "' in " + option + " "
                    + spec + "; expected one of " + GENERATORS);
        }
        if (n < gen.minimum()) {
            throw new IllegalArgumentException(option + " needs at least " + gen.minimum() + " vertices for "
                    + parts[1] + ", got " + n + " in '" + spec + "'");
        }
        return of(spec, GeneratedSurfaces.generate(gen, n, threads));
    }

    /** A generated surface as an input named {@code spec}. */
    static Input of(String spec, GeneratedSurfaces.Surface s) {
        return new Input(spec, s.space(), s.description(), s.generated());
    }

    /** A generated surface as an input named by its own {@code gen:NAME:N} spec. */
    static Input of(GeneratedSurfaces.Surface s) {
        return of(s.spec(), s);
    }

    /** A short name for titles: the generator's name, or the file name. */
    static String displayName(Input in) {
        String s = in.spec().trim();
        GeneratedSurfaces.Generator g = generatorOf(s);
        if (g != null) {
            return g.displayName();
        }
        Path p = Path.of(s).getFileName();
        return p == null ? s : p.toString();
    }

    /** The name of the first generator parameter of a {@code gen:} input ({@code "t"} otherwise). */
    static String parameterName(Input in) {
        GeneratedSurfaces.Generator g = generatorOf(in.spec().trim());
        return g == null ? "t" : g.parameterName();
    }

    /** The generator named in a {@code gen:NAME:N} spec, or null. */
    private static GeneratedSurfaces.Generator generatorOf(String spec) {
        String[] parts = spec.split(":");
        return parts.length >= 2 && parts[0].equalsIgnoreCase("gen") ? GeneratedSurfaces.find(parts[1]).orElse(null)
                : null;
    }

    private static int positiveInt(String option, String spec, String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' in '" + spec
                    + "' is not a positive integer");
        }
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
