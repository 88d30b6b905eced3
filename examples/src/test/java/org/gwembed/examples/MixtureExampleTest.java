package org.gwembed.examples;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.GaussianMixture;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.GaussianSpace;
import org.junit.jupiter.api.Test;

class MixtureExampleTest {

    @Test
    void fittedMixturesAreScaledToLargestDistanceOneAndEmbedded() {
        List<DMatrixRMaj> sets = MixtureExample.pointSets(150, 3, 0.05, 0);
        assertEquals(150, sets.get(0).numRows);
        MixtureExample.Fitted a = MixtureExample.fitted("Blobs", "Blobs", "blobs", sets.get(0),
                GaussianMixture.fit(sets.get(0), 3, 500));
        MixtureExample.Fitted b = MixtureExample.fitted("Moons", "Moons", "moons", sets.get(1),
                GaussianMixture.fit(sets.get(1), 3, 500));
        assertEquals(1.0, a.space().space().maxDistance(), 1e-12);
        DMatrixRMaj scaled = a.scaled().componentDistances();
        assertEquals(1.0, scaled.data[maxIndex(scaled)], 1e-9, "the scaled mixture's largest W2 is 1");
        double s2 = MixtureExample.autoSigma2(a, b, 1.3);
        assertTrue(s2 > 0 && Double.isFinite(s2), "sigma^2 " + s2);
        GaussianSpace x = (GaussianSpace) EmbeddingSpaces.parse("gaussians:4:" + s2, 1.3);
        MixtureExample.Result r = MixtureExample.run(new MixtureExample.Request(a, b, x,
                JointEmbedding.Options.defaults(100, 5e-4).withOuterIterations(3).withThreads(1)));
        assertTrue(r.mgw().squared() >= 0 && r.mgwScaled().squared() >= 0);
        assertEquals(x.size(), r.embedding().zeta1().length);
    }

    @Test
    void coincidingComponentsAreRefused() {
        DMatrixRMaj p = new DMatrixRMaj(2, 2);
        DMatrixRMaj c = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}});
        GaussianMixture same = new GaussianMixture(new double[] {0.5, 0.5}, List.of(new double[] {0, 0},
                new double[] {0, 0}), List.of(c, c.copy()));
        assertRejects("coincide", () -> MixtureExample.fitted("X", "x", "x", p, same));
    }

    private static int maxIndex(DMatrixRMaj m) {
        int best = 0;
        for (int i = 1; i < m.data.length; i++) {
            if (m.data[i] > m.data[best]) {
                best = i;
            }
        }
        return best;
    }
}
