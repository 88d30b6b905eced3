package org.gwembed.cli;

import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.examples.MeshExamples;
import org.gwembed.examples.SphereExample;

import picocli.CommandLine.Command;

/** {@code gwembed examples sphere} ({@link SphereExample}): a spherical rectangle and a spherical cap, both with holes, on a sphere grid. */
@Command(name = "sphere", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Spherical rectangle vs spherical cap, both with holes, on a 30x30 sphere grid (paper Fig. 3).",
        description = {"Embeds a generated spherical rectangle with a hole and a spherical cap with a hole jointly "
                + "into the sphere grid sphere:N ((N+1) longitudes x (N-1) rings + 2 poles, great-circle distance; "
                + "the paper's 30 gives 901 points) with lambda 1000, epsilon 1e-3 relative (the paper's sphere "
                + "parameters, METHOD.md section 4).",
            "Writes embeddings.png and projections.png as (longitude, colatitude) maps, views3d.png (each relaxed "
                + "embedding on the sphere seen from azimuth 0 and 180 degrees at elevation 30 degrees, orthographic; "
                + "the far side pale and small; point size and colour grow with mass), result.json, zeta CSVs "
                + "(x,y,z,weight) and report.json.",
            "Defaults: 2000 vertices, sphere:30, 40 outer iterations: about 1-2 min on 2 cores. --quick: 300 "
                + "vertices, sphere:10, 8 iterations."})
final class SphereCommand extends MeshExampleCommand {

    /** The two cameras of views3d.png. */
    static final Plots.Camera[] CAMERAS = {new Plots.Camera(0, 30), new Plots.Camera(180, 30)};

    @Override
    String name() {
        return "sphere";
    }

    @Override
    MeshExamples.Settings defaults(boolean quick) {
        return quick ? SphereExample.QUICK : SphereExample.FULL;
    }

    @Override
    String space(int grid) {
        return SphereExample.space(grid);
    }

    @Override
    String paper() {
        return SphereExample.PAPER;
    }

    @Override
    List<String> files() {
        return List.of("embeddings.png", "projections.png", "views3d.png", "zeta1.csv", "zeta2.csv", "result.json",
                "report.json");
    }

    @Override
    List<Examples.Run> run(Context c) {
        MeshExamples.Run run = solve(c, SphereExample::run);
        String[] names = {Inputs.displayName(Inputs.of(run.source())), Inputs.displayName(Inputs.of(run.target()))};
        return List.of(write(c, run, c.out(), Map.of(), (r, dir) -> {
            DMatrixRMaj xyz = r.space().coordinates().orElseThrow().values();
            Plots.write(SurfaceViews.views(r, names, xyz, xyz, CAMERAS), dir.resolve("views3d.png"));
            return new EmbeddingRun.Extra(List.of("views3d.png"), Map.of());
        }));
    }
}
