package org.gwembed.cli;

import static org.gwembed.cli.CliRunner.assertBadInput;
import static org.gwembed.cli.CliRunner.assertPicture;
import static org.gwembed.cli.CliRunner.at;
import static org.gwembed.cli.CliRunner.json;
import static org.gwembed.cli.CliRunner.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.gwembed.examples.GeneratedSurfaces;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests of {@code gwembed examples <name> --quick}. */
class ExamplesCommandTest {

    /** J = W₂² + λ (GW₁ + GW₂) holds to this relative accuracy in the reports. */
    private static final double OBJECTIVE_TOLERANCE = 1e-9;

    @TempDir
    Path dir;

    @Test
    void listNamesEveryExampleOnOneLineEach() {
        CliRunner.Outcome o = CliRunner.run("examples", "--list");
        assertEquals(0, o.code(), o::toString);
        List<String> lines = o.out().strip().lines().toList();
        assertEquals(7, lines.size(), o::toString);
        assertTrue(lines.stream().anyMatch(l -> l.strip().startsWith("motion ")), "motion missing: " + o);
        for (String name : List.of("rolls", "shapes", "sphere", "torus", "appendix-b", "single-cell")) {
            assertTrue(lines.stream().anyMatch(l -> l.strip().startsWith(name + " ")), name + " missing: " + o);
            CliRunner.Outcome h = CliRunner.run("examples", name, "--help");
            assertEquals(0, h.code(), h::toString);
            assertTrue(h.out().contains("--quick") && h.out().contains("--out") && h.out().contains("min"),
                    "help of " + name + " names --quick, --out and the expected duration: " + h);
        }
        assertTrue(CliRunner.run("--help").out().contains("examples"));
    }

    @Test
    void generatorListMatchesTheHelpConstant() {
        assertEquals(Inputs.GENERATORS, String.join(", ",
                GeneratedSurfaces.GENERATORS.stream().map(g -> "gen:" + g.name() + ":N").toList()));
    }

    @Test
    void rollsQuick() throws IOException {
        Path out = dir.resolve("rolls");
        Map<String, Object> r = runQuick("rolls", out);
        List<Object> runs = MiniJson.array(at(r, "runs"));
        assertEquals(2, runs.size());
        for (Object o : runs) {
            Map<String, Object> run = MiniJson.object(o);
            checkObjective(run, 50);
            double r2 = number(run, "metrics", "unrolled_r2_source");
            assertTrue(r2 >= 0 && r2 <= 1, "R^2 " + r2);
            number(run, "metrics", "unrolled_r2_target");
        }
        assertEquals("hole", at(MiniJson.object(runs.get(0)), "name"));
        assertEquals(15.0, number(r, "parameters", "grid"));
        assertPicture(out.resolve("rolls.png"));
        for (String sub : List.of("hole", "no-hole")) {
            for (String png : List.of("embeddings.png", "projections.png", "unrolled.png")) {
                assertPicture(out.resolve(sub).resolve(png));
            }
            assertTrue(at(json(out.resolve(sub).resolve("result.json")), "notes", "paper").toString()
                    .contains("6.1"));
        }
    }

    @Test
    void meshExamplesTakeTheSpeedSettings() throws IOException {
        Path out = dir.resolve("rolls-fast");
        CliRunner.Outcome o = CliRunner.run("examples", "rolls", "--quick", "--precision", "single", "--warm-start",
                "--over-relaxation", "--quiet", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("hole").resolve("result.json"));
        assertEquals("single", at(r, "parameters", "precision"));
        assertEquals(true, at(r, "parameters", "warm_start"));
        assertEquals(1.9, number(r, "parameters", "inner_relaxation"));
        assertEquals(true, at(r, "parameters", "inner_relaxation_adaptive"));
        assertEquals("reference", at(r, "parameters", "cost_scaling"));
        Path exact = dir.resolve("rolls-exact");
        o = CliRunner.run("examples", "rolls", "--quick", "--exact-reference", "--quiet", "--out", exact.toString());
        assertEquals(0, o.code(), o::toString);
        r = json(exact.resolve("hole").resolve("result.json"));
        assertEquals(true, at(r, "parameters", "exact_reference"));
        assertEquals(1.0, number(r, "parameters", "inner_relaxation"));
    }

