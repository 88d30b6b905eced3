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

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.PointCloudGenerators;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GmmCommandTest {

    /** Tolerance on sums of probability vectors and on the objective identity. */
    private static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    void generatedBlobsAndMoonsGiveAllFilesAndTheDocumentedKeys() throws IOException {
        Path out = dir.resolve("gmm");
        CliRunner.Outcome o = CliRunner.run("gmm", "--samples", "90", "--components", "3", "--blob-centers", "3",
                "--space", "gaussians:5", "--lambda", "100", "--epsilon", "1e-3", "--outer-iterations", "3",
                "--threads", "1", "--seed", "4", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("MGW2"), o::toString);
        assertEquals("", o.err(), "nothing on stderr without a terminal");
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals("gmm", at(r, "command"));
        double j = number(r, "objective", "J");
        assertEquals(number(r, "objective", "wasserstein") + 100 * (number(r, "objective", "gw1")
                + number(r, "objective", "gw2")), j, TOLERANCE * Math.abs(j));
        assertEquals(3.0, number(r, "outer_iterations"));
        assertTrue(at(r, "stop_reason") instanceof String);
        assertTrue(number(r, "seconds") > 0);
        assertEquals(300.0, number(r, "parameters", "space_points"), "5x5 means x 12 covariances");
        assertEquals(1e-3, number(r, "parameters", "epsilon"));
        assertTrue(number(r, "gmm_parameters", "sigma2") > 0);
        for (String side : List.of("x", "y")) {
            assertEquals(3.0, number(r, "mixtures", side, "components"));
            List<Object> weights = MiniJson.array(at(r, "mixtures", side, "weights"));
            assertEquals(3, weights.size());
            double sum = 0;
            for (Object w : weights) {
                sum += (Double) w;
            }
            assertEquals(1.0, sum, TOLERANCE);
            assertEquals(3, MiniJson.array(at(r, "mixtures", side, "means")).size());
            List<Object> covs = MiniJson.array(at(r, "mixtures", side, "covariances"));
            assertEquals(3, covs.size());
            assertEquals(2, MiniJson.array(covs.get(0)).size(), "2x2 covariances");
        }
        double sq = number(r, "mgw2", "squared");
        assertTrue(sq >= 0);
        assertEquals(Math.sqrt(sq), number(r, "mgw2", "distance"), TOLERANCE * Math.max(1, Math.sqrt(sq)));
        double normalized = number(r, "mgw2", "normalized", "distance");
        assertTrue(normalized >= 0 && normalized <= 1 + TOLERANCE, "scaled mixtures have W2 <= 1: " + normalized);
        List<Object> plan = MiniJson.array(at(r, "mgw2", "plan"));
        assertEquals(3, plan.size());
        double mass = 0;
        for (Object row : plan) {
            for (Object v : MiniJson.array(row)) {
                mass += (Double) v;
            }
        }
        assertEquals(1.0, mass, TOLERANCE);
        for (String z : List.of("zeta1.csv", "zeta2.csv")) {
            DMatrixRMaj t = Tables.read(out.resolve(z)).values();
            assertEquals(300, t.numRows);
            double sum = 0;
            for (int i = 0; i < t.numRows; i++) {
                sum += t.get(i, t.numCols - 1);
            }
            assertEquals(1.0, sum, TOLERANCE);
        }
        for (String png : List.of("inputs.png", "aligned.png", "embeddings.png")) {
            assertPicture(out.resolve(png));
        }
        assertTrue(MiniJson.array(at(r, "files")).containsAll(List.of("result.json", "inputs.png", "aligned.png")));
    }

    @Test
    void pointTablesFromFiles() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.npy");
        Tables.writeCsv(a, PointCloudGenerators.blobs(60, 2, 1.0, 10.0, 1).points(), List.of("x", "y"));
        Tables.writeNpy(b, PointCloudGenerators.moons(60, 0.05, 2).points());
        Path out = dir.resolve("files");
        CliRunner.Outcome o = CliRunner.run("gmm", "--x", a.toString(), "--y", b.toString(), "-k", "2", "--space",
                "gaussians:4:0.02", "--epsilon", "1e-3", "--outer-iterations", "2", "--threads", "1", "--out",
                out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("result.json"));
        assertEquals(0.02, number(r, "gmm_parameters", "sigma2"));
        assertEquals(60.0, number(r, "mixtures", "x", "points"));
        assertTrue(Files.isRegularFile(out.resolve("aligned.png")));
    }

    @Test
    void badInputExitsWithTwo() throws IOException {
        Path out = dir.resolve("bad");
        String line = assertBadInput(CliRunner.run("gmm", "--components", "0", "--out", out.toString()));
        assertTrue(line.contains("--components"), line);
        line = assertBadInput(CliRunner.run("gmm", "--x", dir.resolve("missing.csv").toString(), "--y",
                dir.resolve("missing2.csv").toString(), "--out", out.toString()));
        assertTrue(line.contains("missing.csv"), line);
        line = assertBadInput(CliRunner.run("gmm", "--epsilon", "-1", "--out", out.toString()));
        assertTrue(line.contains("--epsilon"), line);
        assertBadInput(CliRunner.run("gmm", "--x", dir.resolve("only.csv").toString(), "--out", out.toString()));
        line = assertBadInput(CliRunner.run("gmm", "--space", "plane:10", "--samples", "40", "-k", "2", "--out",
                out.toString()));
        assertTrue(line.contains("--space"), line);
        Path one = dir.resolve("one.csv");
        Files.writeString(one, "x\n1\n2\n3\n4\n5\n");
        line = assertBadInput(CliRunner.run("gmm", "--x", one.toString(), "--y", one.toString(), "--out",
                out.toString()));
        assertTrue(line.contains("2 columns"), line);
        assertBadInput(CliRunner.run("gmm", "--samples", "10", "-k", "6", "--out", out.toString()));
    }
}
