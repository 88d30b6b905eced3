package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistanceMatricesTest {

    private static final double TOL = 1e-15;

    @TempDir
    Path dir;

    private static final double[][] D = {{0, 1, 2}, {1, 0, 3}, {2, 3, 0}};

    @Test
    void csvAndNpyMatricesReadAsValidatedSpaces() throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "0,1,2\n1,0,3\n2,3,0\n");
        DenseMetricSpace a = DistanceMatrices.read(csv);
        Path npy = dir.resolve("d.npy");
        DistanceMatrices.write(npy, a);
        DenseMetricSpace b = DistanceMatrices.read(npy);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(D[i][j], a.distance(i, j), 0.0);
                assertEquals(D[i][j], b.distance(i, j), 0.0);
            }
        }
        assertTrue(a.description().contains("d.csv"), a.description());
    }

    @Test
    void invalidMatrixMessageNamesTheFile() throws IOException {
        Path asym = dir.resolve("asym.csv");
        Files.writeString(asym, "0,1\n2,0\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> DistanceMatrices.read(asym));
        assertTrue(e.getMessage().startsWith(asym + ": ") && e.getMessage().contains("symmetric"), e.getMessage());
        Path rect = dir.resolve("rect.csv");
        Files.writeString(rect, "0,1,2\n1,0,3\n");
        InputFormatException r = assertThrows(InputFormatException.class, () -> DistanceMatrices.read(rect));
        assertTrue(r.getMessage().contains("rect.csv") && r.getMessage().contains("2x3"), r.getMessage());
    }

    @Test
    void weightsAreNormalisedOnlyWhenAsked() throws IOException {
        Path d = dir.resolve("d.csv");
        Tables.writeCsv(d, new DMatrixRMaj(D), java.util.List.of());
        Path w = dir.resolve("w.txt");
        Files.writeString(w, "1\r\n1\r\n2");
        MetricMeasureSpace normalised = DistanceMatrices.read(d, w, true);
        assertArrayEquals(new double[] {0.25, 0.25, 0.5}, normalised.weights(), TOL);
        InputFormatException notSummingToOne = assertThrows(InputFormatException.class,
                () -> DistanceMatrices.read(d, w, false));
        assertTrue(notSummingToOne.getMessage().contains("w.txt") && notSummingToOne.getMessage().contains("sum"),
                notSummingToOne.getMessage());
        Path w2 = dir.resolve("w2.npy");
        Tables.writeNpy(w2, new double[] {0.5, 0.5});
        InputFormatException count = assertThrows(InputFormatException.class, () -> DistanceMatrices.read(d, w2, true));
        assertTrue(count.getMessage().contains("w2.npy") && count.getMessage().contains("3x3"), count.getMessage());
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, DistanceMatrices.read(d, null, false).weights(),
                TOL);
        Path w3 = dir.resolve("w3.csv");
        Files.writeString(w3, "0.75\n-0.25\n0.5\n");
        for (boolean normalise : new boolean[] {false, true}) {
            InputFormatException negative = assertThrows(InputFormatException.class,
                    () -> DistanceMatrices.read(d, w3, normalise));
            assertTrue(negative.getMessage().contains("w3.csv") && negative.getMessage().contains("-0.25"),
                    negative.getMessage());
        }
    }

    @Test
    void meanNormalisationDividesByTheMeanOfAllEntries() {
        DenseMetricSpace s = DenseMetricSpace.of(D, "d");
        // Entries: 0,1,2,1,0,3,2,3,0 → mean 12 / 9.
        assertEquals(12.0 / 9.0, DistanceMatrices.meanDistance(s), TOL);
        DenseMetricSpace n = DistanceMatrices.normalizedToMean(s, 1.0);
        assertEquals(1.0, DistanceMatrices.meanDistance(n), TOL);
        assertEquals(3.0 * 9.0 / 12.0, n.distance(1, 2), TOL);
        assertThrows(IllegalArgumentException.class,
                () -> DistanceMatrices.normalizedToMean(DenseMetricSpace.of(new double[][] {{0}}, "p"), 1.0));
    }
}
