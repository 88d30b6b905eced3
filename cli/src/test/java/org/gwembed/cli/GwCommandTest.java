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
import org.gwembed.solvers.GromovWasserstein;
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

    /**
     * {@code --x-weights}/{@code --y-weights} reach the solver: POT 0.8.2's gromov_wasserstein2 on the weighted problem
     * of solvers' reference set (script solvers/src/test/resources/reference/gw_reference.py) gives the value and the
     * plan; weights scaled by 7 give the same result (they are divided by their sum).
     */
    @Test
    void weightsFilesReproducePotsWeightedProblem() throws IOException {
        Path ref = Path.of("../solvers/src/test/resources/reference");
        double[] p = Tables.readVector(ref.resolve("gw_weighted_p.csv"));
        double[] q = Tables.readVector(ref.resolve("gw_weighted_q.csv"));
        Path scaled = dir.resolve("q7.npy");
        double[] q7 = q.clone();
        for (int i = 0; i < q7.length; i++) {
            q7[i] *= 7;
        }
        Tables.writeNpy(scaled, q7);
        Path out = dir.resolve("weighted");
        CliRunner.Outcome o = CliRunner.run("gw", "--x-distances", ref.resolve("gw_weighted_C1.csv").toString(),
                "--x-weights", ref.resolve("gw_weighted_p.csv").toString(), "--y-distances",
                ref.resolve("gw_weighted_C2.csv").toString(), "--y-weights", scaled.toString(), "--out",
                out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals(0.019890189043840718, number(r, "distance"), 1e-9);
        assertEquals(false, at(r, "x", "uniform_weights"));
        assertTrue(String.valueOf(at(r, "y", "description")).contains("normalised to sum 1"), r::toString);
        DMatrixRMaj plan = Tables.read(out.resolve("plan.npy")).values();
        DMatrixRMaj pot = Tables.read(ref.resolve("gw_weighted_plan_cg.csv")).values();
        for (int i = 0; i < plan.data.length; i++) {
            assertEquals(pot.data[i], plan.data[i], 1e-9, "plan entry " + i);
        }
        for (int i = 0; i < p.length; i++) {
            double row = 0;
            for (int j = 0; j < q.length; j++) {
                row += plan.get(i, j);
            }
            assertEquals(p[i], row, 1e-12);
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
        assertTrue(at(r, "inner_updates").toString().startsWith("over-relaxed"), r.toString());
        // plain Sinkhorn updates (POT's) on request: the same distance to the resolution of the stopping rules (plan
        // change and marginal error 1e-9; here 8e-10 apart)
        Path plainOut = dir.resolve("plain");
        assertEquals(0, CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", fa.toString(),
                "--entropic", "0.01", "--no-over-relaxation", "--out", plainOut.toString()).code());
        Map<String, Object> plain = json(plainOut.resolve("result.json"));
        assertEquals("plain", at(plain, "inner_updates"));
        assertEquals(d, number(plain, "distance"), 1e-6 * d + 1e-12);
        // Anderson acceleration of the outer iteration is on by default; 0 gives POT's plain iterates, the same distance
        assertEquals(GromovWasserstein.DEFAULT_ACCELERATION_MEMORY, number(r, "acceleration_memory"));
        Path unmixedOut = dir.resolve("unmixed");
        assertEquals(0, CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", fa.toString(),
                "--entropic", "0.01", "--acceleration-memory", "0", "--out", unmixedOut.toString()).code());
        Map<String, Object> unmixed = json(unmixedOut.resolve("result.json"));
        assertEquals(0.0, number(unmixed, "acceleration_memory"));
        assertEquals(d, number(unmixed, "distance"), 1e-6 * d + 1e-12);
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
        CliRunner.Outcome memory = CliRunner.run("gw", "--x-distances", fa.toString(), "--y-distances", fa.toString(),
                "--entropic", "0.1", "--acceleration-memory", "21", "--out", out);
        assertBadInput(memory);
        assertTrue(memory.err().contains("--acceleration-memory must be in 0..20, got 21"), memory.err());
        assertBadInput(CliRunner.run("gw", "--x-distances", fa.toString(), "--out", out));
    }

    @Test
    void fusedWithAFeatureCostFileAndWithFeatureTables() throws IOException {
        DMatrixRMaj a = distances(9, 5);
        DMatrixRMaj b = distances(7, 6);
        DMatrixRMaj fx = points(9, 2, 7);
        DMatrixRMaj fy = points(7, 2, 8);
        DMatrixRMaj cost = new DMatrixRMaj(9, 7);
        for (int i = 0; i < 9; i++) {
            for (int k = 0; k < 7; k++) {
                double dx = fx.get(i, 0) - fy.get(k, 0);
                double dy = fx.get(i, 1) - fy.get(k, 1);
                cost.set(i, k, dx * dx + dy * dy);
            }
        }
        Path fa = dir.resolve("a.csv");
        Path fb = dir.resolve("b.csv");
        Path fm = dir.resolve("m.npy");
        Path ffx = dir.resolve("fx.csv");
        Path ffy = dir.resolve("fy.csv");
        Tables.writeCsv(fa, a, List.of());
        Tables.writeCsv(fb, b, List.of());
        Tables.writeNpy(fm, cost);
        Tables.writeCsv(ffx, fx, List.of());
        Tables.writeCsv(ffy, fy, List.of());
        Path out1 = dir.resolve("fused1");
        CliRunner.Outcome o = CliRunner.run("gw", "--method", "fused", "--x-distances", fa.toString(),
                "--y-distances", fb.toString(), "--feature-cost", fm.toString(), "--alpha", "0.3", "--out",
                out1.toString());
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("Fused GW value"), o::toString);
        Map<String, Object> r = json(out1.resolve("result.json"));
        assertEquals("fused", at(r, "variant"));
        assertEquals("fused_conditional_gradient", at(r, "method"));
        assertEquals(0.3, number(r, "alpha"));
        DMatrixRMaj plan = Tables.read(out1.resolve("plan.npy")).values();
        double expected = 0.7 * dot(cost, plan) + 0.3 * bruteForce(a, b, plan);
        double d = number(r, "distance");
        assertEquals(expected, d, SUM_TOLERANCE * d);
        // the same cost from the feature tables: the same run
        Path out2 = dir.resolve("fused2");
        assertEquals(0, CliRunner.run("gw", "--method", "fused", "--x-distances", fa.toString(), "--y-distances",
                fb.toString(), "--features-x", ffx.toString(), "--features-y", ffy.toString(), "--alpha", "0.3",
                "--out", out2.toString()).code());
        assertEquals(d, number(json(out2.resolve("result.json")), "distance"), 1e-12 * d);
        // entropic fused GW
        Path out3 = dir.resolve("fused3");
        assertEquals(0, CliRunner.run("gw", "--method", "fused", "--entropic", "0.01", "--x-distances",
                fa.toString(), "--y-distances", fb.toString(), "--feature-cost", fm.toString(), "--out",
                out3.toString()).code());
        Map<String, Object> e = json(out3.resolve("result.json"));
        assertEquals("fused_entropic", at(e, "method"));
        assertEquals(0.5, number(e, "alpha"));
        assertEquals(0.01, number(e, "epsilon"));
    }

    @Test
    void semiRelaxedIsAtMostGwOfACopy() throws IOException {
        DMatrixRMaj a = distances(10, 9);
        Path fa = dir.resolve("a.csv");
        Tables.writeCsv(fa, a, List.of());
        Path fb = dir.resolve("b.csv");
        Tables.writeCsv(fb, distances(12, 10), List.of());
        Path out = dir.resolve("sr");
        CliRunner.Outcome o = CliRunner.run("gw", "--method", "semirelaxed", "--x-distances", fa.toString(),
                "--y-distances", fb.toString(), "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("Semi-relaxed GW value"), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals("semirelaxed", at(r, "variant"));
        assertEquals("semirelaxed_conditional_gradient", at(r, "method"));
        DMatrixRMaj plan = Tables.read(out.resolve("plan.npy")).values();
        double d = number(r, "distance");
        assertEquals(bruteForce(a, distances(12, 10), plan), d, SUM_TOLERANCE * Math.max(d, 1e-12));
        for (int i = 0; i < 10; i++) {
            double row = 0;
            for (int k = 0; k < 12; k++) {
                row += plan.get(i, k);
            }
            assertEquals(0.1, row, 1e-12, "row " + i);
        }
        Path out2 = dir.resolve("esr");
        assertEquals(0, CliRunner.run("gw", "--method", "semirelaxed", "--entropic", "0.01", "--x-distances",
                fa.toString(), "--y-distances", fb.toString(), "--out", out2.toString()).code());
        Map<String, Object> e = json(out2.resolve("result.json"));
        assertEquals("semirelaxed_entropic", at(e, "method"));
        assertEquals(0.01, number(e, "epsilon"));
        DMatrixRMaj eplan = Tables.read(out2.resolve("plan.npy")).values();
        double ed = number(e, "distance");
        assertEquals(bruteForce(a, distances(12, 10), eplan), ed, SUM_TOLERANCE * Math.max(ed, 1e-12));
    }

    @Test
    void partialTransportsTheRequestedMass() throws IOException {
        DMatrixRMaj a = distances(10, 11);
        DMatrixRMaj b = distances(8, 12);
        Path fa = dir.resolve("a.csv");
        Path fb = dir.resolve("b.csv");
        Tables.writeCsv(fa, a, List.of());
        Tables.writeCsv(fb, b, List.of());
        Path out = dir.resolve("partial");
        CliRunner.Outcome o = CliRunner.run("gw", "--method", "partial", "--mass", "0.6", "--x-distances",
                fa.toString(), "--y-distances", fb.toString(), "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("Partial GW value"), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals("partial", at(r, "variant"));
        assertEquals("partial_conditional_gradient", at(r, "method"));
        assertEquals(0.6, number(r, "mass"));
        DMatrixRMaj plan = Tables.read(out.resolve("plan.npy")).values();
        double total = 0;
        for (double v : plan.data) {
            total += v;
        }
        assertEquals(0.6, total, 1e-12);
        double d = number(r, "distance");
        assertEquals(bruteForce(a, b, plan), d, SUM_TOLERANCE * Math.max(d, 1e-12));
    }

    @Test
    void badVariantInputIsOneLineNamingTheOption() throws IOException {
        Path fa = dir.resolve("a.csv");
        Tables.writeCsv(fa, distances(5, 4), List.of());
        Path fb = dir.resolve("b.csv");
        Tables.writeCsv(fb, distances(6, 5), List.of());
        Path m = dir.resolve("m.csv");
        Tables.writeCsv(m, points(5, 5, 6), List.of());
        Path f3 = dir.resolve("f3.csv");
        Tables.writeCsv(f3, points(5, 3, 7), List.of());
        Path f2 = dir.resolve("f2.csv");
        Tables.writeCsv(f2, points(6, 2, 8), List.of());
        String out = dir.resolve("o").toString();
        String[] base = {"gw", "--x-distances", fa.toString(), "--y-distances", fb.toString(), "--out", out};
        assertContains("--method fused needs a feature cost", run(base, "--method", "fused"));
        assertContains("--feature-cost " + m + " is 5x5 but the spaces have 5 and 6 points (expected 5x6)",
                run(base, "--method", "fused", "--feature-cost", m.toString()));
        assertContains("--features-y is missing", run(base, "--method", "fused", "--features-x", f3.toString()));
        assertContains("--features-x has 3 columns but --features-y has 2",
                run(base, "--method", "fused", "--features-x", f3.toString(), "--features-y", f2.toString()));
        assertContains("--features-y " + f3 + " has 5 rows but the second space has 6 points",
                run(base, "--method", "fused", "--features-x", f3.toString(), "--features-y", f3.toString()));
        assertContains("--alpha must be in [0, 1], got 1.5",
                run(base, "--method", "fused", "--feature-cost", m.toString(), "--alpha", "1.5"));
        assertContains("--alpha is only used with --method fused", run(base, "--alpha", "0.5"));
        assertContains("--feature-cost is only used with --method fused",
                run(base, "--method", "semirelaxed", "--feature-cost", m.toString()));
        assertContains("--method entropic needs --entropic EPS", run(base, "--method", "entropic"));
        assertContains("--method", run(base, "--method", "unbalanced"));
        assertContains("--mass must be in (0, 1] (the weights sum to 1), got 1.2",
                run(base, "--method", "partial", "--mass", "1.2"));
        assertContains("--mass is only used with --method partial", run(base, "--mass", "0.5"));
        assertContains("--entropic 0.1 is not available with --method partial",
                run(base, "--method", "partial", "--entropic", "0.1"));
    }

    @Test
    void lowRankOnFeatureTablesWritesTheFactorsAndItsParameters() throws IOException {
        Path fx = dir.resolve("x.csv");
        Tables.writeCsv(fx, points(40, 2, 3), List.of());
        Path fy = dir.resolve("y.npy");
        Tables.writeNpy(fy, points(35, 3, 4));
        Path out = dir.resolve("lr");
        CliRunner.Outcome o = CliRunner.run("gw", "--method", "lowrank", "--rank", "4", "--x", fx.toString(), "--y",
                fy.toString(), "--max-iterations", "50", "--seed", "3", "--tolerance", "1e-12", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Low-rank GW value"), o.out());
        Map<String, Object> j = json(out.resolve("result.json"));
        assertEquals("lowrank", j.get("variant"));
        assertEquals(4, (int) number(j, "parameters", "rank"));
        assertEquals(3, (int) number(j, "parameters", "seed"));
        assertEquals(50, (int) number(j, "parameters", "max_iterations"));
        assertEquals(50, (int) number(j, "iterations"));
        assertEquals(1e-12, number(j, "parameters", "tolerance"), 0);
        double d = number(j, "distance");
        assertTrue(d >= 0 && Double.isFinite(d), "distance " + d);
        DMatrixRMaj q = Tables.read(out.resolve("q.npy")).values();
        DMatrixRMaj r = Tables.read(out.resolve("r.npy")).values();
        assertEquals(40, q.numRows);
        assertEquals(4, q.numCols);
        assertEquals(35, r.numRows);
        // the same problem as dense matrices of the scaled squared distances gives the same value
        Path da = dir.resolve("da.csv");
        Tables.writeCsv(da, scaledSquared(points(40, 2, 3)), List.of());
        Path db = dir.resolve("db.csv");
        Tables.writeCsv(db, scaledSquared(points(35, 3, 4)), List.of());
        Path out2 = dir.resolve("lr2");
        CliRunner.Outcome o2 = CliRunner.run("gw", "--method", "lowrank", "--rank", "4", "--x-distances",
                da.toString(), "--y-distances", db.toString(), "--max-iterations", "50", "--seed", "3", "--tolerance",
                "1e-12", "--out",
                out2.toString(), "-q");
        assertEquals(0, o2.code(), o2.err());
        assertEquals(d, Double.parseDouble(o2.out().trim()), 1e-6 * d);
    }

    private static DMatrixRMaj scaledSquared(DMatrixRMaj x) {
        DMatrixRMaj e = PointClouds.euclideanDistances(x);
        double max = 0;
        for (int t = 0; t < e.data.length; t++) {
            e.data[t] *= e.data[t];
            max = Math.max(max, e.data[t]);
        }
        for (int t = 0; t < e.data.length; t++) {
            e.data[t] /= max;
        }
        return e;
    }

    @Test
    void lowRankBadInputIsOneLine() throws IOException {
        Path fx = dir.resolve("x.csv");
        Tables.writeCsv(fx, points(10, 2, 3), List.of());
        String out = dir.resolve("o").toString();
        String[] base = {"gw", "--x", fx.toString(), "--y", fx.toString(), "--out", out};
        assertContains("--method lowrank needs --rank R", run(base, "--method", "lowrank"));
        assertContains("--rank is only used with --method lowrank", run(base, "--rank", "3"));
        assertContains("--rank must be >= 1, got 0", run(base, "--method", "lowrank", "--rank", "0"));
        assertContains("--rank must be <= min(n, m) = 10", run(base, "--method", "lowrank", "--rank", "11"));
        assertContains("--tolerance is only used with --method lowrank", run(base, "--tolerance", "1e-3"));
        assertContains("--gamma must be > 0", run(base, "--method", "lowrank", "--rank", "2", "--gamma", "-1"));
        assertContains("--metric knn:3 is not available with --method lowrank",
                run(base, "--method", "lowrank", "--rank", "2", "--metric", "knn:3"));
        assertContains("--method lowrank takes a feature table", CliRunner.run("gw", "--method", "lowrank",
                "--rank", "2", "--x", "gen:s-curve:50", "--y", fx.toString(), "--out", out));
    }

    private static CliRunner.Outcome run(String[] base, String... more) {
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRunner.run(args);
    }

    private static void assertContains(String part, CliRunner.Outcome o) {
        String err = assertBadInput(o);
        assertTrue(err.contains(part), () -> "expected '" + part + "' in: " + err);
    }

    static DMatrixRMaj points(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DMatrixRMaj pts = new DMatrixRMaj(n, d);
        for (int i = 0; i < pts.data.length; i++) {
            pts.data[i] = rng.nextDouble();
        }
        return pts;
    }

    static double dot(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int t = 0; t < x.data.length; t++) {
            s += x.data[t] * y.data[t];
        }
        return s;
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
