package org.gwembed.cli;

import static org.gwembed.cli.CliRunner.assertBadInput;
import static org.gwembed.cli.CliRunner.assertPicture;
import static org.gwembed.cli.CliRunner.at;
import static org.gwembed.cli.CliRunner.json;
import static org.gwembed.cli.CliRunner.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.PointClouds;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GwCommandTest {

    /** Relative agreement of the reported distance with the brute-force 4-index sum at the written plan. */
    private static final double SUM_TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    void conditionalGradientReportsThePotDistanceAtItsPlan() throws IOException {
        DMatrixRMaj a = distances(10, 1);
        DMatrixRMaj b = distances(8, 2);
        Path fa = dir.resolve("a.csv");
        Path fb = dir.resolve("b.npy");
        Tables.writeCsv(fa, a, List.of());
        Tables.writeNpy(fb, b);
        Path out = dir.resolve("cg");
        CliRunner.Outcome o = CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", fb.toString(),
                "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals("conditional_gradient", at(r, "method"));
        DMatrixRMaj plan = Tables.read(out.resolve("plan.npy")).values();
        assertEquals(10, plan.numRows);
        assertEquals(8, plan.numCols);
        double d = number(r, "distance");
        assertEquals(bruteForce(a, b, plan), d, SUM_TOLERANCE * Math.max(d, 1e-12));
        assertTrue(o.out().contains("GW distance"), o::toString);
        for (String png : List.of("x_distances.png", "y_distances.png", "plan.png")) {
            assertPicture(out.resolve(png));
        }
    }

    @Test
    void entropicAndIdenticalInputs() throws IOException {
        DMatrixRMaj a = distances(12, 3);
        Path fa = dir.resolve("a.csv");
        Tables.writeCsv(fa, a, List.of());
        Path out = dir.resolve("ent");
        CliRunner.Outcome o = CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", fa.toString(),
                "--entropic", "0.01", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals("entropic", at(r, "method"));
        assertEquals(0.01, number(r, "epsilon"));
        DMatrixRMaj plan = Tables.read(out.resolve("plan.npy")).values();
        double d = number(r, "distance");
        // POT's gwloss at the entropic plan: equals the 4-index sum up to the marginal error
        assertEquals(bruteForce(a, a, plan), d, 1e-6 + 1e-3 * d);
        // exact GW of a space with itself is 0
        Path out2 = dir.resolve("same");
        assertEquals(0, CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", fa.toString(), "--out",
                out2.toString()).code());
        assertEquals(0.0, number(json(out2.resolve("result.json")), "distance"), 1e-12);
    }

    @Test
    void badInput() throws IOException {
        Path fa = dir.resolve("a.csv");
        Tables.writeCsv(fa, distances(5, 4), List.of());
        Path rect = dir.resolve("rect.csv");
        Files.writeString(rect, "0,1,2\n1,0,3\n");
        Path text = dir.resolve("text.csv");
        Files.writeString(text, "0,1\n1,zero\n");
        String out = dir.resolve("o").toString();
        assertBadInput(CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", rect.toString(), "--out",
                out));
        assertBadInput(CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", text.toString(), "--out",
                out));
        assertBadInput(CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances",
                dir.resolve("none.npy").toString(), "--out", out));
        assertBadInput(CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", fa.toString(),
                "--entropic", "-0.1", "--out", out));
        assertBadInput(CliRunner.run("gw", "--x-distances", fa.toString(), "--out", out));
    }

    static DMatrixRMaj distances(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DMatrixRMaj pts = new DMatrixRMaj(n, 3);
        for (int i = 0; i < pts.data.length; i++) {
            pts.data[i] = rng.nextDouble();
        }
        return PointClouds.euclideanDistances(pts);
    }

    /** Σ_{i,i',j,j'} (A_ii' − B_jj')² T_ij T_i'j'. */
    static double bruteForce(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj t) {
        int n = a.numRows;
        int m = b.numRows;
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int i2 = 0; i2 < n; i2++) {
                for (int j = 0; j < m; j++) {
                    for (int j2 = 0; j2 < m; j2++) {
                        double d = a.get(i, i2) - b.get(j, j2);
                        s += d * d * t.get(i, j) * t.get(i2, j2);
                    }
                }
            }
        }
        return s;
    }
}
