package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.examples.MeshExamples;
import org.gwembed.examples.ShapesExample;
import org.gwembed.metricspaces.ArticulatedBody;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.MeshWriters;
import org.gwembed.metricspaces.TriangleMesh;

import picocli.CommandLine.Command;

/**
 * {@code gwembed examples shapes} ({@link ShapesExample}): two poses of a human-like body (the paper's FAUST figure, with a generated
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
final class ShapesCommand extends MeshExampleCommand {

    @Override
    String name() {
        return "shapes";
    }

    @Override
    MeshExamples.Settings defaults(boolean quick) {
        return quick ? ShapesExample.QUICK : ShapesExample.FULL;
    }

    @Override
    int minVertices() {
        return ShapesExample.MIN_VERTICES;
    }

    @Override
    String space(int grid) {
        return ShapesExample.space(grid);
    }

    @Override
    String paper() {
        return ShapesExample.PAPER;
    }

    @Override
    List<String> files() {
        return List.of("inputs.png", "embeddings.png", "projections.png", "parts.png", "body-standing.obj",
                "body-raised.obj", "zeta1.csv", "zeta2.csv", "result.json", "report.json");
    }

    @Override
    List<Examples.Run> run(Context c) throws java.io.IOException {
        ShapesExample.Result result = solve(c, ShapesExample::run);
        Inputs.Input a = Inputs.of(result.run().source());
        Inputs.Input b = Inputs.of(result.run().target());
        MeshWriters.write(a.generated().mesh(), c.out().resolve("body-standing.obj"));
        MeshWriters.write(b.generated().mesh(), c.out().resolve("body-raised.obj"));
        Plots.write(inputsPicture(a, b, result.parts()), c.out().resolve("inputs.png"));
        return List.of(write(c, result.run(), c.out(), Map.of(), (r, dir) -> parts(result, r, dir)));
    }

    @Override
    void summarise(java.io.PrintWriter w, List<Examples.Run> runs) {
        Map<String, Object> m = runs.get(0).metrics();
        w.printf(Locale.ROOT, "shapes: geodesics change by %.1f %% between the poses; part transfer %.3f, FOSCTTM "
                + "%.3f (best of as-is and left/right swapped)%n", 100 * (double) m.get("geodesic_change"),
                (double) m.get("part_transfer_accuracy"), (double) m.get("foscttm"));
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
    private static EmbeddingRun.Extra parts(ShapesExample.Result s, EmbeddingResult r, Path dir) {
        Coordinates grid = r.space().coordinates().orElseThrow();
        Plots.View va = EmbeddingRun.projectionView(r.p1(), true, grid);
        Plots.View vb = EmbeddingRun.projectionView(r.p2(), false, grid);
        List<String> names = partNames();
        Plots.write(Plots.sideBySide(
                Plots.labelPlot("standing, projected, colour = body part", va, s.parts(), names, 560, 640),
                Plots.labelPlot("arms raised + step, projected, colour = body part", vb, s.parts(), names, 560, 640)),
                dir.resolve("parts.png"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("geodesic_change", s.geodesicChange());
        m.put("part_transfer_accuracy", s.partTransferAccuracy());
        m.put("part_transfer_as_labelled", s.partTransferAsLabelled());
        m.put("part_transfer_left_right_swapped", s.partTransferSwapped());
        m.put("foscttm", s.foscttm());
        m.put("foscttm_identity", s.foscttmIdentity());
        m.put("foscttm_left_right_swapped", s.foscttmSwapped());
        m.put("meaning", "part transfer: 5-NN on the projections, one pose's part labels predicting the other's "
                + "(mean of both directions; chance is about 0.2); FOSCTTM (symmetric) of the known vertex "
                + "correspondence; each also with left and right swapped, since the mirror image is an isometry");
        return new EmbeddingRun.Extra(List.of("parts.png"), m);
    }
}
