package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.examples.MeshExamples;
import org.gwembed.examples.RollsExample;
import org.gwembed.metricspaces.Coordinates;

import picocli.CommandLine.Command;

/**
 * {@code gwembed examples rolls} ({@link RollsExample}): the paper's §6.1 figure — an S-curve against a Swiss roll
 * with a hole, and against one without, embedded jointly into a plane grid; both come out unrolled.
 */
@Command(name = "rolls", mixinStandardHelpOptions = true, sortOptions = false,
        header = "S-curve vs Swiss roll with and without a hole on a plane grid (paper section 6.1).",
        description = {"Embeds a generated S-curve and a Swiss roll with a hole, then the S-curve and a Swiss roll "
                + "without a hole, jointly into an N x N plane grid (paper: ~2000 vertices, lambda 50, epsilon 6e-4 "
                + "relative, 40 outer iterations, 50x50 grid). Each pair goes to its own directory (hole/, no-hole/) "
                + "with result.json, zeta CSVs, embeddings.png (both relaxed embeddings, colour = mass, mass < 1e-5 "
                + "hidden), projections.png (barycentric projections coloured by the roll parameter t) and "
                + "unrolled.png (coloured by the exact unrolled coordinates: arc length and height). report.json "
                + "holds both runs and R^2 of the best affine map from the unrolled coordinates to the projections "
                + "(1 = perfectly unrolled).",
            "Defaults: 2000 vertices, 50x50 grid, 40 outer iterations: about 2.5 min on 2 cores (2 x 40 x ~1.7 s). "
                + "--quick: 300 vertices, 15x15 grid, 8 iterations, a few seconds."})
final class RollsCommand extends MeshExampleCommand {

    @Override
    String name() {
        return "rolls";
    }

    @Override
    MeshExamples.Settings defaults(boolean quick) {
        return quick ? RollsExample.QUICK : RollsExample.FULL;
    }

    @Override
    String space(int grid) {
        return RollsExample.space(grid);
    }

    @Override
    String paper() {
        return RollsExample.PAPER;
    }

    @Override
    int embeddings() {
        return 2;
    }

    @Override
    List<String> files() {
        return List.of("rolls.png", "hole/embeddings.png", "hole/projections.png", "hole/unrolled.png",
                "hole/result.json", "no-hole/embeddings.png", "no-hole/projections.png", "no-hole/unrolled.png",
                "no-hole/result.json", "report.json");
    }

    @Override
    List<Examples.Run> run(Context c) {
        List<RollsExample.Pair> pairs = solve(c, RollsExample::run).pairs();
        List<Examples.Run> runs = new ArrayList<>();
        for (RollsExample.Pair p : pairs) {
            MeshExamples.Run r = p.run();
            Inputs.Input roll = Inputs.of(r.target());
            runs.add(write(c, r, c.out().resolve(r.name()), Map.of("pair", "S-curve vs " + Inputs.displayName(roll)),
                    (result, dir) -> unrolled(p, result, dir)));
        }
        Plots.write(Plots.stacked(Plots.read(c.out().resolve("hole/embeddings.png")),
                Plots.read(c.out().resolve("no-hole/embeddings.png"))), c.out().resolve("rolls.png"));
        return runs;
    }

    @Override
    void summarise(java.io.PrintWriter w, List<Examples.Run> runs) {
        for (Examples.Run r : runs) {
            w.printf(Locale.ROOT, "rolls/%-8s J = %.5g, unrolled R^2 %.3f (S-curve) / %.3f (roll)%n", r.name(),
                    r.result().objective().total(), (double) r.metrics().get("unrolled_r2_source"),
                    (double) r.metrics().get("unrolled_r2_target"));
        }
    }

    /** unrolled.png: the projections coloured by the exact unrolled arc length and height; R² of the fit. */
    private static EmbeddingRun.Extra unrolled(RollsExample.Pair p, org.gwembed.embedding.EmbeddingResult r, Path dir) {
        Inputs.Input a = Inputs.of(p.run().source());
        Inputs.Input b = Inputs.of(p.run().target());
        Coordinates grid = r.space().coordinates().orElseThrow();
        Plots.View va = EmbeddingRun.projectionView(r.p1(), true, grid);
        Plots.View vb = EmbeddingRun.projectionView(r.p2(), false, grid);
        DMatrixRMaj ua = a.generated().unrolled();
        DMatrixRMaj ub = b.generated().unrolled();
        List<BufferedImage> row1 = new ArrayList<>();
        List<BufferedImage> row2 = new ArrayList<>();
        String[] names = {"unrolled arc length", "height"};
        for (int c = 0; c < 2; c++) {
            List<BufferedImage> row = c == 0 ? row1 : row2;
            row.add(Plots.valuePlot(Inputs.displayName(a) + ", colour = " + names[c], va,
                    EmbeddingRun.column(ua, c), names[c], 480, 480));
            row.add(Plots.valuePlot(Inputs.displayName(b) + ", colour = " + names[c], vb,
                    EmbeddingRun.column(ub, c), names[c], 480, 480));
        }
        Plots.write(Plots.stacked(Plots.sideBySide(row1.toArray(BufferedImage[]::new)),
                Plots.sideBySide(row2.toArray(BufferedImage[]::new))), dir.resolve("unrolled.png"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unrolled_r2_source", p.unrolledR2Source());
        m.put("unrolled_r2_target", p.unrolledR2Target());
        m.put("unrolled_r2_meaning", "R^2 of the best affine map from the exact unrolled (arc length, height) "
                + "coordinates to the barycentric projections; 1 = unrolled without distortion");
        return new EmbeddingRun.Extra(List.of("unrolled.png"), m);
    }
}
