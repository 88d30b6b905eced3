package org.gwembed.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The paper's §6.1 figure: an S-curve against a Swiss roll with a hole, and against one without, embedded jointly
 * into a plane grid; both come out unrolled. R² of the best affine map from the exact unrolled (arc length, height)
 * coordinates to the barycentric projections says how well (1 = unrolled without distortion).
 */
public final class RollsExample {

    /** The paper's sizes: about 2000 vertices, a 50×50 grid, 40 outer iterations, λ = 50, ε = 6e-4. */
    public static final MeshExamples.Settings FULL = new MeshExamples.Settings(2000, 50, 40, 50, 6e-4);
    /** A few seconds: 300 vertices, a 15×15 grid, 8 outer iterations. */
    public static final MeshExamples.Settings QUICK = new MeshExamples.Settings(300, 15, 8, 50, 6e-4);
    /** Where in the paper. */
    public static final String PAPER = "Beier et al. 2025, section 6.1, Fig. 3 (rolls)";

    /** The pairs: run name and the roll's generator. */
    private static final String[][] PAIRS = {{"hole", "swiss-roll-hole"}, {"no-hole", "swiss-roll"}};

    private RollsExample() {
    }

    /** The embedding space of a grid side. */
    public static String space(int grid) {
        return "plane:" + grid;
    }

    /**
     * One pair's run and how well each surface came out unrolled.
     *
     * @param unrolledR2Source R² of the S-curve's projections against its unrolled coordinates
     * @param unrolledR2Target R² of the roll's
     */
    public record Pair(MeshExamples.Run run, double unrolledR2Source, double unrolledR2Target) {
    }

    /** Both pairs: {@code hole}, then {@code no-hole}. */
    public record Result(List<Pair> pairs) {
        public Result {
            pairs = List.copyOf(pairs);
        }
    }

    /** Generates the surfaces and runs both pairs. */
    public static Result run(MeshExamples.Request request) {
        GeneratedSurfaces.Surface curve = request.surface("s-curve");
        List<Pair> pairs = new ArrayList<>();
        for (String[] pair : PAIRS) {
            GeneratedSurfaces.Surface roll = request.surface(pair[1]);
            MeshExamples.Run run = MeshExamples.embed(pair[0], curve, roll, space(request.grid()), request.options());
            pairs.add(new Pair(run, MeshExamples.affineR2(curve.generated().unrolled(), run.sourceProjections()),
                    MeshExamples.affineR2(roll.generated().unrolled(), run.targetProjections())));
        }
        return new Result(pairs);
    }
}
