package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.BarycentricProjection;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.examples.MeshExamples;
import org.gwembed.examples.TorusExample;

import picocli.CommandLine.Command;

/**
 * {@code gwembed examples torus} ({@link TorusExample}): a half torus and a toroidal triangle on
 * the torus of revolution {@code torus-embedded:N}, drawn in 3D and in its (u, v) angle plane.
 */
@Command(name = "torus", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Half torus vs toroidal triangle on a 30x30 torus of revolution (paper Fig. 3).",
        description = {"Embeds a generated half torus and a toroidal triangle jointly into the torus of revolution "
                + "torus-embedded:N (R = 1, r = 0.2 as the reference; geodesics by Dijkstra on the grid mesh; the "
                + "paper's figure is this torus in 3D, not the flat torus) with lambda 1000 and epsilon 1e-3 relative (the paper "
                + "uses the sphere's parameters for the torus).",
            "Writes embeddings.png (top view, x and y), views3d.png (each relaxed embedding seen from azimuth 30 "
                + "degrees, elevation 45, and from azimuth 210, elevation -45, orthographic; far side pale), "
                + "uv_embeddings.png and uv_projections.png (the (u, v) angle plane: u about the axis, v around the "
                + "tube), projections.png, result.json, zeta CSVs and report.json.",
            "Defaults: 2000 vertices, torus-embedded:30, 40 outer iterations: about 1-2 min on 2 cores. --quick: "
                + "300 vertices, torus-embedded:12, 8 iterations."})
final class TorusCommand extends MeshExampleCommand {

    /** The two cameras of views3d.png: from above on one side, from below on the other. */
    static final Plots.Camera[] CAMERAS = {new Plots.Camera(30, 45), new Plots.Camera(210, -45)};

    @Override
    String name() {
        return "torus";
    }

    @Override
    MeshExamples.Settings defaults(boolean quick) {
        return quick ? TorusExample.QUICK : TorusExample.FULL;
    }

    @Override
    String space(int grid) {
        return TorusExample.space(grid);
    }

    @Override
    String paper() {
        return TorusExample.PAPER;
    }

    @Override
    List<String> files() {
        return List.of("embeddings.png", "projections.png", "views3d.png", "uv_embeddings.png", "uv_projections.png",
                "zeta1.csv", "zeta2.csv", "result.json", "report.json");
    }

    @Override
    List<Examples.Run> run(Context c) {
        MeshExamples.Run run = solve(c, TorusExample::run);
        Inputs.Input a = Inputs.of(run.source());
        Inputs.Input b = Inputs.of(run.target());
        return List.of(write(c, run, c.out(), Map.of("space_choice", TorusExample.SPACE_CHOICE),
                (r, dir) -> pictures(r, dir, a, b)));
    }

    private static EmbeddingRun.Extra pictures(EmbeddingResult r, Path dir, Inputs.Input a, Inputs.Input b) {
        var coords = r.space().coordinates().orElseThrow();
        DMatrixRMaj xyz = coords.values();
        String[] names = {Inputs.displayName(a), Inputs.displayName(b)};
        double majorRadius = SurfaceViews.majorRadius(xyz);
        Plots.write(SurfaceViews.views(r, names, xyz, SurfaceViews.torusNormals(xyz, majorRadius), CAMERAS),
                dir.resolve("views3d.png"));
        Plots.View uv = SurfaceViews.torusAngles(xyz, majorRadius);
        Plots.write(Plots.sideBySide(Plots.massPlot("zeta1: " + names[0], uv, r.zeta1(), 560, 600),
                Plots.massPlot("zeta2: " + names[1], uv, r.zeta2(), 560, 600)), dir.resolve("uv_embeddings.png"));
        Plots.View p1 = SurfaceViews.torusAngles(BarycentricProjection.project(r.p1(), true, coords),
                majorRadius);
        Plots.View p2 = SurfaceViews.torusAngles(BarycentricProjection.project(r.p2(), false, coords),
                majorRadius);
        BufferedImage c = Plots.valuePlot(names[0] + " projected, colour = u", p1,
                EmbeddingRun.column(a.generated().parameters(), 0), "u", 560, 560);
        BufferedImage d = Plots.valuePlot(names[1] + " projected, colour = u", p2,
                EmbeddingRun.column(b.generated().parameters(), 0), "u", 560, 560);
        Plots.write(Plots.sideBySide(c, d), dir.resolve("uv_projections.png"));
        return new EmbeddingRun.Extra(List.of("views3d.png", "uv_embeddings.png", "uv_projections.png"), Map.of());
    }
}
