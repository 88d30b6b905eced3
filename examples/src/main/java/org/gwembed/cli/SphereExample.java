package org.gwembed.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ejml.data.DMatrixRMaj;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gwembed examples sphere}: a spherical rectangle and a spherical cap, both with holes, on a sphere grid. */
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
final class SphereExample implements Callable<Integer> {

    static final MeshExampleOptions.Settings FULL = new MeshExampleOptions.Settings(2000, 30, 40, 1000, 1e-3);
    static final MeshExampleOptions.Settings QUICK = new MeshExampleOptions.Settings(300, 10, 8, 1000, 1e-3);

    /** The two cameras of views3d.png. */
    static final Plots.Camera[] CAMERAS = {new Plots.Camera(0, 30), new Plots.Camera(180, 30)};

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleOptions common;

    @Mixin
    MeshExampleOptions sizes;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        MeshExampleOptions.Settings s = sizes.resolve(common.quick ? QUICK : FULL, 9);
        int t = common.threads();
        Path out = common.out("sphere");
        String space = "sphere:" + s.grid();
        Inputs.Input a = Inputs.load("--vertices", "gen:spherical-rectangle-hole:" + s.vertices(), "euclidean", t);
        Inputs.Input b = Inputs.load("--vertices", "gen:spherical-cap-hole:" + s.vertices(), "euclidean", t);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("paper", "Beier et al. 2025, Fig. 3 (sphere: spherical rectangle and cap with holes, 30x30)");
        String[] names = {Inputs.displayName(a), Inputs.displayName(b)};
        Examples.Run run = Examples.embed(spec, common, "sphere", "sphere", out, a, b, space, s, notes, (r, dir) -> {
            DMatrixRMaj xyz = r.space().coordinates().orElseThrow().values();
            Plots.write(SurfaceViews.views(r, names, xyz, xyz, CAMERAS), dir.resolve("views3d.png"));
            return new EmbeddingRun.Extra(List.of("views3d.png"), Map.of());
        });
        List<String> files = List.of("embeddings.png", "projections.png", "views3d.png", "zeta1.csv", "zeta2.csv",
                "result.json", "report.json");
        double seconds = (System.nanoTime() - t0) / 1e9;
        Examples.writeReport(out, "sphere", common.quick, "Beier et al. 2025, Fig. 3 (sphere)",
                Examples.parameters(s, space, t), List.of(run), files, seconds);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s (%.1f s)%n", out, String.join(", ", files),
                seconds);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
