package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.AlignmentMetrics;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.metricspaces.ArticulatedBody;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.MeshWriters;
import org.gwembed.metricspaces.TriangleMesh;

import picocli.CommandLine.Command;

/**
 * {@code gwembed examples shapes}: two poses of a human-like body (the paper's FAUST figure, with a generated
 * {@link ArticulatedBody} instead of the scans) embedded jointly into a plane grid; corresponding parts land in
 * corresponding places.
 */
@Command(name = "shapes", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Two poses of a generated human-like body on a plane grid (the paper's FAUST figure).",
        description = {"Generates an articulated body (torso, head, arms and legs as tubes; the same vertices and "
                + "triangles in every pose) standing, and with both arms raised and a step forward: two nearly "
                + "isometric shapes like two FAUST scans of one person. Embeds them jointly into an N x N plane grid "
                + "(lambda 50, epsilon 6e-4 relative, reference scaling: the paper's shape parameters; the bodies' "
                + "geodesics are scaled to max 1 like the rolls', so the same parameters apply).",
            "Writes inputs.png (both poses in 3D, coloured by body part), embeddings.png (both relaxed embeddings), "
                + "projections.png (coloured by height in the standing pose), parts.png (coloured by body part), "
                + "body-standing.obj, body-raised.obj, result.json and report.json with the part-transfer accuracy "
                + "(5-NN, one pose's projected parts predicting the other's) and FOSCTTM of the known vertex "
                + "correspondence, each also with left and right swapped (a mirror image is an isometry too, so EW "
                + "cannot tell the sides apart).",
            "Defaults: 1500 vertices, 50x50 grid, 40 outer iterations: about 1.5 min on 2 cores. --quick: 300 "
                + "vertices, 15x15 grid, 8 iterations."})
final class ShapesExample extends MeshExample {

    static final MeshExampleOptions.Settings FULL = new MeshExampleOptions.Settings(1500, 50, 40, 50, 6e-4);
    static final MeshExampleOptions.Settings QUICK = new MeshExampleOptions.Settings(300, 15, 8, 50, 6e-4);

    @Override
    String name() {
        return "shapes";
    }

    @Override
    MeshExampleOptions.Settings defaults(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    int minVertices() {
        return 200;
    }

    @Override
    String space(int grid) {
        return "plane:" + grid;
    }

    @Override
    String paper() {
        return "Beier et al. 2025, section 6.1 (FAUST poses, Fig. 11); here a generated articulated body";
    }

    @Override
    List<String> files() {
        return List.of("inputs.png", "embeddings.png", "projections.png", "parts.png", "body-standing.obj",
                "body-raised.obj", "zeta1.csv", "zeta2.csv", "result.json", "report.json");
    }

    @Override
    List<Examples.Run> run(Context c) throws java.io.IOException {
        Inputs.Input a = load(c, "body");
        Inputs.Input b = load(c, "body-raised");
        int[] parts = ArticulatedBody.generate(c.settings().vertices(), ArticulatedBody.Pose.standing()).parts();
        MeshWriters.write(a.generated().mesh(), c.out().resolve("body-standing.obj"));
        MeshWriters.write(b.generated().mesh(), c.out().resolve("body-raised.obj"));
        Plots.write(inputsPicture(a, b, parts), c.out().resolve("inputs.png"));
        return List.of(embed(c, "poses", c.out(), a, b, Map.of(),
                (result, dir) -> parts(result, dir, a, b, parts)));
    }

    @Override
    void summarise(java.io.PrintWriter w, List<Examples.Run> runs) {
        Map<String, Object> m = runs.get(0).metrics();
        w.printf(Locale.ROOT, "shapes: geodesics change by %.1f %% between the poses; part transfer %.3f, FOSCTTM "
                + "%.3f (best of as-is and left/right swapped)%n", 100 * (double) m.get("geodesic_change"),
                (double) m.get("part_transfer_accuracy"), (double) m.get("foscttm"));
    }

    /** Σ|D₁ − D₂| / Σ D₁ of the two poses' geodesic matrices (both scaled to max 1). */
    private static double relativeChange(Inputs.Input a, Inputs.Input b) {
        DMatrixRMaj da = a.space().space().distanceMatrix();
        DMatrixRMaj db = b.space().space().distanceMatrix();
        double diff = 0;
        double sum = 0;
        for (int k = 0; k < da.data.length; k++) {
            diff += Math.abs(da.data[k] - db.data[k]);
            sum += da.data[k];
        }
        return diff / sum;
    }

    /** Both poses in 3D from the front, coloured by body part. */
    private static BufferedImage inputsPicture(Inputs.Input a, Inputs.Input b, int[] parts) {
        List<String> names = partNames();
        Plots.Camera front = new Plots.Camera(70, 10);
        List<BufferedImage> panels = new ArrayList<>();
        for (Inputs.Input in : List.of(a, b)) {
            TriangleMesh mesh = in.generated().mesh();
            panels.add(Plots.render3d(Inputs.displayName(in) + " (" + mesh.vertexCount() + " vertices)",
                    front.describe() + ", colour = body part", Plots.labelPoints(mesh.vertices(),
                            Examples.vertexNormals(mesh), parts, 2.2), front, 520, 640, List.of(), List.of()));
        }
        BufferedImage legend = Plots.render3d("", "", List.of(), front, 1040, 40, names,
                Plots.categoricalColours(names.size()));
        return Plots.stacked(Plots.sideBySide(panels.toArray(BufferedImage[]::new)), legend);
    }

    private static List<String> partNames() {
        return Arrays.stream(ArticulatedBody.Part.values()).map(ArticulatedBody.Part::label).toList();
    }

    /** parts.png and the correspondence scores. */
    private static EmbeddingRun.Extra parts(EmbeddingResult r, Path dir, Inputs.Input standing, Inputs.Input raised,
            int[] parts) {
        Coordinates grid = r.space().coordinates().orElseThrow();
        Plots.View va = EmbeddingRun.projectionView(r.p1(), true, grid);
        Plots.View vb = EmbeddingRun.projectionView(r.p2(), false, grid);
        List<String> names = partNames();
        Plots.write(Plots.sideBySide(
                Plots.labelPlot("standing, projected, colour = body part", va, parts, names, 560, 640),
                Plots.labelPlot("arms raised + step, projected, colour = body part", vb, parts, names, 560, 640)),
                dir.resolve("parts.png"));
        DMatrixRMaj za = Examples.matrix(va);
        DMatrixRMaj zb = Examples.matrix(vb);
        int[] mirror = mirrorMap(standing.generated().mesh());
        int[] mirroredParts = new int[parts.length];
        DMatrixRMaj zbMirrored = new DMatrixRMaj(zb.numRows, 2);
        for (int i = 0; i < parts.length; i++) {
            mirroredParts[i] = ArticulatedBody.Part.values()[parts[i]].mirrored().ordinal();
            zbMirrored.set(i, 0, zb.get(mirror[i], 0));
            zbMirrored.set(i, 1, zb.get(mirror[i], 1));
        }
        AlignmentMetrics.LabelTransfer asIs = AlignmentMetrics.labelTransfer(za, parts, zb, parts, 5);
        AlignmentMetrics.LabelTransfer swapped = AlignmentMetrics.labelTransfer(za, parts, zb, mirroredParts, 5);
        AlignmentMetrics.Foscttm fAsIs = AlignmentMetrics.foscttm(za, zb);
        AlignmentMetrics.Foscttm fSwapped = AlignmentMetrics.foscttm(za, zbMirrored);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("geodesic_change", relativeChange(standing, raised));
        m.put("part_transfer_accuracy", Math.max(asIs.mean(), swapped.mean()));
        m.put("part_transfer_as_labelled", asIs.mean());
        m.put("part_transfer_left_right_swapped", swapped.mean());
        m.put("foscttm", Math.min(fAsIs.symmetric(), fSwapped.symmetric()));
        m.put("foscttm_identity", fAsIs.symmetric());
        m.put("foscttm_left_right_swapped", fSwapped.symmetric());
        m.put("meaning", "part transfer: 5-NN on the projections, one pose's part labels predicting the other's "
                + "(mean of both directions; chance is about 0.2); FOSCTTM (symmetric) of the known vertex "
                + "correspondence; each also with left and right swapped, since the mirror image is an isometry");
        return new EmbeddingRun.Extra(List.of("parts.png"), m);
    }

    /** Vertex i ↦ the vertex nearest to the mirror image (x → −x) of vertex i in the (symmetric) standing pose. */
    static int[] mirrorMap(TriangleMesh standing) {
        int n = standing.vertexCount();
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            double x = -standing.vertex(i, 0);
            double y = standing.vertex(i, 1);
            double z = standing.vertex(i, 2);
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double dx = standing.vertex(j, 0) - x;
                double dy = standing.vertex(j, 1) - y;
                double dz = standing.vertex(j, 2) - z;
                double d = dx * dx + dy * dy + dz * dz;
                if (d < best) {
                    best = d;
                    map[i] = j;
                }
            }
        }
        return map;
    }
}