    @Test
    void shapesQuick() throws IOException {
        Path out = dir.resolve("shapes");
        Map<String, Object> r = runQuick("shapes", out);
        Map<String, Object> run = MiniJson.object(MiniJson.array(at(r, "runs")).get(0));
        checkObjective(run, 50);
        double transfer = number(run, "metrics", "part_transfer_accuracy");
        assertTrue(transfer >= 0 && transfer <= 1, "part transfer " + transfer);
        double f = number(run, "metrics", "foscttm");
        assertTrue(f >= 0 && f <= 0.5, "FOSCTTM " + f);
        for (String png : List.of("inputs.png", "embeddings.png", "projections.png", "parts.png")) {
            assertPicture(out.resolve(png));
        }
        assertTrue(Files.size(out.resolve("body-standing.obj")) > 1000);
        assertTrue(Files.size(out.resolve("body-raised.obj")) > 1000);
        number(json(out.resolve("result.json")), "example", "part_transfer_accuracy");
    }

    @Test
    void sphereQuick() throws IOException {
        Path out = dir.resolve("sphere");
        Map<String, Object> r = runQuick("sphere", out);
        checkObjective(MiniJson.object(MiniJson.array(at(r, "runs")).get(0)), 1000);
        assertEquals("sphere:10", at(r, "parameters", "space"));
        assertEquals("x,y,z,weight", Files.readAllLines(out.resolve("zeta1.csv")).get(0));
        for (String png : List.of("embeddings.png", "projections.png", "views3d.png")) {
            assertPicture(out.resolve(png));
        }
    }

    @Test
    void torusQuick() throws IOException {
        Path out = dir.resolve("torus");
        Map<String, Object> r = runQuick("torus", out);
        checkObjective(MiniJson.object(MiniJson.array(at(r, "runs")).get(0)), 1000);
        assertEquals("torus-embedded:12", at(r, "parameters", "space"));
        for (String png : List.of("embeddings.png", "projections.png", "views3d.png", "uv_embeddings.png",
                "uv_projections.png")) {
            assertPicture(out.resolve(png));
        }
    }

    @Test
    void appendixBQuick() throws IOException {
        Path out = dir.resolve("appendix-b");
        Map<String, Object> r = runQuick("appendix-b", out);
        List<Object> rows = MiniJson.array(at(r, "rows"));
        assertEquals(2, rows.size());
        for (Object o : rows) {
            Map<String, Object> row = MiniJson.object(o);
            assertTrue(number(row, "ew") > 0);
            List<Object> runs = MiniJson.array(at(row, "ew_lambda"));
            assertEquals(3, runs.size());
            for (int l = 0; l < runs.size(); l++) {
                Map<String, Object> run = MiniJson.object(runs.get(l));
                assertTrue(number(run, "w2_squared_zeta") >= 0);
                double j = number(run, "objective", "J");
                double seeded = number(run, "objective_seeded_start");
                if (l < runs.size() - 1) {
                    // below the largest λ the lower of the seeded and the continued run is reported
                    double continued = number(run, "objective_continuation");
                    assertEquals(Math.min(seeded, continued), j, 1e-12 * Math.abs(j));
                    assertEquals(continued < seeded ? "continuation from lambda 20" : "seeded", at(run, "start"));
                } else {
                    assertEquals(seeded, j);
                    assertNull(at(run, "objective_continuation"));
                }
            }
        }
        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertEquals("kappa,ew,ew_lambda_0.2,ew_lambda_2,ew_lambda_20", csv.get(0));
        assertEquals(3, csv.size());
        assertPicture(out.resolve("appendix_b.png"));
    }

