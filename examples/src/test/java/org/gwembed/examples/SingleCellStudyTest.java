package org.gwembed.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.ModelSelection;
import org.gwembed.embedding.SingleCellAlignment;
import org.junit.jupiter.api.Test;

class SingleCellStudyTest {

    /** 40 cells on a noisy curve in 3 dimensions, three classes along it; {@code y} is {@code x} rotated. */
    private static SingleCellAlignment.Data curve() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 40;
        DMatrixRMaj x = new DMatrixRMaj(n, 3);
        DMatrixRMaj y = new DMatrixRMaj(n, 3);
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            double t = i / (n - 1.0);
            double a = 1 + t + 0.05 * rng.nextGaussian();
            double b = 2 * t * t + 0.05 * rng.nextGaussian();
            double c = 0.5 + Math.sin(3 * t);
            x.set(i, 0, a);
            x.set(i, 1, b);
            x.set(i, 2, c);
            y.set(i, 0, b); // a permutation of the coordinates: the same geometry
            y.set(i, 1, c);
            y.set(i, 2, a);
            classes[i] = Math.min(2, (int) (3 * t));
        }
        return new SingleCellAlignment.Data(x, y, classes, classes.clone());
    }

    @Test
    void theOracleRotationOfIdenticalGeometriesMatchesEveryCell() {
        SingleCellAlignment.Data d = curve();
        ModelSelection.Split split = ModelSelection.Split.random(d.cells(), 0.25, 0);
        List<SingleCellStudy.Row> rows = SingleCellStudy.evaluate(d, split, "method=none,k=5,mode=dist,dims=2_3");
        assertEquals(List.of("oracle2", "oracle3"), rows.stream().map(SingleCellStudy.Row::readout).toList());
        for (SingleCellStudy.Row r : rows) {
            // both modalities have the same geodesics (correlation lengths: distinct, no hop-count ties), so their
            // MDS coordinates coincide and the true match is every cell's nearest
            assertEquals(0, r.eval().test().symmetric(), 1e-12, r.format());
            assertEquals(0, r.eval().validation().symmetric(), 1e-12, r.format());
        }
    }

    @Test
    void anEwlRunIsReadOutEveryWay() {
        SingleCellAlignment.Data d = curve();
        ModelSelection.Split split = ModelSelection.Split.random(d.cells(), 0.25, 0);
        List<SingleCellStudy.Row> rows = SingleCellStudy.evaluate(d, split,
                "k=5,space=plane:5,iters=3,lambdas=0.1_1,dims=2,threads=1");
        assertEquals(List.of("grid", "x", "y", "xy", "oracle2", "init2", "proc2@0.01"),
                rows.stream().map(SingleCellStudy.Row::readout).toList());
        for (SingleCellStudy.Row r : rows) {
            double f = r.eval().test().symmetric();
            assertTrue(f >= 0 && f <= 1, r.format());
        }
        assertTrue(rows.get(0).format().startsWith("k=5,space=plane:5"), rows.get(0).format());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SingleCellStudy.evaluate(d, split, "grid=5"));
        assertTrue(e.getMessage().contains("grid=5"), e.getMessage());
    }
}
