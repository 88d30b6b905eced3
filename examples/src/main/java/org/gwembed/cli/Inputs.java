package org.gwembed.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.InputFormatException;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.MeshReaders;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PointClouds;
import org.gwembed.metricspaces.Tables;
import org.gwembed.metricspaces.TriangleMesh;

/**
 * Turns the command line's input specs into metric-measure spaces (METHOD.md §1), each scaled to max distance 1 as
 * the reference does, with uniform weights:
 * <ul>
 * <li>{@code gen:s-curve:N}, {@code gen:swiss-roll:N}, {@code gen:swiss-roll-hole:N}: generated meshes of about
 *     N vertices, mesh geodesics;</li>
 * <li>{@code *.obj}, {@code *.off}, {@code *.ply}: triangle meshes, geodesics on the edge graph (largest connected
 *     component);</li>
 * <li>any other table ({@code .csv}, {@code .tsv}, {@code .txt}, {@code .npy}): features, one point per row, with
 *     the metric {@code euclidean}, {@code knn:K} (Euclidean K-NN graph geodesics) or {@code scot:K} (SCOT's
 *     graph);</li>
 * <li>a distance-matrix file (given through the {@code --*-distances} options).</li>
 * </ul>
 */
final class Inputs {

    /** The generator specs, for help texts and messages. */
    static final String GENERATORS = "gen:s-curve:N, gen:swiss-roll:N, gen:swiss-roll-hole:N";

    private Inputs() {
    }

    /**
     * A loaded input.
     *
     * @param spec        what the user wrote
     * @param space       the metric-measure space, distances scaled to max 1
     * @param description how it was built
     * @param generated   the generated mesh for {@code gen:} specs (its parameters colour plots), else null
     */
    record Input(String spec, MetricMeasureSpace space, String description, MeshGenerators.GeneratedMesh generated) {
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
            return generated(option, s);
        }
        Path file = Path.of(s);
        if (!Files.exists(file)) {
            throw new InputFormatException(file, "no such file (" + option + " takes a mesh .obj/.off/.ply, a "
                    + "feature table .csv/.tsv/.npy, or one of " + GENERATORS + ")");
        }
        String ext = extension(file);
        if (ext.equals("obj") || ext.equals("off") || ext.equals("ply")) {
            TriangleMesh mesh;
            try {
                mesh = MeshReaders.read(file);
            } catch (java.io.IOException e) {
                throw new InputFormatException(file, "cannot read: " + e.getMessage(), e);
            }
            MetricMeasureSpace mm = MeshGeodesics.metricMeasureSpace(mesh, MeshGeodesics.VertexMeasure.UNIFORM,
                    MeshGeodesics.Options.defaults().withThreads(threads).keepLargestComponent());
            return new Input(spec, mm.normalizedToMax(1), mm.space().description() + " of " + file, null);
        }
        Tables.Table table = Tables.read(file);
        DMatrixRMaj points = table.values();
        DenseMetricSpace d = features(option, points, metric, threads);
        return new Input(spec, MetricMeasureSpace.uniform(d).normalizedToMax(1),
                d.description() + " of " + file.getFileName() + " (" + points.numRows + "x" + points.numCols + ")",
                null);
    }

    /** Distances of feature rows under {@code metric} ({@code euclidean}, {@code knn:K}, {@code scot:K}). */
    static DenseMetricSpace features(String option, DMatrixRMaj points, String metric, int threads) {
        String m = metric.trim().toLowerCase(Locale.ROOT);
        if (m.equals("euclidean")) {
            return PointClouds.euclidean(points, "Euclidean distances");
        }
        String[] parts = m.split(":");
        if (parts.length == 2 && (parts[0].equals("knn") || parts[0].equals("scot"))) {
            int k = positiveInt(option, metric, parts[1]);
            KnnGraph.Options o = parts[0].equals("knn") ? KnnGraph.Options.euclidean(k) : KnnGraph.Options.scot(k);
            return KnnGraph.geodesics(points, o.withThreads(threads));
        }
        throw new IllegalArgumentException(option + " must be euclidean, knn:K or scot:K, got '" + metric + "'");
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

    private static Input generated(String option, String spec) {
        String[] parts = spec.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException(option + " generator spec must look like gen:NAME:N (" + GENERATORS
                    + "), got '" + spec + "'");
        }
        int n = positiveInt(option, spec, parts[2]);
        if (n < 9) {
            throw new IllegalArgumentException(option + " needs at least 9 vertices, got " + n + " in '" + spec + "'");
        }
        MeshGenerators.GeneratedMesh g = switch (parts[1].toLowerCase(Locale.ROOT)) {
            case "s-curve" -> MeshGenerators.sCurve(n);
            case "swiss-roll" -> MeshGenerators.swissRoll(n);
            case "swiss-roll-hole" -> MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre());
            default -> throw new IllegalArgumentException("unknown generator '" + parts[1] + "' in " + option + " "
                    + spec + "; expected one of " + GENERATORS);
        };
        MetricMeasureSpace mm = MeshGeodesics.metricMeasureSpace(g.mesh(), MeshGeodesics.VertexMeasure.UNIFORM,
                MeshGeodesics.Options.defaults());
        return new Input(spec, mm.normalizedToMax(1), g.description() + ", " + g.mesh().vertexCount() + " vertices, "
                + g.mesh().triangleCount() + " triangles, edge-graph geodesics", g);
    }

    /** A short name for titles: the generator's name, or the file name. */
    static String displayName(Input in) {
        String s = in.spec().trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("gen:s-curve")) {
            return "S-curve";
        }
        if (lower.startsWith("gen:swiss-roll-hole")) {
            return "Swiss roll with hole";
        }
        if (lower.startsWith("gen:swiss-roll")) {
            return "Swiss roll";
        }
        Path p = Path.of(s).getFileName();
        return p == null ? s : p.toString();
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
