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

class EmbedCommandTest {

    /** Tolerance on the sum of a relaxed embedding (a probability vector). */
    private static final double MASS_TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    void generatedRollsGiveAllFilesAndTheDocumentedKeys() throws IOException {
        Path out = dir.resolve("rolls");
        CliRunner.Outcome o = CliRunner.run("embed", "--source", "gen:s-curve:60", "--target",
                "gen:swiss-roll-hole:60", "--space", "plane:8", "--lambda", "50", "--epsilon", "6e-4",
                "--outer-iterations", "3", "--cost-scaling", "reference", "--save-plans", "--threads", "1",
                "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("objective"), o::toString);
        assertEquals("", o.err(), "nothing on stderr without a terminal");
        Map<String, Object> r = json(out.resolve("result.json"));
        double j = number(r, "objective", "J");
        double w = number(r, "objective", "wasserstein");
        double g1 = number(r, "objective", "gw1");
        double g2 = number(r, "objective", "gw2");
        assertEquals(w + 50 * (g1 + g2), j, 1e-9 * Math.abs(j));
        assertEquals(50.0, number(r, "lambda"));
        assertEquals(3.0, number(r, "outer_iterations"));
        assertEquals("ITERATION_LIMIT", at(r, "stop_reason"));
        assertTrue(number(r, "inner_iterations") > 0);
        assertTrue(number(r, "marginal_error") < 1e-6);
        assertTrue(number(r, "seconds") > 0);
        assertEquals(6e-4, number(r, "parameters", "epsilon"));
        assertEquals("reference", at(r, "parameters", "cost_scaling"));
        assertEquals(1.9, number(r, "parameters", "inner_relaxation"), "over-relaxed by default, at most 1.9");
        assertEquals(Boolean.TRUE, at(r, "parameters", "inner_relaxation_adaptive"));
        assertEquals(Boolean.FALSE, at(r, "parameters", "exact_reference"));
        assertTrue(number(r, "source", "seconds_reading") >= 0);
        assertEquals(List.of(50.0), at(r, "parameters", "lambda"));
        assertTrue(MiniJson.array(at(r, "kernels")).size() == 3);
        assertEquals(3, MiniJson.array(at(r, "history")).size());
        for (String z : List.of("zeta1.csv", "zeta2.csv")) {
            List<String> lines = Files.readAllLines(out.resolve(z));
            assertEquals("x,y,weight", lines.get(0));
            assertEquals(65, lines.size());
            DMatrixRMaj t = Tables.read(out.resolve(z)).values();
            double sum = 0;
            for (int i = 0; i < t.numRows; i++) {
                sum += t.get(i, 2);
            }
            assertEquals(1.0, sum, MASS_TOLERANCE);
        }
        assertEquals(64, Tables.read(out.resolve("p1.npy")).values().numCols);
        assertEquals(64, Tables.read(out.resolve("p2.npy")).values().numRows);
        assertPicture(out.resolve("embeddings.png"));
        assertPicture(out.resolve("projections.png"));
    }

    @Test
    void distanceMatricesAndPlainScalingAndALambdaList() throws IOException {
        Path a = writeDistances("a.csv", 30, 1);
        Path b = writeDistances("b.npy", 25, 2);
        Path out = dir.resolve("dist");
        CliRunner.Outcome o = CliRunner.run("embed", "--source-distances", a.toString(), "--target-distances",
                b.toString(), "--space", "plane:6", "--lambda", "1,10", "--epsilon", "0.01", "--outer-iterations", "2",
                "--cost-scaling", "plain", "--quiet", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals("plain", at(r, "parameters", "cost_scaling"));
        assertEquals("double", at(r, "parameters", "precision"));
        assertEquals(true, at(r, "parameters", "warm_start"), "plain scaling starts warm");
        assertEquals(1.9, number(r, "parameters", "inner_relaxation"),
                "plain scaling over-relaxes its inner updates");
        assertEquals(10.0, number(r, "lambda"));
        assertEquals(4.0, number(r, "outer_iterations"));
        assertEquals(30.0, number(r, "source", "points"));
        assertEquals("x,y,weight", Files.readAllLines(out.resolve("zeta2.csv")).get(0));
    }

    /**
     * {@code --source-weights}/{@code --target-weights} set ξ₁, ξ₂: the written plans' data marginals are the weights
     * divided by their sum (within the inner solver's tolerance), and ζ₁ sums to 1; uniform weights are reported as such.
     */
    @Test
    void weightFilesSetTheDataMarginals() throws IOException {
        Path a = writeDistances("wa.csv", 12, 3);
        Path b = writeDistances("wb.csv", 10, 4);
        double[] wa = new double[12];
        double[] wb = new double[10];
        for (int i = 0; i < wa.length; i++) {
            wa[i] = 1 + i % 4; // sum 30
        }
        for (int i = 0; i < wb.length; i++) {
            wb[i] = 0.05 + 0.01 * i; // sum 0.95
        }
        Path fa = dir.resolve("wa.txt");
        Files.write(fa, java.util.Arrays.stream(wa).mapToObj(Double::toString).toList());
        Path fb = dir.resolve("wb.npy");
        Tables.writeNpy(fb, wb);
        Path out = dir.resolve("weighted");
        CliRunner.Outcome o = CliRunner.run("embed", "--source-distances", a.toString(), "--source-weights",
                fa.toString(), "--target-distances", b.toString(), "--target-weights", fb.toString(), "--space",
                "plane:5", "--outer-iterations", "2", "--save-plans", "--threads", "1", "--quiet", "--out",
                out.toString());
        assertEquals(0, o.code(), o::toString);
        DMatrixRMaj p1 = Tables.read(out.resolve("p1.npy")).values();
        DMatrixRMaj p2 = Tables.read(out.resolve("p2.npy")).values();
        for (int i = 0; i < wa.length; i++) {
            double row = 0;
            for (int k = 0; k < p1.numCols; k++) {
                row += p1.get(i, k);
            }
            assertEquals(wa[i] / 30, row, 1e-6, "source point " + i);
        }
        for (int j = 0; j < wb.length; j++) {
            double col = 0;
            for (int k = 0; k < p2.numRows; k++) {
                col += p2.get(k, j);
            }
            assertEquals(wb[j] / 0.95, col, 1e-6, "target point " + j);
        }
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals(false, at(r, "source", "uniform_weights"));
        assertTrue(String.valueOf(at(r, "source", "description")).contains("wa.txt normalised to sum 1"),
                r::toString);
        assertTrue(String.valueOf(at(r, "parameters", "input_scaling")).contains("weights as each input"),
                r::toString);
    }

    /**
     * A PLY without faces (Open3D's and PCL's point clouds) is a point cloud: the run equals the one on a CSV of the
     * same vertices with the same metric, byte for byte; its {@code label} colours projections.png and is reported.
     */
    @Test
    void facelessPlyIsAPointCloudAndItsLabelsColourTheProjections() throws IOException {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 30;
        StringBuilder ply = new StringBuilder("ply\nformat ascii 1.0\ncomment Created by Open3D\nelement vertex " + n
                + "\nproperty double x\nproperty double y\nproperty double z\nproperty int label\nend_header\n");
        StringBuilder csv = new StringBuilder("x,y,z\n");
        for (int i = 0; i < n; i++) {
            double x = rng.nextDouble();
            double y = rng.nextDouble();
            double z = 0.1 * rng.nextDouble();
            ply.append(x).append(' ').append(y).append(' ').append(z).append(' ').append(i % 3).append('\n');
            csv.append(x).append(',').append(y).append(',').append(z).append('\n');
        }
        Path cloud = dir.resolve("cloud.ply");
        Files.writeString(cloud, ply);
        Path table = dir.resolve("cloud.csv");
        Files.writeString(table, csv);
        Path a = dir.resolve("from-ply");
        Path b = dir.resolve("from-csv");
        for (Path[] run : new Path[][] {{cloud, a}, {table, b}}) {
            CliRunner.Outcome o = CliRunner.run("embed", "--source", run[0].toString(), "--target",
                    cloud.toString(), "--source-metric", "knn:5", "--target-metric", "knn:5", "--space", "plane:5",
                    "--outer-iterations", "2", "--threads", "1", "--quiet", "--out", run[1].toString());
            assertEquals(0, o.code(), o::toString);
        }
        assertEquals(java.util.Arrays.toString(Files.readAllBytes(a.resolve("zeta1.npy"))),
                java.util.Arrays.toString(Files.readAllBytes(b.resolve("zeta1.npy"))));
        Map<String, Object> r = json(a.resolve("result.json"));
        assertTrue(String.valueOf(at(r, "source", "description")).contains("point cloud cloud.ply (30 vertices, no "
                + "faces)"), r::toString);
        assertEquals("label (3 distinct values)", at(r, "source", "labels"));
        assertPicture(a.resolve("projections.png"));
        assertTrue(Files.notExists(b.resolve("projections.png")), "a CSV has no labels to colour by");
    }

    @Test
    void singlePrecisionWarmStartsAndOverRelaxationAreChosenAndReported() throws IOException {
        Path a = writeDistances("a.csv", 30, 1);
        Path b = writeDistances("b.csv", 25, 2);
        Path out = dir.resolve("single");
        CliRunner.Outcome o = CliRunner.run("embed", "--source-distances", a.toString(), "--target-distances",
                b.toString(), "--space", "plane:6", "--outer-iterations", "3", "--precision", "single",
                "--warm-start", "--over-relaxation", "--quiet", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals("single", at(r, "parameters", "precision"));
        assertEquals(true, at(r, "parameters", "warm_start"));
        assertEquals(1.9, number(r, "parameters", "inner_relaxation"));
        assertTrue(String.valueOf(r.get("kernels")).contains("single precision"), String.valueOf(r.get("kernels")));
        assertTrue(number(r, "objective", "J") > 0);
    }

    @Test
    void exactReferenceGivesPlainColdInnerSolvesAndTheDefaultReachesTheSameObjective() throws IOException {
        Path a = writeDistances("a.csv", 30, 1);
        Path b = writeDistances("b.csv", 25, 2);
        Map<String, Map<String, Object>> results = new java.util.HashMap<>();
        for (String mode : List.of("default", "--exact-reference", "--no-over-relaxation")) {
            Path out = dir.resolve("mode" + mode.replace("-", ""));
            List<String> args = new java.util.ArrayList<>(List.of("embed", "--source-distances", a.toString(),
                    "--target-distances", b.toString(), "--space", "plane:6", "--outer-iterations", "5", "--quiet",
                    "--out", out.toString()));
            if (!mode.equals("default")) {
                args.add(mode);
            }
            CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, o.code(), o::toString);
            results.put(mode, json(out.resolve("result.json")));
        }
        Map<String, Object> exact = results.get("--exact-reference");
        assertEquals(true, at(exact, "parameters", "exact_reference"));
        assertEquals(1.0, number(exact, "parameters", "inner_relaxation"));
        assertEquals(false, at(exact, "parameters", "warm_start"));
        assertEquals(1.0, number(results.get("--no-over-relaxation"), "parameters", "inner_relaxation"));
        assertEquals(true, at(results.get("--no-over-relaxation"), "parameters", "exact_reference"),
                "plain updates with the other defaults are the authors' iterates");
        // the default's inner solves stop at the reference's fixed points to its tolerance: same objective
        double jExact = number(exact, "objective", "J");
        double jDefault = number(results.get("default"), "objective", "J");
        assertEquals(jExact, jDefault, 1e-3 * jExact, "default J " + jDefault + " vs reference " + jExact);
        assertTrue(number(results.get("default"), "inner_iterations") <= number(exact, "inner_iterations"));
    }

    @Test
    void exactReferenceRefusesTheFasterSettings() throws IOException {
        Path a = writeDistances("a.csv", 10, 1);
        for (String[] extra : new String[][] {{"--warm-start"}, {"--precision", "single"}}) {
            List<String> args = new java.util.ArrayList<>(List.of("embed", "--source-distances", a.toString(),
                    "--target-distances", a.toString(), "--space", "plane:4", "--exact-reference", "--quiet",
                    "--out", dir.resolve("refuse").toString()));
            args.addAll(List.of(extra));
            CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, o.code(), o::toString);
            assertTrue(o.err().contains("--exact-reference") && o.err().contains(extra[0]), o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
        }
    }

    @Test
    void sphereAndTorusSpacesUseTheirCoordinateNames() throws IOException {
        Path a = writeDistances("a.csv", 20, 3);
        Path b = writeDistances("b.csv", 20, 4);
        for (String[] c : new String[][] {{"sphere:6", "x,y,z,weight"}, {"torus:6", "u,v,weight"}}) {
            Path out = dir.resolve(c[0].replace(':', '_'));
            CliRunner.Outcome o = CliRunner.run("embed", "--source-distances", a.toString(), "--target-distances",
                    b.toString(), "--space", c[0], "--outer-iterations", "2", "--out", out.toString());
            assertEquals(0, o.code(), o::toString);
            assertEquals(c[1], Files.readAllLines(out.resolve("zeta1.csv")).get(0));
            assertPicture(out.resolve("embeddings.png"));
        }
    }

    @Test
    void badInputExitsWithTwoAndOneLine() throws IOException {
        Path good = writeDistances("good.csv", 10, 5);
        Path malformed = dir.resolve("bad.csv");
        Files.writeString(malformed, "0,1,2\n1,0\n");
        Path asymmetric = dir.resolve("asym.csv");
        Files.writeString(asymmetric, "0,1\n2,0\n");
        String out = dir.resolve("o").toString();
        String missing = dir.resolve("missing.csv").toString();
        String[][] cases = {
            {"--source-distances", missing, "--target-distances", good.toString()},
            {"--source-distances", malformed.toString(), "--target-distances", good.toString()},
            {"--source-distances", asymmetric.toString(), "--target-distances", good.toString()},
            {"--source-distances", good.toString(), "--target-distances", good.toString(), "--space", "cube:5"},
            {"--source-distances", good.toString(), "--target-distances", good.toString(), "--epsilon", "-1"},
            {"--source-distances", good.toString(), "--target-distances", good.toString(), "--lambda", "abc"},
            {"--source-distances", good.toString(), "--target-distances", good.toString(), "--cost-scaling", "x"},
            {"--source-distances", good.toString(), "--target-distances", good.toString(), "--precision", "half"},
            {"--source", "gen:torus-knot:50", "--target-distances", good.toString()},
            {"--source", "gen:s-curve:50", "--source-distances", good.toString(), "--target-distances",
                good.toString()},
            {"--target-distances", good.toString()},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 3];
            args[0] = "embed";
            System.arraycopy(c, 0, args, 1, c.length);
            args[c.length + 1] = "--out";
            args[c.length + 2] = out;
            String line = assertBadInput(CliRunner.run(args));
            assertTrue(line.startsWith("gwembed embed: "), line);
        }
        assertTrue(assertBadInput(CliRunner.run("embed", "--source-distances", missing, "--target-distances",
                good.toString())).contains("missing.csv"));
        assertTrue(assertBadInput(CliRunner.run("embed", "--source-distances", good.toString(),
                "--target-distances", good.toString(), "--epsilon", "-1")).contains("epsilon"));
    }

    private Path writeDistances(String name, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DMatrixRMaj pts = new DMatrixRMaj(n, 2);
        for (int i = 0; i < n; i++) {
            pts.set(i, 0, rng.nextDouble());
            pts.set(i, 1, rng.nextDouble());
        }
        DMatrixRMaj d = PointClouds.euclideanDistances(pts);
        Path p = dir.resolve(name);
        if (name.endsWith(".npy")) {
            Tables.writeNpy(p, d);
        } else {
            Tables.writeCsv(p, d, List.of());
        }
        return p;
    }
}
