package org.gwembed.examples;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.ArticulatedBody;
import org.gwembed.metricspaces.TriangleMesh;
import org.junit.jupiter.api.Test;

/** The mesh examples at tiny sizes (a few outer iterations on small grids): what their results hold. */
class MeshExamplesTest {

    /** J = W₂² + λ (GW₁ + GW₂) holds to this relative accuracy. */
    private static final double OBJECTIVE_TOLERANCE = 1e-9;

    private static MeshExamples.Request tiny(MeshExamples.Settings quick, int vertices) {
        return MeshExamples.Request.of(new MeshExamples.Settings(vertices, 8, 3, quick.lambda(), quick.epsilon()), 2);
    }

    private static void checkRun(MeshExamples.Run run, double lambda) {
        JointEmbedding.Objective o = run.result().objective();
        assertEquals(lambda, o.lambda());
        assertEquals(o.wasserstein() + lambda * (o.gw1() + o.gw2()), o.total(), OBJECTIVE_TOLERANCE * o.total());
        assertEquals(run.source().space().size(), run.sourceProjections().numRows);
        assertEquals(run.target().space().size(), run.targetProjections().numRows);
        assertEquals(run.space().size(), run.result().zeta1().length);
    }

    @Test
    void rollsRunBothPairsAndScoreTheUnrolling() {
        RollsExample.Result r = RollsExample.run(tiny(RollsExample.QUICK, 120));
        assertEquals(List.of("hole", "no-hole"), r.pairs().stream().map(p -> p.run().name()).toList());
        assertEquals("gen:swiss-roll-hole:120", r.pairs().get(0).run().target().spec());
        assertEquals("plane:8", r.pairs().get(1).run().spaceSpec());
        for (RollsExample.Pair p : r.pairs()) {
            checkRun(p.run(), 50);
            assertTrue(p.unrolledR2Source() >= 0 && p.unrolledR2Source() <= 1, "R^2 " + p.unrolledR2Source());
            assertTrue(p.unrolledR2Target() >= 0 && p.unrolledR2Target() <= 1, "R^2 " + p.unrolledR2Target());
        }
        assertTrue(r.pairs().get(0).run().source() == r.pairs().get(1).run().source(), "one S-curve for both");
    }

    @Test
    void affineR2IsOneForAnAffineImageAndSmallForNoise() {
        SplittableRandom rng = new SplittableRandom(3);
        DMatrixRMaj from = new DMatrixRMaj(50, 2);
        DMatrixRMaj image = new DMatrixRMaj(50, 2);
        DMatrixRMaj noise = new DMatrixRMaj(50, 2);
        for (int i = 0; i < 50; i++) {
            double a = rng.nextDouble();
            double b = rng.nextDouble();
            from.set(i, 0, a);
            from.set(i, 1, b);
            image.set(i, 0, 2 * a - b + 3);
            image.set(i, 1, 0.5 * b - 1);
            noise.set(i, 0, rng.nextDouble());
            noise.set(i, 1, rng.nextDouble());
        }
        assertEquals(1.0, MeshExamples.affineR2(from, image), 1e-12);
        assertTrue(MeshExamples.affineR2(from, noise) < 0.3);
    }

    @Test
    void shapesScoreTheCorrespondenceAsLabelledAndMirrored() {
        ShapesExample.Result r = ShapesExample.run(tiny(ShapesExample.QUICK, ShapesExample.MIN_VERTICES));
        checkRun(r.run(), 50);
        assertEquals(r.run().source().space().size(), r.parts().length);
        assertEquals(Math.max(r.partTransferAsLabelled(), r.partTransferSwapped()), r.partTransferAccuracy());
        assertEquals(Math.min(r.foscttmIdentity(), r.foscttmSwapped()), r.foscttm());
        assertTrue(r.partTransferAccuracy() >= 0 && r.partTransferAccuracy() <= 1);
        assertTrue(r.geodesicChange() > 0 && r.geodesicChange() < 0.2, "near-isometric poses: " + r.geodesicChange());
    }

    @Test
    void theMirrorMapOfTheStandingBodyIsAnInvolution() {
        TriangleMesh standing = ArticulatedBody.generate(300, ArticulatedBody.Pose.standing()).generated().mesh();
        int[] mirror = ShapesExample.mirrorMap(standing);
        int fixed = 0;
        for (int i = 0; i < mirror.length; i++) {
            if (mirror[mirror[i]] == i) {
                fixed++;
            }
        }
        assertTrue(fixed > 0.95 * mirror.length, fixed + " of " + mirror.length);
    }

    @Test
    void sphereAndTorusEmbedIntoTheirSpaces() {
        MeshExamples.Run sphere = SphereExample.run(tiny(SphereExample.QUICK, 100));
        checkRun(sphere, 1000);
        assertEquals("sphere:8", sphere.spaceSpec());
        MeshExamples.Run torus = TorusExample.run(tiny(TorusExample.QUICK, 100));
        checkRun(torus, 1000);
        assertEquals("torus-embedded:8", torus.spaceSpec());
        assertEquals(3, torus.sourceProjections().numCols, "points of R^3");
    }

    @Test
    void requestsAndGeneratorsRefuseBadSizes() {
        assertRejects("grid", () -> new MeshExamples.Request(100, 1, JointEmbedding.Options.defaults(1, 1e-3)));
        assertRejects("body", () -> GeneratedSurfaces.generate("body", 50, 1));
        assertRejects("unknown generator", () -> GeneratedSurfaces.named("klein-bottle"));
        assertEquals("half-torus", GeneratedSurfaces.find("Half-Torus").orElseThrow().name());
        GeneratedSurfaces.Surface s = GeneratedSurfaces.generate("s-curve", 60, 1);
        assertTrue(s.description().endsWith("edge-graph geodesics"), s.description());
        assertEquals(1.0, s.space().space().maxDistance(), 1e-12);
    }
}
