package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.BarycentricProjection;
import org.gwembed.embedding.EmbeddingResult;

import picocli.CommandLine.Command;

/**
 * {@code gwembed examples torus}: a half torus and a toroidal triangle on the torus of revolution. The paper's figure
 * shows the torus in R³ and the reference builds it as a torus of revolution (R = 1, r = 0.2) with Dijkstra geodesics
 * on its grid mesh (METHOD.md §1 (b)); a flat torus would be a different metric (no curvature, all of u and v alike),
 * so this example uses {@code torus-embedded:N}.
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
final class TorusExample extends MeshExample {

    static final MeshExampleOptions.Settings FULL = new MeshExampleOptions.Settings(2000, 30, 40, 1000, 1e-3);
    static final MeshExampleOptions.Settings QUICK = new MeshExampleOptions.Settings(300, 12, 8, 1000, 1e-3);

    /** The two cameras of views3d.png: from above on one side, from below on the other. */
    static final Plots.Camera[] CAMERAS = {new Plots.Camera(30, 45), new Plots.Camera(210, -45)};

    @Override
    String name() {
        return "torus";
    }

    @Override
    MeshExampleOptions.Settings defaults(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    String space(int grid) {
        return "torus-embedded:" + grid;
    }

    @Override
    String paper() {
        return "Beier et al. 2025, Fig. 3 (torus: half torus and toroidal triangle, 30x30)";
    }

    @Override
    List<String> files() {
        return List.of("embeddings.png", "projections.png", "views3d.png", "uv_embeddings.png", "uv_projections.png",
                "zeta1.csv", "zeta2.csv", "result.json", "report.json");
    }

    @Override
    List<Examples.Run> run(Context c) {
        Inputs.Input a = load(c, "half-torus");
        Inputs.Input b = load(c, "toroidal-triangle");
        return List.of(embed(c, "torus", c.out(), a, b, Map.of("space_choice", "torus of revolution (R = 1, r = 0.2, "
                + "Dijkstra geodesics on the grid mesh), as the reference builds it; the figure shows this torus in "
                + "3D"), (r, dir) -> pictures(r, dir, a, b)));
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