    @Test
    void singleCellQuickWhenTheSharedDataIsThere() throws IOException {
        Path data = AlignCommand.defaultDataDir();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("scgem")),
                "skipped: the shared data directory " + data.toAbsolutePath() + " (scgem/) is absent");
        Path out = dir.resolve("single-cell");
        // scGEM only (177 cells): the quick SNAREseq run (1047 cells) takes about half a minute on 2 cores
        CliRunner.Outcome o = CliRunner.run("examples", "single-cell", "--quick", "--datasets", "scgem", "--data-dir",
                data.toString(), "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("| EW_lambda (this run) |") && o.out().contains("| JMDS (paper) |"), o::toString);
        Map<String, Object> r = json(out.resolve("report.json"));
        for (String d : List.of("scgem")) {
            for (String m : List.of("ewl", "jmds")) {
                double f = number(r, "table", d, m, "foscttm");
                assertTrue(f >= 0 && f <= 1, d + " " + m + " FOSCTTM " + f);
                number(r, "table", d, m, "knn_accuracy");
            }
            assertPicture(out.resolve(d).resolve("projections.png"));
        }
        assertEquals(3, Files.readAllLines(out.resolve("table.csv")).size());
    }

    @Test
    void badInputExitsWithTwoAndOneLineNamingTheOption() {
        String out = dir.resolve("bad").toString();
        assertBadInput(CliRunner.run("examples"));
        assertBadInput(CliRunner.run("examples", "circles"));
        String[][] cases = {
            {"rolls", "--vertices", "3", "--vertices"},
            {"rolls", "--grid", "1", "--grid"},
            {"sphere", "--epsilon", "-1", "--epsilon"},
            {"torus", "--outer-iterations", "0", "--outer-iterations"},
            {"shapes", "--vertices", "50", "--vertices"},
            {"shapes", "--threads", "0", "--threads"},
            {"rolls", "--lambda", "abc", "--lambda"},
            {"appendix-b", "--bins", "2", "--bins"},
            {"appendix-b", "--kappa", "-1", "--kappa"},
            {"appendix-b", "--lambda", "0", "--lambda"},
            {"single-cell", "--datasets", "pbmc", "--datasets"},
        };
        for (String[] c : cases) {
            String line = assertBadInput(CliRunner.run("examples", c[0], c[1], c[2], "--quick", "--out", out));
            assertTrue(line.contains(c[3]) && line.contains(c[2]), "message names " + c[3] + " and " + c[2] + ": "
                    + line);
        }
        Path missing = dir.resolve("no-data");
        String line = assertBadInput(CliRunner.run("examples", "single-cell", "--data-dir", missing.toString(),
                "--out", out));
        assertTrue(line.contains(missing.resolve("snareseq").toString()), line);
    }

    private Map<String, Object> runQuick(String name, Path out) throws IOException {
        CliRunner.Outcome o = CliRunner.run("examples", name, "--quick", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        assertEquals("", o.err(), "nothing on stderr without a terminal");
        assertTrue(o.out().contains("wrote " + out), o::toString);
        Map<String, Object> r = json(out.resolve("report.json"));
        assertEquals(name, at(r, "example"));
        assertEquals(Boolean.TRUE, at(r, "quick"));
        assertTrue(number(r, "seconds") > 0);
        for (Object f : MiniJson.array(at(r, "files"))) {
            assertTrue(Files.exists(out.resolve(f.toString())), f + " listed but missing");
        }
        return r;
    }

    private static void checkObjective(Map<String, Object> run, double lambda) {
        double j = number(run, "objective", "J");
        double w = number(run, "objective", "wasserstein");
        double g1 = number(run, "objective", "gw1");
        double g2 = number(run, "objective", "gw2");
        assertEquals(lambda, number(run, "objective", "lambda"));
        assertEquals(w + lambda * (g1 + g2), j, OBJECTIVE_TOLERANCE * Math.abs(j));
        assertTrue(number(run, "outer_iterations") >= 1);
        assertTrue(number(run, "marginal_error") < 1e-3);
        at(run, "stop_reason");
    }
}
